# Repacks the Python distributions that Debian packages installed into
# /usr/lib/python3/dist-packages as wheels in /wheelhouse: the files each
# package owns there (dpkg -L), plus a .dist-info made from the package's
# own metadata (METADATA, or PKG-INFO and requires.txt of an .egg-info).
# Debian de-vendors some projects (setuptools, pip, poetry, pipenv): they
# import what upstream bundles, so each wheel also requires the
# distributions of the python3-* packages its Debian package depends on.
# Upstream metadata can ask for more than Debian ships with it (PDM 2.20.1
# wants hishel<0.1.0, Debian 13 has 0.1.2; Poetry wants pbs-installer's
# "install" extra, zstandard, which Debian leaves out): a requirement on a
# repacked distribution is made to accept what Debian ships (debianize).
# Wheels with compiled modules are tagged cp313-cp313-linux_x86_64, the
# others py3-none-any. Runs in the Debian 13 chroot of the wheelhouse recipe.
import base64, hashlib, os, re, subprocess, sys, zipfile

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

SP = "/usr/lib/python3/dist-packages"
OUT = "/wheelhouse"
# Debian de-vendors pip: its repacked wheel would not run. Every python
# image has pip already.
SKIP = {"pip"}
# Requirements Debian's packages leave undeclared: Debian's setuptools
# imports packaging (upstream vendors it) without depending on it.
EXTRA_REQUIRES = {"setuptools": ["packaging"]}
os.makedirs(OUT, exist_ok=True)


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def headers(text):
    """The header lines (before the first blank line) and the body."""
    head, _, body = text.partition("\n\n")
    return head.splitlines(), body


def header(lines, key):
    for line in lines:
        k, _, v = line.partition(":")
        if k.strip().lower() == key.lower():
            return v.strip()
    return ""


def requires_from_egg(text):
    """Requires-Dist lines from an egg-info requires.txt."""
    out, extra, marker = [], "", ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            extra, _, marker = line[1:-1].partition(":")
            continue
        conds = []
        if marker:
            conds.append("(" + marker + ")" if extra else marker)
        if extra:
            conds.append('extra == "%s"' % extra)
        out.append(line + ("; " + " and ".join(conds) if conds else ""))
    return out


def metadata(meta_dir):
    """METADATA text and the extra dist-info files (name -> bytes)."""
    path = os.path.join(SP, meta_dir)
    extra = {}
    for name in ("entry_points.txt", "top_level.txt"):
        p = os.path.join(path, name)
        if os.path.isfile(p):
            extra[name] = open(p, "rb").read()
    if meta_dir.endswith(".dist-info"):
        return open(os.path.join(path, "METADATA"), encoding="utf-8").read(), extra
    lines, body = headers(open(os.path.join(path, "PKG-INFO"), encoding="utf-8").read())
    lines = [l for l in lines if not l.lower().startswith(("requires-dist:", "metadata-version:"))]
    lines.insert(0, "Metadata-Version: 2.1")
    req = os.path.join(path, "requires.txt")
    if os.path.isfile(req):
        reqs = requires_from_egg(open(req, encoding="utf-8").read())
        lines += ["Requires-Dist: " + r for r in reqs]
        for r in reqs:
            m = re.search(r'extra == "([^"]+)"', r)
            if m and "Provides-Extra: " + m.group(1) not in lines:
                lines.append("Provides-Extra: " + m.group(1))
    return "\n".join(lines) + "\n\n" + body, extra


def owned_files(pkg):
    r = subprocess.run(["dpkg", "-L", pkg], capture_output=True, text=True)
    if r.returncode != 0:
        return []
    out = r.stdout
    files = []
    for f in out.splitlines():
        if f.startswith(SP + "/") and (os.path.isfile(f) or os.path.islink(f)):
            files.append(os.path.relpath(f, SP))
    return files


def top_names(meta_dir, name):
    p = os.path.join(SP, meta_dir, "top_level.txt")
    if os.path.isfile(p):
        return {l.strip() for l in open(p) if l.strip()}
    return {name.replace("-", "_"), name.replace("-", "_").lower()}


def b64(digest):
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


metas = sorted(e for e in os.listdir(SP) if e.endswith((".dist-info", ".egg-info")) and os.path.isdir(os.path.join(SP, e)))
by_pkg = {}
for m in metas:
    r = subprocess.run(["dpkg", "-S", os.path.join(SP, m)], capture_output=True, text=True)
    if r.returncode != 0:
        print("wheels: skip %s: no package owns it" % m)
        continue
    by_pkg.setdefault(r.stdout.split(":")[0].split(",")[0].strip(), []).append(m)

dists = {}  # Debian package -> distribution names
for pkg, pkg_metas in by_pkg.items():
    for m in pkg_metas:
        dists.setdefault(pkg, []).append(header(headers(metadata(m)[0])[0], "Name"))


def requires_dist(lines):
    return [l.partition(":")[2].strip() for l in lines if l.lower().startswith("requires-dist:")]


# normalized name -> (version, Requires-Dist values) of every distribution
# repacked, for debianize.
shipped = {}
for pkg_metas in by_pkg.values():
    for m in pkg_metas:
        lines = headers(metadata(m)[0])[0]
        try:
            shipped[norm(header(lines, "Name"))] = (Version(header(lines, "Version")), requires_dist(lines))
        except InvalidVersion:
            pass


def debianize(value):
    """A Requires-Dist value on a repacked distribution, made to accept
    what Debian ships: a version bound that excludes Debian's version is
    dropped, and so is an extra that needs a distribution Debian does not
    ship. Debian's own package dependencies are what it tested together."""
    try:
        r = Requirement(value)
    except InvalidRequirement:
        return value
    if norm(r.name) not in shipped:
        return value
    version, reqs = shipped[norm(r.name)]
    changed = False
    if r.specifier and not r.specifier.contains(version, prereleases=True):
        r.specifier, changed = SpecifierSet(), True
    for extra in sorted(r.extras):
        for dep in reqs:
            try:
                d = Requirement(dep)
            except InvalidRequirement:
                continue
            if d.marker and "extra" in str(d.marker) and d.marker.evaluate({"extra": extra}) and norm(d.name) not in shipped:
                r.extras.discard(extra)
                changed = True
                break
    return str(r) if changed else value


def debian_deps(pkg):
    out = subprocess.run(["dpkg-query", "-W", "-f=${Depends},${Pre-Depends}", pkg],
                         capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\(.*?\)", "", dep.split("|")[0]).strip().split(":")[0] for dep in out.split(",")]


def orphans(pkg):
    """Debian packages pkg depends on that own modules in dist-packages but
    no distribution metadata (python3-pkg-resources for setuptools): their
    files go into pkg's wheel."""
    out = []
    for dep in debian_deps(pkg):
        if dep and dep not in by_pkg and dep.startswith("python3-") and owned_files(dep):
            out.append(dep)
    return out


def debian_requires(pkg):
    names = []
    for p in [pkg] + orphans(pkg):
        for dep in debian_deps(p):
            for d in dists.get(dep, []):
                if norm(d) not in SKIP:
                    names.append(d)
    return sorted(set(names))


count = 0
for pkg, pkg_metas in sorted(by_pkg.items()):
    files = owned_files(pkg)
    if len(pkg_metas) == 1:
        for o in orphans(pkg):
            files += owned_files(o)
    for m in pkg_metas:
        text, extra = metadata(m)
        lines, _ = headers(text)
        name, version = header(lines, "Name"), header(lines, "Version")
        if norm(name) in SKIP:
            continue
        try:
            Version(version)
        except InvalidVersion:
            print("wheels: skip %s: version %r is not PEP 440" % (m, version))
            continue
        declared = {norm(re.split(r"[ ;<>=!~\[(]", header_value)[0])
                    for header_value in (l.partition(":")[2].strip() for l in lines if l.lower().startswith("requires-dist:"))
                    if "extra ==" not in header_value}
        wanted = debian_requires(pkg) + EXTRA_REQUIRES.get(norm(name), [])
        added = sorted({d for d in wanted if norm(d) not in declared and norm(d) != norm(name)})
        head, sep, body = text.partition("\n\n")
        out = []
        for line in head.split("\n"):
            if line.lower().startswith("requires-dist:"):
                value = line.partition(":")[2].strip()
                fixed = debianize(value)
                if fixed != value:
                    print("wheels: %s: requires %s instead of %s" % (name, fixed, value))
                line = "Requires-Dist: " + fixed
            out.append(line)
        text = "\n".join(out + ["Requires-Dist: " + d for d in added]) + (sep or "\n\n") + body
        tops = top_names(m, name)
        mine = []
        for f in files:
            first = f.split("/")[0]
            if first.endswith((".dist-info", ".egg-info")):
                continue
            if len(pkg_metas) == 1 or first in tops or first.split(".")[0] in tops:
                mine.append(f)
        esc = re.sub(r"[-_.]+", "_", name)
        compiled = any(f.endswith(".so") for f in mine)
        tag = "cp313-cp313-linux_x86_64" if compiled else "py3-none-any"
        info = "%s-%s.dist-info" % (esc, version)
        entries = []
        for f in sorted(mine):
            try:
                data = open(os.path.join(SP, f), "rb").read()
            except OSError as e:
                print("wheels: %s: leave out %s: %s" % (name, f, e))
                continue
            entries.append((f, data))
        entries.append((info + "/METADATA", text.encode("utf-8")))
        for k, v in sorted(extra.items()):
            entries.append((info + "/" + k, v))
        wheel = "Wheel-Version: 1.0\nGenerator: wharf-e2e-repack\nRoot-Is-Purelib: %s\nTag: %s\n" % (
            "false" if compiled else "true", tag)
        entries.append((info + "/WHEEL", wheel.encode()))
        record = ["%s,sha256=%s,%d" % (f, b64(hashlib.sha256(d).digest()), len(d)) for f, d in entries]
        record.append(info + "/RECORD,,")
        entries.append((info + "/RECORD", ("\n".join(record) + "\n").encode()))
        path = os.path.join(OUT, "%s-%s-%s.whl" % (esc, version, tag))
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for f, d in entries:
                zi = zipfile.ZipInfo(f, date_time=(1980, 1, 1, 0, 0, 0))
                zi.external_attr = 0o644 << 16
                zi.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(zi, d)
        count += 1
print("wheels: %d written to %s" % (count, OUT))
if count == 0:
    sys.exit("wheels: none written")
