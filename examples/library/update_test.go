package main

import _ "github.com/wharf-dev/wharf/internal/golden"
