package requester

import "fmt"

// Run sends n requests to url.
func Run(url string, n int) { fmt.Println("requests:", n, url) }
