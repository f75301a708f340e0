package outdated

// Links the package that registers -update, so that go test ./... -update
// (which rewrites the golden files elsewhere) runs here too.
import _ "github.com/wharf-dev/wharf/internal/golden"
