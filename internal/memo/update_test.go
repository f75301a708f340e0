package memo_test

import _ "github.com/wharf-dev/wharf/internal/golden"
