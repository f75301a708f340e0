// Command extras is a wharf e2e case for the runner's image config:
// env, labels, healthcheck, workdir, an extra artifact copy, and build args
// and env that are used by a build step but must not leak into the runner.
//
//	extras report       print what the runner sees (the image's CMD)
//	extras healthcheck  exit 0 if the copied static files are readable
package main

import (
	"fmt"
	"os"
	"strings"
)

func readTrimmed(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "error: " + err.Error()
	}
	return strings.TrimSpace(string(b))
}

func report() {
	wd, err := os.Getwd()
	if err != nil {
		wd = "error: " + err.Error()
	}
	_, leaked := os.LookupEnv("BUILD_CHANNEL")
	fmt.Printf("greeting: %s\n", os.Getenv("GREETING"))
	fmt.Printf("port: %s\n", os.Getenv("PORT"))
	fmt.Printf("cwd: %s\n", wd)
	// Relative paths: the artifact was copied to /app/static and WORKDIR is /app.
	fmt.Printf("static/hello.txt: %s\n", readTrimmed("static/hello.txt"))
	fmt.Printf("static/version.txt: %s\n", readTrimmed("static/version.txt"))
	fmt.Printf("build env leaked: %t\n", leaked)
	fmt.Printf("uid: %d\n", os.Getuid())
}

func healthcheck() int {
	if _, err := os.Stat("/app/static/hello.txt"); err != nil {
		fmt.Fprintln(os.Stderr, "unhealthy:", err)
		return 1
	}
	fmt.Println("ok")
	return 0
}

func main() {
	cmd := "report"
	if len(os.Args) > 1 {
		cmd = os.Args[1]
	}
	switch cmd {
	case "report":
		report()
	case "healthcheck":
		os.Exit(healthcheck())
	default:
		fmt.Fprintf(os.Stderr, "usage: extras [report|healthcheck]\n")
		os.Exit(2)
	}
}
