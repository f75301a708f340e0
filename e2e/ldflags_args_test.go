package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestLDFlagsArgValues runs the build step wharf writes for a build
// argument in go.ldflags with /bin/sh (dash here, as in the Debian
// builders), a stand-in go that records its arguments, and the argument
// set to each hostile value and a few values made to add linker flags:
// the step must either fail naming the argument before go runs, or hand
// go an -ldflags that Go's own splitting turns into exactly the spec's
// flags, the value whole as the tail of the -X definition. Runs in
// process, no BuildKit; TestCases/go-binaries builds the same for real.
func TestLDFlagsArgValues(t *testing.T) {
	g := mustGenerate(t, []byte("version: 1\nname: v\nlanguage: go\nbuild:\n  args: {VERSION: dev}\ngo:\n  ldflags: \"-s -w -X main.version=${VERSION}\"\n"))
	runs := g.rb["builder"].Runs
	i := slices.IndexFunc(runs, func(r runReadback) bool { return strings.Contains(r.Text, "go build") })
	if i < 0 {
		t.Fatalf("no go build step in\n%s", g.files[0].Data)
	}
	step := runs[i].Text
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte("#!/bin/sh\nprintf '%s\\0' \"$@\" > \"$GO_ARGS\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	values := append(slices.Clone(hostileValues),
		"1.2.3", "v1.4.2-rc.1+build.7", "2026-11-29T07:00:00Z", "feature/x@abc~1", "-s", "",
		"1.0 -X main.admin=yes", "1.0\t-X\tmain.admin=yes", "1.0' -X 'main.admin=yes", `1.0" -X "main.admin=yes`,
		"'-X main.admin=yes'", "1.0\n-X main.admin=yes", "$VERSION", "${IFS}-X${IFS}main.admin=yes")
	accepted, refused := 0, 0
	for _, v := range values {
		if strings.ContainsRune(v, 0) {
			continue // no environment variable holds a NUL
		}
		out := filepath.Join(t.TempDir(), "args")
		cmd := exec.Command(sh, "-c", step)
		cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin", "VERSION=" + v, "GO_ARGS=" + out, "TARGETOS=linux", "TARGETARCH=amd64"}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		runErr := cmd.Run()
		argv, readErr := os.ReadFile(out)
		if runErr != nil {
			refused++
			if !strings.Contains(stderr.String(), "wharf: the build argument VERSION may hold only the characters") {
				t.Errorf("VERSION=%q: the step failed (%v) without naming the argument; stderr: %q", excerptOf(v), runErr, stderr.String())
			}
			if readErr == nil {
				t.Errorf("VERSION=%q: the step failed, but go ran first with %q", excerptOf(v), argv)
			}
			continue
		}
		accepted++
		args := strings.Split(strings.TrimSuffix(string(argv), "\x00"), "\x00")
		j := slices.IndexFunc(args, func(a string) bool { return strings.HasPrefix(a, "-ldflags=") })
		if j < 0 {
			t.Errorf("VERSION=%q: go got no -ldflags: %q", excerptOf(v), args)
			continue
		}
		fields, err := splitQuoted(strings.TrimPrefix(args[j], "-ldflags="))
		want := []string{"-s", "-w", "-X", "main.version=" + v}
		if err != nil || !slices.Equal(fields, want) {
			t.Errorf("VERSION=%q: go splits -ldflags into %q (err %v), want %q", excerptOf(v), fields, err, want)
		}
	}
	t.Logf("%d values accepted whole, %d refused by the step", accepted, refused)
	if accepted < 6 || refused < 10 {
		t.Errorf("accepted %d, refused %d: the test no longer tells the two apart", accepted, refused)
	}
}

// excerptOf keeps messages short for the long hostile value.
func excerptOf(v string) string {
	if len(v) > 60 {
		return fmt.Sprintf("%s... (%d bytes)", v[:60], len(v))
	}
	return v
}

// splitQuoted is Go's split of -ldflags (cmd/internal/quoted.Split, Go
// 1.26, which cmd/go applies to -ldflags): fields separated by spaces,
// tabs, newlines and carriage returns, a field may be quoted whole in '...'
// or "..." (no escapes), an unterminated quote is an error.
func splitQuoted(s string) ([]string, error) {
	var f []string
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	for len(s) > 0 {
		for len(s) > 0 && isSpace(s[0]) {
			s = s[1:]
		}
		if len(s) == 0 {
			break
		}
		if s[0] == '"' || s[0] == '\'' {
			quote := s[0]
			s = s[1:]
			i := 0
			for i < len(s) && s[i] != quote {
				i++
			}
			if i >= len(s) {
				return nil, fmt.Errorf("unterminated %c string", quote)
			}
			f = append(f, s[:i])
			s = s[i+1:]
			continue
		}
		i := 0
		for i < len(s) && !isSpace(s[i]) {
			i++
		}
		f = append(f, s[:i])
		s = s[i:]
	}
	return f, nil
}
