// Package monorepo writes synthetic monorepos of wharf services, for
// benchmarks: mixed languages (python, go, node in turn), every service
// extending a language base that extends a shared base, and every 50th
// Python or Node service using a custom template folder.
package monorepo

import (
	"fmt"
	"os"
	"path/filepath"
)

var shared = map[string]string{
	"base.yaml": `# Settings every service shares.
version: 1
runtime:
  labels:
    org.opencontainers.image.vendor: Example Corp
    org.opencontainers.image.source: https://github.com/example/monorepo
ignore: [README.md, "tests/"]
`,
	"platform/python.yaml": `extends: [../base.yaml]
language: python
images: {builder: python:3.12-slim, runner: python:3.12-slim}
python: {install: mount}
runtime:
  env: {PORT: "8000"}
  expose: [8000]
`,
	"platform/go.yaml": `extends: [../base.yaml]
language: go
images: {builder: golang:1.23-bookworm, runner: gcr.io/distroless/static-debian12}
go: {tags: [netgo]}
runtime:
  env: {PORT: "8080"}
  expose: [8080]
`,
	"platform/node.yaml": `extends: [../base.yaml]
language: node
images: {builder: node:22-bookworm-slim, runner: node:22-bookworm-slim}
node: {manager: npm}
runtime:
  env: {PORT: "3000"}
  expose: [3000]
`,
	"platform/templates/create-user.tmpl": `{{define "create-user-debian"}}
RUN groupadd --system --gid {{.ID}} {{.Create}} \
 && useradd --system --uid {{.ID}} --gid {{.Create}} --create-home --home-dir /home/{{.Create}} --shell /usr/sbin/nologin {{.Create}}
{{end}}
`,
}

// Write writes a monorepo of n services below root.
func Write(root string, n int) error {
	for name, data := range shared {
		if err := put(filepath.Join(root, name), data); err != nil {
			return err
		}
	}
	for i := range n {
		dir := filepath.Join(root, "services", fmt.Sprintf("team%02d", i%40), fmt.Sprintf("svc%05d", i))
		if err := put(filepath.Join(dir, "wharf.yaml"), service(i)); err != nil {
			return err
		}
	}
	return nil
}

// service returns the spec of service i.
func service(i int) string {
	name := fmt.Sprintf("svc%05d", i)
	s := fmt.Sprintf("version: 1\nname: %s\n", name)
	switch i % 3 {
	case 0:
		s += "extends: [../../../platform/python.yaml]\n"
		s += "python: {requirements: [requirements.txt]}\n"
		s += "build: {packages: [gcc, libpq-dev]}\n"
		s += fmt.Sprintf("runtime:\n  packages: [libpq5]\n  cmd: [python, -m, %s]\n", "svc"+fmt.Sprint(i))
	case 1:
		s += "extends: [../../../platform/go.yaml]\n"
		s += "go: {main: ./cmd/server, ldflags: -s -w -X main.version=1.0.0}\n"
		s += "runtime:\n  healthcheck: {cmd: [/usr/local/bin/" + name + ", -health], interval: 30s}\n"
	case 2:
		s += "extends: [../../../platform/node.yaml]\n"
		s += "node: {build: build, output: dist}\n"
		s += "runtime:\n  cmd: [node, dist/server.js]\n"
	}
	s += fmt.Sprintf("  labels: {org.opencontainers.image.title: %s}\n", name)
	if i%50 == 0 && i%3 != 1 {
		// A few teams override the user block (go runners are shell-less).
		s += "templates: ../../../platform/templates\n"
	}
	return s
}

func put(name, data string) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, []byte(data), 0o644)
}
