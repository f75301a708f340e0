package golden

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	if Update() {
		t.Skip("compares only without -update")
	}
	path := filepath.Join(t.TempDir(), "want.txt")
	if err := os.WriteFile(path, []byte("a\nb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	Check(t, path, []byte("a\nb\n"))
	for _, got := range []string{"a\nb", "a\nc\n", ""} {
		var r recorder
		Check(&r, path, []byte(got))
		if !r.failed {
			t.Errorf("Check(%q) against %q passed", got, "a\nb\n")
		}
	}
	var r recorder
	Check(&r, filepath.Join(t.TempDir(), "missing.txt"), nil)
	if !r.failed {
		t.Error("Check passed for a missing file")
	}
}

func TestCheckUpdate(t *testing.T) {
	defer func(was bool) { *update = was }(*update)
	*update = true
	path := filepath.Join(t.TempDir(), "new", "want.txt")
	Check(t, path, []byte("a\n"))
	Check(t, path, []byte("b\n"))
	if data, err := os.ReadFile(path); err != nil || string(data) != "b\n" {
		t.Errorf("after Check with -update: %q, %v; want %q", data, err, "b\n")
	}
}

// recorder is a testing.TB that notes failures instead of failing.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }

// TestEveryPackage checks that every test binary of the module links this
// package, so that go test ./... -update does not stop at a package that
// does not know the flag.
func TestEveryPackage(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not installed")
	}
	const self = "github.com/wharf-dev/wharf/internal/golden"
	cmd := exec.Command("go", "list", "-test", "-f", `{{if not .ForTest}}{{.ImportPath}} {{join .Deps " "}}{{end}}`, "./...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		pkg, deps, _ := strings.Cut(line, " ")
		if !strings.HasSuffix(pkg, ".test") {
			continue
		}
		linked := false
		for _, dep := range strings.Fields(deps) {
			linked = linked || dep == self
		}
		if !linked && pkg != self+".test" {
			t.Errorf("%s does not link %s, so go test ./... -update fails there; add a test file with\n\timport _ %q", strings.TrimSuffix(pkg, ".test"), self, self)
		}
	}
}
