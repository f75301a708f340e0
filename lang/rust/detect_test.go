package rust_test

import (
	"strings"
	"testing"
	"testing/fstest"

	_ "github.com/wharf-dev/wharf/lang"
	"github.com/wharf-dev/wharf/spec/detect"
)

func files(kv ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := 0; i < len(kv); i += 2 {
		fsys[kv[i]] = &fstest.MapFile{Data: []byte(kv[i+1])}
	}
	return fsys
}

func section(p *detect.Proposal) map[string]string {
	m := map[string]string{}
	for _, f := range p.Section {
		m[f.Key] = f.Value
	}
	return m
}

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		name          string
		fsys          fstest.MapFS
		spec, builder string
		fields        map[string]string
		note          string
	}{
		{"main and bin folder", files(
			"Cargo.toml", "[package]\nname = \"my-svc\"\nrust-version = \"1.75\"\n",
			"Cargo.lock", "",
			"src/main.rs", "fn main() {}",
			"src/bin/migrate.rs", "fn main() {}",
			"src/bin/admin/main.rs", "fn main() {}",
		), "my-svc", "rust:1-trixie", map[string]string{"bin": "[my-svc, admin, migrate]"}, ""},
		{"explicit bins, autobins off, pinned toolchain, no lockfile", files(
			"Cargo.toml", "[package]\nname = \"tool\"\nautobins = false\n\n[[bin]]\nname = \"toold\"\npath = \"src/daemon.rs\"\n",
			"src/main.rs", "fn main() {}",
			"rust-toolchain.toml", "[toolchain]\nchannel = \"1.82.0\"\n",
		), "tool", "rust:1.82.0-bookworm", map[string]string{"bin": "[toold]"}, "no Cargo.lock"},
		{"workspace member", files(
			"Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\n",
			"Cargo.lock", "",
			"crates/core/Cargo.toml", "[package]\nname = \"core\"\n",
			"crates/core/src/lib.rs", "",
			"crates/api/Cargo.toml", "[package]\nname = \"api\"\n",
			"crates/api/src/main.rs", "fn main() {}",
			"rust-toolchain", "nightly-2025-01-01\n",
		), "api", "rust:1-trixie", map[string]string{"package": "api", "bin": "[api]"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := detect.Detect(c.fsys, "proj", "")
			if err != nil {
				t.Fatal(err)
			}
			if p.Language != "rust" || p.Name != c.spec || p.Builder != c.builder {
				t.Errorf("got language %s, name %s, builder %s; want rust, %s, %s", p.Language, p.Name, p.Builder, c.spec, c.builder)
			}
			got := section(p)
			for k, v := range c.fields {
				if got[k] != v {
					t.Errorf("rust.%s = %q, want %q", k, got[k], v)
				}
			}
			if len(got) != len(c.fields) {
				t.Errorf("section %v, want only %v", got, c.fields)
			}
			if notes := strings.Join(p.Notes, "\n"); (c.note == "") != (notes == "") || !strings.Contains(notes, c.note) {
				t.Errorf("notes %q, want %q", notes, c.note)
			}
		})
	}
}

func TestDetectNoBinary(t *testing.T) {
	_, err := detect.Detect(files("Cargo.toml", "[package]\nname = \"lib\"\n", "src/lib.rs", ""), "lib", "")
	if err == nil || !strings.Contains(err.Error(), "found no binary") {
		t.Fatalf("got %v, want an error saying no binary was found", err)
	}
}
