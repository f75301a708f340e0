package python_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	_ "github.com/wharf-dev/wharf/internal/golden"
	_ "github.com/wharf-dev/wharf/lang"
	"github.com/wharf-dev/wharf/spec"
	"github.com/wharf-dev/wharf/spec/detect"
)

func TestStartCommand(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	for _, tc := range []struct {
		name   string
		fsys   fstest.MapFS
		cmd    []string
		expose []int
		sure   detect.Confidence
	}{
		{"django with gunicorn", fstest.MapFS{
			"requirements.txt":   file("Django==5.1\ngunicorn==23.0\npsycopg[binary]\n"),
			"manage.py":          file("import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"mysite.settings\")\n"),
			"mysite/settings.py": file(""),
			"mysite/wsgi.py":     file(""),
			"mysite/__init__.py": file(""),
			"polls/views.py":     file(""),
		}, []string{"gunicorn", "--bind", "0.0.0.0:8000", "mysite.wsgi"}, []int{8000}, detect.Likely},
		{"fastapi with uvicorn", fstest.MapFS{
			"pyproject.toml":   file("[project]\nname = \"shop\"\ndependencies = [\"fastapi>=0.110\", \"uvicorn[standard]\"]\n"),
			"shop/__init__.py": file(""),
			"shop/main.py":     file("from fastapi import FastAPI\n\napi = FastAPI()\n"),
		}, []string{"uvicorn", "shop.main:api", "--host", "0.0.0.0", "--port", "8000"}, []int{8000}, detect.Likely},
		{"flask without gunicorn", fstest.MapFS{
			"requirements.txt": file("flask\n"),
			"app.py":           file("from flask import Flask\napp = Flask(__name__)\n"),
		}, []string{"flask", "--app", "app:app", "run", "--host", "0.0.0.0", "--port", "5000"}, []int{5000}, detect.Likely},
		{"flask factory with gunicorn", fstest.MapFS{
			"requirements.txt": file("flask\ngunicorn\n"),
			"blog/__init__.py": file("from flask import Flask\n\n\ndef create_app(test_config=None):\n    app = Flask(__name__)\n    return app\n"),
			"blog/templates/a": file(""),
		}, []string{"gunicorn", "--bind", "0.0.0.0:8000", "blog:create_app()"}, []int{8000}, detect.Likely},
		{"flask app that runs itself", fstest.MapFS{
			"requirements.txt": file("flask\n"),
			"app.py":           file("from flask import Flask\napp = Flask(__name__)\n\nif __name__ == \"__main__\":\n    app.run(host=\"0.0.0.0\", port=8000)\n"),
		}, []string{"python", "app.py"}, []int{8000}, detect.Likely},
		{"fastapi standard brings uvicorn", fstest.MapFS{
			"pyproject.toml":  file("[project]\nname = \"app\"\ndependencies = [\"fastapi[standard]>=0.114\"]\n"),
			"app/__init__.py": file(""),
			"app/main.py":     file("from fastapi import FastAPI\n\napp = FastAPI()\n"),
		}, []string{"uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"}, []int{8000}, detect.Likely},
		{"procfile with shell syntax", fstest.MapFS{
			"requirements.txt": file("gunicorn\nflask\n"),
			"Procfile":         file("web: gunicorn -w 2 --bind 0.0.0.0:$PORT web:app\nworker: python worker.py\n"),
			"web.py":           file("from flask import Flask\napp = Flask(__name__)\n"),
		}, []string{"sh", "-c", "exec gunicorn -w 2 --bind 0.0.0.0:$PORT web:app"}, []int{8000}, detect.Likely},
		{"celery worker", fstest.MapFS{
			"requirements.txt":  file("celery[redis]\n"),
			"tasks/__init__.py": file(""),
			"tasks/app.py":      file("from celery import Celery\napp = Celery('tasks')\n"),
		}, []string{"celery", "-A", "tasks.app", "worker", "--loglevel=INFO"}, nil, detect.Likely},
		{"cannot tell", fstest.MapFS{
			"requirements.txt": file("requests\n"),
			"lib/util.py":      file("def f(): pass\n"),
		}, []string{"python3", "-c", "raise SystemExit('set runtime.cmd in wharf.yaml')"}, nil, detect.Unknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := detect.Detect(tc.fsys, "project", "python")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(p.Cmd, tc.cmd) || !slices.Equal(p.Expose, tc.expose) || p.CmdSure != tc.sure {
				t.Errorf("cmd %q, expose %v, sure %d; want %q, %v, %d (why: %s)", p.Cmd, p.Expose, p.CmdSure, tc.cmd, tc.expose, tc.sure, p.CmdWhy)
			}
			// The proposal is a valid spec; a command that reads $PORT gets
			// it set to the exposed port.
			s, err := spec.Parse("wharf.yaml", p.YAML())
			if err != nil {
				t.Fatalf("%v\n%s", err, p.YAML())
			}
			wantPort := ""
			if strings.Contains(strings.Join(tc.cmd, " "), "$PORT") {
				wantPort = strconv.Itoa(tc.expose[0])
			}
			if got := s.Runtime.Env["PORT"]; got != wantPort {
				t.Errorf("runtime.env PORT = %q, want %q", got, wantPort)
			}
		})
	}
}
