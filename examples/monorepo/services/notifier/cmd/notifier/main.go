// Command notifier is a placeholder service for the wharf monorepo example.
package main

import "fmt"

func main() { fmt.Println("notifier") }
