package rust

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
	"github.com/wharf-dev/wharf/spec/detect"
)

// cargoManifest is the part of Cargo.toml detection reads.
type cargoManifest struct {
	Package *struct {
		Name        string `toml:"name"`
		RustVersion any    `toml:"rust-version"` // a string, or {workspace = true}
		Autobins    *bool  `toml:"autobins"`
	} `toml:"package"`
	Bin []struct {
		Name string `toml:"name"`
		Path string `toml:"path"`
	} `toml:"bin"`
	Workspace *struct {
		Members []string `toml:"members"`
		Package struct {
			RustVersion string `toml:"rust-version"`
		} `toml:"package"`
	} `toml:"workspace"`
}

// toolchainFile is rust-toolchain.toml.
type toolchainFile struct {
	Toolchain struct {
		Channel string   `toml:"channel"`
		Targets []string `toml:"targets"`
	} `toml:"toolchain"`
}

var (
	// versionChannel matches a channel that names a release: 1.85 or 1.85.0.
	// Releases from 1.oldestRustTrixie on have rust:1.N-trixie images (Debian
	// 13, wharf's default line); older ones stay on Debian 12.
	versionChannel = lazyregexp.New(`^1\.([0-9]+)(\.[0-9]+)?$`)
	binaryChars    = lazyregexp.New(`[^A-Za-z0-9_-]+`)
)

// member is a package of the project, with its binaries.
type member struct {
	dir, name   string
	bins        []string
	rustVersion string
}

// Detect reads the project into p.
func (language) Detect(fsys fs.FS, p *detect.Proposal) error {
	root, err := readManifest(fsys, "Cargo.toml")
	if err != nil {
		return err
	}
	p.Sources = append(p.Sources, "Cargo.toml")
	var pkgs []member
	if root.Package != nil {
		pkgs = append(pkgs, packageOf(fsys, ".", root))
	}
	wsVersion := ""
	if root.Workspace != nil {
		wsVersion = root.Workspace.Package.RustVersion
		for _, pattern := range root.Workspace.Members {
			dirs, _ := fs.Glob(fsys, path.Clean(pattern))
			for _, dir := range dirs {
				m, err := readManifest(fsys, path.Join(dir, "Cargo.toml"))
				if err != nil || m.Package == nil {
					continue
				}
				p.Sources = append(p.Sources, path.Join(dir, "Cargo.toml"))
				pkgs = append(pkgs, packageOf(fsys, dir, m))
			}
		}
	}
	var chosen *member
	var withBins []string
	for i := range pkgs {
		if len(pkgs[i].bins) > 0 {
			withBins = append(withBins, pkgs[i].name)
			if chosen == nil {
				chosen = &pkgs[i]
			}
		}
	}
	if chosen == nil {
		return fmt.Errorf("rust: found no binary in Cargo.toml (no [[bin]], src/main.rs or src/bin/*.rs); the rust recipe builds binaries")
	}
	p.Name = detect.SpecName(chosen.name)
	r := &proposal{Bins: chosen.bins}
	if chosen.dir != "." {
		r.Package = chosen.name
		r.PackageWhy = fmt.Sprintf("The workspace member %s holds the binaries.", chosen.dir)
		if len(withBins) > 1 {
			r.PackageWhy = fmt.Sprintf("The workspace members with binaries are %s; a spec builds one package: write one spec per service, each with its own output.", detect.JoinList(withBins))
		}
	}
	r.BinsWhy = fmt.Sprintf("The binaries of %s; the first is the ENTRYPOINT, the others are copied next to it.", chosen.name)
	if len(chosen.bins) == 1 {
		r.BinsWhy = fmt.Sprintf("The binary of %s, the ENTRYPOINT.", chosen.name)
	}
	if !detect.IsFile(fsys, "Cargo.lock") {
		p.Notes = append(p.Notes, "There is no Cargo.lock: the build runs cargo build --locked, which needs it. Run cargo generate-lockfile and commit it.")
	} else {
		p.Sources = append(p.Sources, "Cargo.lock")
	}
	p.Section = r.fields()

	p.Builder, p.ImagesWhy = "rust:1-trixie", "The newest Rust 1.x"
	codename, debian := "trixie", "13"
	version := firstNonEmpty(chosen.rustVersion, wsVersion)
	if version != "" {
		p.ImagesWhy += fmt.Sprintf(", which meets rust-version %s in Cargo.toml", version)
	}
	for _, name := range []string{"rust-toolchain.toml", "rust-toolchain"} {
		data, ok := detect.ReadFile(fsys, name)
		if !ok {
			continue
		}
		p.Sources = append(p.Sources, name)
		channel := strings.TrimSpace(data)
		var tc toolchainFile
		if _, err := toml.Decode(data, &tc); err == nil && tc.Toolchain.Channel != "" {
			channel = tc.Toolchain.Channel
		}
		if m := versionChannel.FindStringSubmatch(channel); m != nil {
			if minor, _ := strconv.Atoi(m[1]); minor < oldestRustTrixie {
				codename, debian = "bookworm", "12"
			}
			p.Builder = "rust:" + channel + "-" + codename
			p.ImagesWhy = fmt.Sprintf("Rust %s, the channel %s pins", channel, name)
		} else {
			p.ImagesWhy += fmt.Sprintf("; %s asks for the %q channel, which rustup installs in the builder when cargo first runs", name, channel)
		}
		break
	}
	p.Runner = "gcr.io/distroless/cc-debian" + debian
	p.ImagesWhy += ", on Debian " + debian + "; the runner is distroless with glibc and libgcc, which a Rust binary links, and the same Debian release, so the same glibc."
	return nil
}

const oldestRustTrixie = 89

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

func readManifest(fsys fs.FS, name string) (*cargoManifest, error) {
	data, ok := detect.ReadFile(fsys, name)
	if !ok {
		return nil, fmt.Errorf("rust: found no %s; the rust recipe builds a Cargo package: run cargo init first", name)
	}
	var m cargoManifest
	if _, err := toml.Decode(data, &m); err != nil {
		return nil, fmt.Errorf("rust: %s: %w", name, err)
	}
	return &m, nil
}

// packageOf lists the binaries of the package in dir: its [[bin]]
// targets, and unless autobins is off, src/main.rs (named after the
// package) and src/bin/NAME.rs or src/bin/NAME/main.rs.
func packageOf(fsys fs.FS, dir string, m *cargoManifest) member {
	pkg := member{dir: dir, name: m.Package.Name}
	if pkg.name == "" {
		pkg.name = path.Base(dir)
	}
	if v, ok := m.Package.RustVersion.(string); ok {
		pkg.rustVersion = v
	}
	var bins []string
	for _, b := range m.Bin {
		name := b.Name
		if name == "" {
			name = pkg.name
		}
		bins = append(bins, name)
	}
	if m.Package.Autobins == nil || *m.Package.Autobins {
		if detect.IsFile(fsys, path.Join(dir, "src/main.rs")) {
			bins = append(bins, pkg.name)
		}
		entries, _ := fs.ReadDir(fsys, path.Join(dir, "src/bin"))
		for _, e := range entries {
			switch {
			case !e.IsDir() && strings.HasSuffix(e.Name(), ".rs"):
				bins = append(bins, strings.TrimSuffix(e.Name(), ".rs"))
			case e.IsDir() && detect.IsFile(fsys, path.Join(dir, "src/bin", e.Name(), "main.rs")):
				bins = append(bins, e.Name())
			}
		}
	}
	// The package's own binary first, then the others in name order.
	seen := map[string]bool{}
	for _, b := range bins {
		b = strings.Trim(binaryChars.ReplaceAllString(b, "-"), "-")
		if b != "" && !seen[b] {
			seen[b] = true
			pkg.bins = append(pkg.bins, b)
		}
	}
	slices.SortStableFunc(pkg.bins, func(a, b string) int {
		switch {
		case a == pkg.name:
			return -1
		case b == pkg.name:
			return 1
		}
		return strings.Compare(a, b)
	})
	return pkg
}

// proposal is the proposed rust section.
type proposal struct {
	Package, PackageWhy string
	Bins                []string
	BinsWhy             string
}

func (r *proposal) fields() []detect.Field {
	var f []detect.Field
	if r.Package != "" {
		f = append(f, detect.Field{Key: "package", Value: detect.Scalar(r.Package), Why: r.PackageWhy})
	}
	return append(f, detect.Field{Key: "bin", Value: detect.FlowList(r.Bins), Why: r.BinsWhy})
}

// Markers are the files that tell a Rust project.
func (language) Markers() []string { return []string{"Cargo.toml"} }
