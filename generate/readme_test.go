package generate_test

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	. "github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/lang/golang"
	"github.com/wharf-dev/wharf/lang/java"
	"github.com/wharf-dev/wharf/lang/node"
	"github.com/wharf-dev/wharf/lang/python"
	"github.com/wharf-dev/wharf/lang/rust"
)

// TestTemplatesREADME checks that templates/README.md documents every
// built-in block and every field of the data the blocks receive, and
// nothing that does not exist.
func TestTemplatesREADME(t *testing.T) {
	data, err := os.ReadFile("../templates/README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	g, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := BlockNames(g)
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^### `([a-z-]+)`$").FindAllStringSubmatch(readme, -1) {
		documented[m[1]] = true
		if !blocks[m[1]] {
			t.Errorf("README documents block %q, which does not exist", m[1])
		}
	}
	for name := range blocks {
		if !documented[name] {
			t.Errorf("README does not document block %q (add a ### `%s` section)", name, name)
		}
	}
	for _, v := range []any{Dockerfile{}, Stage{}, User{}, Var{}, Copy{}, python.Build{}, python.Tool{}, golang.Build{}, golang.Binary{}, node.Build{}, node.Tool{}, rust.Build{}, rust.Binary{}, java.Build{}, java.Tool{}} {
		typ := reflect.TypeOf(v)
		heading := "### `" + typ.String() + "`\n"
		i := strings.Index(readme, heading)
		if i < 0 {
			t.Errorf("README has no %q section", strings.TrimSpace(heading))
			continue
		}
		section := readme[i+len(heading):]
		if j := strings.Index(section, "\n### "); j >= 0 {
			section = section[:j]
		}
		rows := map[string]bool{}
		for _, m := range regexp.MustCompile("(?m)^\\| `([A-Za-z]+)` \\|").FindAllStringSubmatch(section, -1) {
			rows[m[1]] = true
		}
		for f := range typ.NumField() {
			name := typ.Field(f).Name
			if !typ.Field(f).IsExported() {
				continue // templates cannot reach it
			}
			if !rows[name] {
				t.Errorf("README section %s lacks field %s", typ, name)
			}
			delete(rows, name)
		}
		for name := range rows {
			t.Errorf("README section %s documents field %s, which does not exist", typ, name)
		}
	}
}
