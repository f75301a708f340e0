package setting

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// Setup reads conf/app.ini and returns the HTTP port.
func Setup() int {
	f, err := os.Open("conf/app.ini")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	port := 8000
	s := bufio.NewScanner(f)
	for s.Scan() {
		if k, v, ok := strings.Cut(s.Text(), "="); ok && strings.TrimSpace(k) == "HttpPort" {
			port, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	return port
}
