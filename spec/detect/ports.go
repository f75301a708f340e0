package detect

import (
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
)

// composeFiles are the names Docker Compose reads, in its order of preference.
var composeFiles = []string{"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"}

var (
	// procfilePort is the port a Procfile's web process binds: --port N,
	// -p N, --bind HOST:N, -b HOST:N or PORT=N.
	procfilePort = lazyregexp.New(`(?:--port[= ]|-p |--bind[= ]\S*:|-b \S*:|\bPORT=)([0-9]{2,5})\b`)
	// procfileWebLine is the web process of a Procfile.
	procfileWebLine = lazyregexp.New(`(?m)^web:\s*(.+?)\s*$`)
	// envPort is a PORT default in a .env file: the variable, the port.
	envPort = lazyregexp.New(`(?m)^\s*(?:export\s+)?((?:[A-Z_]*_)?PORT)\s*=\s*["']?([0-9]{2,5})["']?\s*(?:#.*)?$`)
	// configPort is a port setting in a config file: "port": 8080,
	// HttpPort = 8000, server_port: ":8081".
	configPort = lazyregexp.New(`(?im)^\s*"?(?:http_?|server_?|app_?|listen_?)?port"?\s*[:=]\s*["']?(?:[0-9.]*:)?([0-9]{2,5})["']?\s*,?\s*(?:[#;].*)?$`)
)

// configFiles are the usual config files of an app that may say its port.
var configFiles = []string{"config.json", "config.yaml", "config.yml", "config.toml", "app.ini", "conf/app.ini", "config/default.json", "config/config.yaml"}

// ProjectPorts finds the port the project's service listens on in files
// that are not any one language's: the Procfile's web process, the
// compose file's ports of the services it builds from this folder, and a
// PORT default in .env or .env.example, a port setting in a usual config
// file (config.json, conf/app.ini, ...). Detect uses it when the
// language's own detection found none. It returns the ports, the reason,
// the file, and for an env file the variable that holds the port.
func ProjectPorts(fsys fs.FS) (ports []int, why, source, envVar string) {
	if text, ok := ReadFile(fsys, "Procfile"); ok {
		if m := procfileWebLine.FindStringSubmatch(text); m != nil {
			if p := procfilePort.FindStringSubmatch(m[1]); p != nil {
				if port := validPort(p[1]); port > 0 {
					return []int{port}, fmt.Sprintf("The Procfile's web process binds %d.", port), "Procfile", ""
				}
			}
		}
	}
	for _, f := range composeFiles {
		if text, ok := ReadFile(fsys, f); ok {
			if ports := composePorts(text); len(ports) > 0 {
				return ports, fmt.Sprintf("The ports %s publishes for the service it builds from this folder.", f), f, ""
			}
			break
		}
	}
	for _, f := range []string{".env", ".env.example", ".env.sample", "example.env"} {
		if text, ok := ReadFile(fsys, f); ok {
			if m := envPort.FindStringSubmatch(text); m != nil {
				if port := validPort(m[2]); port > 0 {
					return []int{port}, fmt.Sprintf("The %s default in %s (%d).", m[1], f, port), f, m[1]
				}
			}
		}
	}
	for _, f := range configFiles {
		if text, ok := ReadFile(fsys, f); ok {
			if m := configPort.FindStringSubmatch(text); m != nil {
				if port := validPort(m[1]); port > 0 {
					return []int{port}, fmt.Sprintf("The port setting in %s (%d).", f, port), f, ""
				}
			}
		}
	}
	return nil, "", "", ""
}

func validPort(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > 65535 {
		return 0
	}
	return n
}

// composePorts reads the container ports of the compose services that are
// built from the compose file's folder (build: . or build: {context: .}).
func composePorts(text string) []int {
	var doc struct {
		Services map[string]struct {
			Build any   `yaml:"build"`
			Ports []any `yaml:"ports"`
		} `yaml:"services"`
	}
	if yaml.Unmarshal([]byte(text), &doc) != nil {
		return nil
	}
	names := make([]string, 0, len(doc.Services))
	for n := range doc.Services {
		names = append(names, n)
	}
	slices.Sort(names)
	var ports []int
	for _, n := range names {
		svc := doc.Services[n]
		ctx := ""
		switch b := svc.Build.(type) {
		case string:
			ctx = b
		case map[string]any:
			ctx, _ = b["context"].(string)
			if ctx == "" {
				ctx = "."
			}
		}
		if ctx != "." && ctx != "./" {
			continue
		}
		for _, p := range svc.Ports {
			port := 0
			switch v := p.(type) {
			case int:
				port = v
			case string:
				v, _, _ = strings.Cut(v, "/") // "8000:8000/tcp"
				if i := strings.LastIndex(v, ":"); i >= 0 {
					v = v[i+1:]
				}
				port = validPort(v)
			case map[string]any:
				port, _ = v["target"].(int)
			}
			if port > 0 && !slices.Contains(ports, port) {
				ports = append(ports, port)
			}
		}
	}
	return ports
}
