package harness

import (
	"archive/zip"
	"bufio"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
)

// repackWheels is the script the wheelhouse recipe runs (wheels.py).
//
//go:embed wheels.py
var repackWheels string

// PublicRoots are the projects whose wheels, with everything they require,
// the PyPI stand-in (/pypi/simple/) serves: the build backends that an
// isolated `pip wheel` of a project fetches, and the dependencies of the
// corpus apps that TestCorpus builds from `wharf init` unedited (their specs
// name no index, so pip asks PyPI, as it would for a real user). Everything
// else is only on the private index.
var PublicRoots = []string{
	"setuptools", "wheel", "flit-core", "hatchling", "poetry-core", "pdm-backend",
	"flask", "fastapi", "uvicorn", "requests", "pygments",
}

// PyIndex serves a folder of wheels as two PEP 503 "simple" indexes on a
// loopback port, in process:
//
//   - /pypi/simple/: the stand-in for PyPI, which the python look-alikes'
//     /etc/pip.conf names: PublicRoots and what they require, no login;
//   - /private/simple/: every wheel, behind HTTP basic auth (User,
//     Password), for wharf's python.index with a netrc secret.
//
// Files are at /pypi/files/NAME and /private/files/NAME, each page's links
// carry #sha256= (pip checks it).
type PyIndex struct {
	// Addr is host:port, e.g. "127.0.0.1:40123".
	Addr           string
	User, Password string

	dir      string
	projects map[string][]wheelFile // normalized project -> files
	public   map[string]bool
	srv      *http.Server
	done     chan error

	mu  sync.Mutex
	log []string
}

type wheelFile struct{ name, sha256 string }

var nonNameChars = regexp.MustCompile(`[-_.]+`)

// NormalizeProject is PEP 503's name normalization.
func NormalizeProject(name string) string {
	return strings.ToLower(nonNameChars.ReplaceAllString(name, "-"))
}

// StartPyIndex indexes the wheels in dir and serves them on a free
// loopback port.
func StartPyIndex(dir, user, password string) (*PyIndex, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	x := &PyIndex{User: user, Password: password, dir: dir, projects: map[string][]wheelFile{}, public: map[string]bool{}, done: make(chan error, 1)}
	requires := map[string][]string{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".whl") {
			continue
		}
		project := NormalizeProject(strings.SplitN(e.Name(), "-", 2)[0])
		sum, reqs, err := readWheel(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		x.projects[project] = append(x.projects[project], wheelFile{e.Name(), sum})
		requires[project] = append(requires[project], reqs...)
	}
	if len(x.projects) == 0 {
		return nil, fmt.Errorf("no wheels in %s", dir)
	}
	todo := slices.Clone(PublicRoots)
	for len(todo) > 0 {
		p := NormalizeProject(todo[0])
		todo = todo[1:]
		if x.public[p] || x.projects[p] == nil {
			continue
		}
		x.public[p] = true
		todo = append(todo, requires[p]...)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	x.Addr = ln.Addr().String()
	x.srv = &http.Server{Handler: x}
	go func() { x.done <- x.srv.Serve(ln) }()
	return x, nil
}

// readWheel returns a wheel's sha256 and the projects its METADATA
// requires unconditionally (no extra).
func readWheel(path string) (string, []string, error) {
	dt, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	sum := sha256.Sum256(dt)
	zr, err := zip.OpenReader(path)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", path, err)
	}
	defer zr.Close()
	var reqs []string
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".dist-info/METADATA") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return "", nil, err
		}
		sc := bufio.NewScanner(rc)
		for sc.Scan() {
			line := sc.Text()
			if line == "" {
				break // end of headers
			}
			v, ok := strings.CutPrefix(line, "Requires-Dist:")
			if !ok || strings.Contains(v, "extra ==") || strings.Contains(v, "extra==") {
				continue
			}
			name := strings.TrimSpace(v)
			if i := strings.IndexAny(name, " ;<>=!~[("); i >= 0 {
				name = name[:i]
			}
			reqs = append(reqs, name)
		}
		rc.Close()
	}
	return hex.EncodeToString(sum[:]), reqs, nil
}

// PublicProjects lists what the PyPI stand-in serves, sorted.
func (x *PyIndex) PublicProjects() []string {
	var out []string
	for p := range x.public {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// URL returns the simple index URL of "pypi" or "private".
func (x *PyIndex) URL(which string) string {
	return "http://" + x.Addr + "/" + which + "/simple/"
}

// Requests returns "STATUS METHOD PATH USER" for every request so far.
func (x *PyIndex) Requests() []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	return slices.Clone(x.log)
}

func (x *PyIndex) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	status, user := x.serve(w, r)
	x.mu.Lock()
	x.log = append(x.log, fmt.Sprintf("%d %s %s %s", status, r.Method, r.URL.Path, user))
	x.mu.Unlock()
}

func (x *PyIndex) serve(w http.ResponseWriter, r *http.Request) (int, string) {
	which, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	user, pass, hasAuth := r.BasicAuth()
	switch which {
	case "pypi":
	case "private":
		if !hasAuth || user != x.User || pass != x.Password {
			w.Header().Set("WWW-Authenticate", `Basic realm="wharf-e2e"`)
			http.Error(w, "login required", http.StatusUnauthorized)
			return http.StatusUnauthorized, user
		}
	default:
		http.NotFound(w, r)
		return http.StatusNotFound, user
	}
	visible := func(p string) bool { return which == "private" || x.public[p] }
	switch {
	case rest == "simple/":
		var names []string
		for p := range x.projects {
			if visible(p) {
				names = append(names, p)
			}
		}
		sort.Strings(names)
		var b strings.Builder
		b.WriteString("<!DOCTYPE html>\n<html><body>\n")
		for _, p := range names {
			fmt.Fprintf(&b, "<a href=\"%s/\">%s</a>\n", html.EscapeString(p), html.EscapeString(p))
		}
		b.WriteString("</body></html>\n")
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, b.String())
		return http.StatusOK, user
	case strings.HasPrefix(rest, "simple/"):
		p := strings.TrimSuffix(strings.TrimPrefix(rest, "simple/"), "/")
		if p != NormalizeProject(p) {
			http.Redirect(w, r, "/"+which+"/simple/"+NormalizeProject(p)+"/", http.StatusMovedPermanently)
			return http.StatusMovedPermanently, user
		}
		files := x.projects[p]
		if files == nil || !visible(p) {
			http.NotFound(w, r)
			return http.StatusNotFound, user
		}
		var b strings.Builder
		fmt.Fprintf(&b, "<!DOCTYPE html>\n<html><body><h1>Links for %s</h1>\n", html.EscapeString(p))
		for _, f := range files {
			fmt.Fprintf(&b, "<a href=\"/%s/files/%s#sha256=%s\">%s</a>\n", which, html.EscapeString(f.name), f.sha256, html.EscapeString(f.name))
		}
		b.WriteString("</body></html>\n")
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, b.String())
		return http.StatusOK, user
	case strings.HasPrefix(rest, "files/"):
		name := strings.TrimPrefix(rest, "files/")
		p := NormalizeProject(strings.SplitN(name, "-", 2)[0])
		ok := false
		for _, f := range x.projects[p] {
			ok = ok || f.name == name
		}
		if !ok || !visible(p) {
			http.NotFound(w, r)
			return http.StatusNotFound, user
		}
		http.ServeFile(w, r, filepath.Join(x.dir, name))
		return http.StatusOK, user
	}
	http.NotFound(w, r)
	return http.StatusNotFound, user
}

// Close stops the index.
func (x *PyIndex) Close() error {
	err := x.srv.Shutdown(context.Background())
	if serveErr := <-x.done; !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return err
}
