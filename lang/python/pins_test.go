package python

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestPinnedPython(t *testing.T) {
	for _, tc := range []struct {
		name, requirements string
		want               int
		// note is a part of the note, "" for none.
		note string
	}{
		{"nothing pinned", "flask\nrequests>=2\n", 13, ""},
		{"django below the first 3.13 release", "Django>=4.2,<5.0\n", 12, "Django>=4.2,<5.0 in requirements.txt allows no release that supports Python 3.13 (Django 5.1.3 or newer"},
		{"django new enough", "django>=5.1.3\n", 13, ""},
		{"django before 3.12 support", "django==4.1.13\n", 11, "django==4.1.13 in requirements.txt allows no release that supports Python 3.12"},
		{"numpy 1.24 and pandas 1.5", "numpy==1.24.4\npandas==1.5.3\n", 11, "numpy==1.24.4"},
		{"psycopg2 2.9.9", "psycopg2==2.9.9 ; python_version >= '3.8'\n", 12, "(psycopg2 2.9.10 or newer"},
		{"extras and spaces", "Pillow [avif] == 10.4.0\n", 12, "Pillow==10.4.0"},
		{"unknown pins are said", "flask==2.0.1\nwerkzeug<2.1\nclick~=8.0\nitsdangerous==2.0.1\n", 13, "(flask==2.0.1, werkzeug<2.1, click~=8.0 and 1 more) support it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"requirements.txt": {Data: []byte(tc.requirements)}}
			minor, why, note := pinnedPython(requirements(fsys, pyproject{}, []string{"requirements.txt"}))
			if minor != tc.want {
				t.Errorf("Python 3.%d (%s), want 3.%d", minor, why, tc.want)
			}
			if tc.note == "" && note != "" || !strings.Contains(note, tc.note) {
				t.Errorf("note %q, want one containing %q", note, tc.note)
			}
			if note != "" && note != why {
				t.Errorf("the note %q is not the spec's comment %q", note, why)
			}
		})
	}
}

func TestPinnedPythonPoetry(t *testing.T) {
	var py pyproject
	py.Tool.Poetry.Dependencies = map[string]any{"python": "^3.8", "django": "^4.2", "numpy": map[string]any{"version": ">=2.1"}}
	minor, why, _ := pinnedPython(requirements(fstest.MapFS{}, py, nil))
	if minor != 12 {
		t.Errorf("Python 3.%d (%s), want 3.12: django ^4.2 stays below 5", minor, why)
	}
}
