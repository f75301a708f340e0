package detect_test

import (
	"slices"
	"testing"
	"testing/fstest"

	"github.com/wharf-dev/wharf/spec/detect"
)

func TestProjectPorts(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fsys   fstest.MapFS
		want   []int
		source string
		envVar string
	}{
		{"procfile", fstest.MapFS{"Procfile": {Data: []byte("release: migrate\nweb: gunicorn --bind 0.0.0.0:5005 app:app\n")}}, []int{5005}, "Procfile", ""},
		{"procfile $PORT only", fstest.MapFS{"Procfile": {Data: []byte("web: node server.js --port $PORT\n")}}, nil, "", ""},
		{"compose built service", fstest.MapFS{"docker-compose.yml": {Data: []byte("services:\n  db:\n    image: postgres\n    ports: [\"5432:5432\"]\n  web:\n    build: .\n    ports:\n      - \"127.0.0.1:8080:80/tcp\"\n      - 9090\n      - target: 9091\n        published: 9091\n")}}, []int{80, 9090, 9091}, "docker-compose.yml", ""},
		{"compose build context", fstest.MapFS{"compose.yaml": {Data: []byte("services:\n  api:\n    build: {context: ., dockerfile: Dockerfile}\n    ports: [\"${PORT:-4000}:4000\"]\n")}}, []int{4000}, "compose.yaml", ""},
		{"compose image only", fstest.MapFS{"compose.yaml": {Data: []byte("services:\n  db:\n    image: redis\n    ports: [\"6379:6379\"]\n")}}, nil, "", ""},
		{"env example", fstest.MapFS{".env.example": {Data: []byte("# settings\nDATABASE_URL=postgres://\nPORT=4321 # http\n")}}, []int{4321}, ".env.example", "PORT"},
		{"env app port", fstest.MapFS{".env": {Data: []byte("export APP_PORT=\"7000\"\n")}}, []int{7000}, ".env", "APP_PORT"},
		{"config json", fstest.MapFS{"config.json": {Data: []byte("{\n\t\"ServerPort\": \":8081\"\n}\n")}}, []int{8081}, "config.json", ""},
		{"config ini", fstest.MapFS{"conf/app.ini": {Data: []byte("[server]\nRunMode = debug\nHttpPort = 8000\nReadTimeout = 60\n")}}, []int{8000}, "conf/app.ini", ""},
		{"nothing", fstest.MapFS{".env": {Data: []byte("PORT=\n")}}, nil, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, why, source, envVar := detect.ProjectPorts(tc.fsys)
			if !slices.Equal(got, tc.want) || source != tc.source || envVar != tc.envVar {
				t.Errorf("ports = %v from %q, variable %q (%s), want %v from %q, variable %q", got, source, envVar, why, tc.want, tc.source, tc.envVar)
			}
		})
	}
}

func TestSetEnv(t *testing.T) {
	var p detect.Proposal
	p.SetEnv("PM2_HOME", "/tmp/.pm2", "pm2.")
	p.SetEnv("PORT", "3000", "port.")
	p.SetEnv("PORT", "4000", "again.")
	if len(p.Runtime) != 1 || !slices.Equal(p.Runtime[0].Lines, []string{`PM2_HOME: "/tmp/.pm2"`, `PORT: "3000"`}) || p.Runtime[0].Why != "pm2. port." {
		t.Errorf("runtime = %+v, want one env field with PM2_HOME and PORT 3000", p.Runtime)
	}
}
