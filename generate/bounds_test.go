package generate_test

import (
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wharf-dev/wharf/generate"
)

// TestCustomTemplateBounds: a custom block that loops, writes without
// end, pads or doubles a string, or calls itself fails with an error
// naming its file and block, allocating a bounded amount (issue 17,
// item 12). RenderTimeout is lowered to keep the test short; what is
// asserted is the error and the memory, not the time.
func TestCustomTemplateBounds(t *testing.T) {
	defer func(d time.Duration) { generate.RenderTimeout = d }(generate.RenderTimeout)
	const block = `{{define "create-user-debian"}}`
	for _, c := range []struct {
		name, text, want string
	}{
		{"range forever", block + `{{range 2000000000}}{{end}}RUN true{{end}}`,
			`template .*users.tmpl: block "create-user-debian" did not finish rendering wharf.yaml within 50ms`},
		{"nested ranges", block + `{{$p := .}}{{range 100000}}{{range 100000}}{{end}}{{end}}RUN true{{end}}`,
			`block "create-user-debian" did not finish rendering`},
		{"writes forever", block + `{{range 2000000000}}RUN true ` + strings.Repeat("x", 4000) + `
{{end}}{{end}}`, `block "create-user-debian" writes more than 1048576 bytes for wharf.yaml`},
		{"helper called in a loop", `{{define "line"}}RUN true ` + strings.Repeat("x", 4000) + `
{{end}}` + block + `{{range 2000000000}}{{template "line"}}{{end}}{{end}}`,
			`block "create-user-debian" writes more than 1048576 bytes`},
		{"printf width", block + `RUN {{printf "%999999999d" 1}}{{end}}`, `printf "%999999999d" pads to more than 4096 characters`},
		{"printf star", block + `RUN {{printf "%*d" 999999999 1}}{{end}}`, `takes a width from its arguments`},
		{"doubling", block + `{{$x := "ab"}}{{range 64}}{{$x = print $x $x}}{{end}}RUN {{len $x}}{{end}}`, `print would return 2097152 bytes, more than 1048576`},
		{"js growth", block + `{{$x := "<<<<<<<<"}}{{range 20}}{{$x = js $x}}{{end}}RUN {{len $x}}{{end}}`, `js would return`},
	} {
		t.Run(c.name, func(t *testing.T) {
			generate.RenderTimeout = 500 * time.Millisecond
			if strings.Contains(c.want, "did not finish") {
				generate.RenderTimeout = 50 * time.Millisecond
			}
			g, err := generate.NewDir(templateDir(t, "users.tmpl", c.text))
			if err != nil {
				t.Fatal(err)
			}
			s := parse(t, pythonSpec)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err = g.Files(s, nil)
			runtime.ReadMemStats(&after)
			if err == nil || !matches(c.want, err.Error()) {
				t.Errorf("Files: %v\nwant an error matching %s", err, c.want)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20 {
				t.Errorf("Files allocated %d MB, want at most 64", n>>20)
			}
			if strings.Contains(c.want, "did not finish") {
				// The templates are not run again in this run.
				if _, again := g.Files(s, nil); again == nil || again.Error() != err.Error() {
					t.Errorf("second Files: %v, want the first error again", again)
				}
			}
		})
	}
}

// TestCustomTemplateRecursion: a block that calls itself, even through
// another, is refused when the folder is read.
func TestCustomTemplateRecursion(t *testing.T) {
	for text, want := range map[string]string{
		`{{define "create-user-debian"}}{{template "create-user-debian" .}}{{end}}`:                                                                                `block "create-user-debian" calls itself (create-user-debian → create-user-debian)`,
		`{{define "a"}}{{template "b" .}}{{template "b" .}}{{end}}{{define "b"}}{{template "a" .}}{{end}}{{define "create-user-debian"}}{{template "a" .}}{{end}}`: `block "a" calls itself (a → b → a)`,
	} {
		_, err := generate.NewDir(templateDir(t, "users.tmpl", text))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("NewDir(%s): %v, want an error containing %q", text, err, want)
		}
	}
}

func matches(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }
