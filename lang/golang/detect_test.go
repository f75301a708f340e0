package golang_test

import (
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	_ "github.com/wharf-dev/wharf/lang"
	"github.com/wharf-dev/wharf/spec"
	"github.com/wharf-dev/wharf/spec/detect"
)

func TestDetectRuntimeFilesAndPorts(t *testing.T) {
	fsys := fstest.MapFS{
		"go.mod": {Data: []byte("module example.com/shop\n\ngo 1.24\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\n")},
		"main.go": {Data: []byte(`package main

import (
	"embed"
	"html/template"
	"net/http"
	"os"
)

//go:embed assets
var assets embed.FS

func main() {
	tmpl := template.Must(template.ParseGlob("views/*.html"))
	data, _ := os.ReadFile("config/catalog.json")
	_, _ = os.ReadFile("/etc/hostname")
	_, _ = os.ReadFile("missing.json")
	http.Handle("/files/", http.FileServer(http.Dir("./uploads")))
	_ = tmpl
	_ = data
	http.ListenAndServe(":8081", nil)
}
`)},
		"views/index.html":    {Data: []byte("<p>hi</p>")},
		"config/catalog.json": {Data: []byte("{}")},
		"uploads/.keep":       {},
		"assets/app.css":      {},
		"static/logo.svg":     {},
	}
	p, err := detect.Detect(fsys, "shop", "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range p.Artifacts {
		got = append(got, a.From+" "+a.To)
	}
	want := []string{"/src/config /app/config", "/src/static /app/static", "/src/uploads /app/uploads", "/src/views /app/views"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("artifacts (-want +got):\n%s\nwhy: %s", diff, p.ArtifactsWhy)
	}
	if diff := cmp.Diff([]int{8081}, p.Expose); diff != "" {
		t.Errorf("expose (-want +got):\n%s", diff)
	}
	cgo := false
	for _, f := range p.Section {
		cgo = cgo || (f.Key == "cgo" && f.Value == "true")
	}
	if !cgo || p.Runner != "gcr.io/distroless/base-debian13" {
		t.Errorf("go-sqlite3 needs cgo: section %+v, runner %s", p.Section, p.Runner)
	}
	// The proposal loads, with the artifacts and the port.
	s, err := spec.Parse("wharf.yaml", p.YAML())
	if err != nil {
		t.Fatalf("%v\n%s", err, p.YAML())
	}
	if len(s.Artifacts) != 4 || len(s.Runtime.Expose) != 1 || s.Runtime.Expose[0].Number != 8081 {
		t.Errorf("loaded spec: artifacts %v, expose %v\n%s", s.Artifacts, s.Runtime.Expose, p.YAML())
	}
}
