package dockerfile

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	_ "github.com/wharf-dev/wharf/internal/golden" // accepts -update
)

func TestCommands(t *testing.T) {
	got := commands("set -eux; apt-get update && apt-get install -y \\\n  gcc 'a b;c' || true\n# comment\necho \"x && y\" | tee f")
	want := []string{"set -eux", "apt-get update", "apt-get install -y    gcc 'a b;c'", "true", `echo "x && y"`, "tee f"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
}

func TestPlainCommand(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"npm start", []string{"npm", "start"}},
		{`gunicorn -b "0.0.0.0:8000" app:app`, []string{"gunicorn", "-b", "0.0.0.0:8000", "app:app"}},
		{"./server -port $PORT", nil},
		{"curl -f http://x/ || exit 1", nil},
		{"FOO=1 run", nil},
		{"python app.py > log", nil},
	} {
		got, _, ok := plainCommand(tc.in)
		if ok != (tc.want != nil) || !slices.Equal(got, tc.want) {
			t.Errorf("plainCommand(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		in   string
		kind stepKind
		pkgs []string
	}{
		{"DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -o Dpkg::Options::=--force-confold gcc libpq-dev", stepInstall, []string{"gcc", "libpq-dev"}},
		{"apk add --no-cache --virtual .build-deps gcc musl-dev", stepInstall, []string{"gcc", "musl-dev"}},
		{"microdnf install -y --nodocs shadow-utils", stepInstall, []string{"shadow-utils"}},
		{"apt-get update", stepTidy, nil},
		{"rm -rf /var/lib/apt/lists/*", stepTidy, nil},
		{"useradd -m app", stepUserAdd, nil},
		{"make assets", stepOther, nil},
	} {
		got := classify(tc.in)
		if got.kind != tc.kind || !slices.Equal(got.packages, tc.pkgs) {
			t.Errorf("classify(%q) = %v %q; want %v %q", tc.in, got.kind, got.packages, tc.kind, tc.pkgs)
		}
	}
}

func TestReadErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"FROM alpine\nFORM x\n", "Dockerfile:2:1: unknown instruction: FORM"},
		{"ARG V=1\n", "Dockerfile:1:1: the Dockerfile has no FROM"},
		{"ARG BASE\n  FROM ${BASE} AS b\n", "Dockerfile:2:8: FROM ${BASE} names no image: ARG BASE (line 1) has no default"},
		{"FROM $NOPE\n", "Dockerfile:1:6: FROM $NOPE names no image: no ARG NOPE before the first FROM declares it"},
	} {
		_, err := Read("Dockerfile", []byte(tc.src))
		var e *Error
		if !errors.As(err, &e) || len(err.Error()) < len(tc.want) || err.Error()[:len(tc.want)] != tc.want {
			t.Errorf("Read(%q) = %v; want an *Error starting %q", tc.src, err, tc.want)
		}
	}
}

func TestReadStages(t *testing.T) {
	src := "# syntax=docker/dockerfile:1\n# escape=`\nARG PY=3.11\nFROM python:${PY}-slim AS base\nRUN <<EOT\napt-get install -y curl\nEOT\nFROM base\nRUN echo `\n  hi\n"
	f, err := Read("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Stages) != 2 || f.Stages[0].Image != "python:3.11-slim" || f.Final().Parent != f.Stages[0] || f.Final().Image != "python:3.11-slim" {
		t.Fatalf("stages: %+v", f.Stages)
	}
	if got, want := f.InstructionLines(), []int{3, 4, 5, 8, 9}; !slices.Equal(got, want) {
		t.Errorf("InstructionLines() = %v, want %v", got, want)
	}
}
