package generate_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/spec"
)

const pythonSpec = `version: 1
name: api
language: python
runtime:
  cmd: ["python", "-m", "api"]
`

func parse(t *testing.T, data string) *spec.Spec {
	t.Helper()
	s, err := spec.Parse("wharf.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// templateDir writes one template file to a fresh folder and returns the
// folder.
func templateDir(t *testing.T, name, text string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCustomTemplateOverridesBlock(t *testing.T) {
	dir := templateDir(t, "users.tmpl", `{{define "create-user-debian"}}
RUN useradd --uid {{.ID}} --home-dir /home/{{.Create}} --create-home {{.Create}}
LABEL com.example.user={{.Create}}
{{end}}`)
	g, err := generate.NewDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files, err := g.Files(parse(t, pythonSpec), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := string(files[0].Data)
	for _, want := range []string{
		"\nRUN useradd --uid 10001 --home-dir /home/app --create-home app\nLABEL com.example.user=app\n",
		"\nUSER 10001:10001\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Dockerfile lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "groupadd") || strings.Contains(got, "\x00") {
		t.Errorf("Dockerfile still has the built-in block or a marker:\n%s", got)
	}
	// Blocks that are not overridden are the built-ins.
	builtin, err := generate.Files(parse(t, pythonSpec))
	if err != nil {
		t.Fatal(err)
	}
	if a, b := strings.Index(got, "RUN useradd"), strings.Index(string(builtin[0].Data), "RUN groupadd"); a != b {
		t.Errorf("the override starts at byte %d, the built-in block at %d; the rest should be unchanged", a, b)
	}
}

func TestCustomTemplateErrors(t *testing.T) {
	for _, tc := range []struct {
		name, file, text string
		want             []string // parts of the error, in order
	}{{
		name: "output is not a Dockerfile",
		file: "users.tmpl",
		text: "{{define \"create-user-debian\"}}\nuseradd {{.Create}}\n{{end}}",
		want: []string{"users.tmpl: block \"create-user-debian\" produces an invalid Dockerfile for wharf.yaml: line 19: \"useradd\" is not a Dockerfile instruction"},
	}, {
		name: "dangling continuation",
		file: "config.tmpl",
		text: "{{define \"runner-config\"}}\nUSER {{.User.Directive}}\nCMD {{exec .Cmd}} \\\n{{end}}",
		want: []string{"config.tmpl: block \"runner-config\" produces an invalid Dockerfile", "the last instruction ends with a line continuation"},
	}, {
		name: "missing field",
		file: "users.tmpl",
		text: "{{define \"create-user-debian\"}}\nRUN useradd \\\n  --home {{.Home}} {{.Create}}\n{{end}}",
		want: []string{"render Dockerfile for wharf.yaml: template: ", "users.tmpl:3:11: executing \"create-user-debian\" at <.Home>: can't evaluate field Home in type generate.User"},
	}, {
		name: "parse error",
		file: "users.tmpl",
		text: "{{define \"create-user-debian\"}}\nRUN {{shout .Create}}\n{{end}}",
		want: []string{"parse template ", "users.tmpl:2: function \"shout\" not defined"},
	}, {
		name: "misspelt block",
		file: "users.tmpl",
		text: "{{define \"create-user-debain\"}}RUN true{{end}}",
		want: []string{"users.tmpl defines \"create-user-debain\", which is neither a built-in block nor used by a custom one (did you mean \"create-user-debian\"?)"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := templateDir(t, tc.file, tc.text)
			g, err := generate.NewDir(dir)
			if err == nil {
				_, err = g.Files(parse(t, pythonSpec), nil)
			}
			if err == nil {
				t.Fatal("no error")
			}
			got := err.Error()
			if !strings.Contains(got, filepath.Join(dir, tc.file)) {
				t.Errorf("error does not name the template %s:\n%s", filepath.Join(dir, tc.file), got)
			}
			rest := got
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("error:\n%s\nlacks (in order):\n%s", got, w)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

// TestCustomHelperBlock checks that a custom template may add blocks of
// its own, as long as a custom block uses them.
func TestCustomHelperBlock(t *testing.T) {
	g, err := generate.New(fstest.MapFS{"labels.tmpl": {Data: []byte(`
{{define "team-label"}}LABEL com.example.team=platform
{{end}}
{{define "create-user-debian"}}{{template "team-label"}}RUN useradd {{.Create}}
{{end}}`)}})
	if err != nil {
		t.Fatal(err)
	}
	files, err := g.Files(parse(t, pythonSpec), nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := "\nLABEL com.example.team=platform\nRUN useradd app\n"; !strings.Contains(string(files[0].Data), want) {
		t.Errorf("Dockerfile lacks %q:\n%s", want, files[0].Data)
	}
}

func TestNewDirErrors(t *testing.T) {
	empty := t.TempDir()
	file := filepath.Join(empty, "x.tmpl")
	for dir, want := range map[string]string{
		filepath.Join(empty, "nope"): "does not exist",
		empty:                        "holds no *.tmpl files",
	} {
		if _, err := generate.NewDir(dir); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("NewDir(%s) = %v, want an error saying %q", dir, err, want)
		}
	}
	if err := os.WriteFile(file, []byte(`{{define "env"}}{{end}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := generate.NewDir(file); err == nil || !strings.Contains(err.Error(), "is a file") {
		t.Errorf("NewDir(file) = %v, want an error saying it is a file", err)
	}
	other := filepath.Join(empty, "y.tmpl")
	if err := os.WriteFile(other, []byte(`{{define "env"}}{{end}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := generate.NewDir(empty); err == nil || !strings.Contains(err.Error(), `both define "env"`) {
		t.Errorf("NewDir with two files defining env = %v, want an error", err)
	}
}
