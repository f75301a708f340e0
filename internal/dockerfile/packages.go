package dockerfile

import (
	"path"
	"strings"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
)

// A step is one simple command of a RUN, as wharf understands it.
type step struct {
	kind     stepKind
	manager  string   // apt-get, apk, dnf, microdnf, yum
	packages []string // for install; for remove, the names or groups removed
	virtual  string   // apk add --virtual NAME
	text     string
}

type stepKind int

const (
	stepOther   stepKind = iota
	stepInstall          // installs packages
	stepRemove           // removes packages or an apk --virtual group
	stepTidy             // index updates, cache cleaning, shell options
	stepUserAdd          // creates a user or group
)

// envPrefix matches the VAR=value words before a command.
var envPrefix = lazyregexp.New(`^[A-Za-z_][A-Za-z0-9_]*=`)

// classify reads one simple command.
func classify(cmd string) step {
	s := step{text: cmd}
	w := words(cmd)
	for len(w) > 0 && (envPrefix.MatchString(w[0]) || w[0] == "sudo" || w[0] == "exec") {
		w = w[1:]
	}
	if len(w) == 0 {
		s.kind = stepTidy
		return s
	}
	prog := path.Base(w[0])
	args := w[1:]
	switch prog {
	case "set", "true", ":":
		s.kind = stepTidy
	case "apt-get", "apt", "aptitude":
		s.manager = "apt-get"
		sub, rest := subcommand(args, map[string]bool{"-o": true, "-t": true, "-c": true})
		switch sub {
		case "install":
			s.kind, s.packages = stepInstall, names(rest, map[string]bool{"-o": true, "-t": true, "-c": true})
		case "update", "clean", "autoclean", "autoremove":
			s.kind = stepTidy
		case "purge", "remove":
			s.kind, s.packages = stepRemove, names(rest, nil)
		}
	case "apk":
		s.manager = "apk"
		valued := map[string]bool{"--virtual": true, "-t": true, "--repository": true, "-X": true, "--repositories-file": true, "--root": true, "-p": true}
		sub, rest := subcommand(args, valued)
		switch sub {
		case "add":
			s.kind, s.packages = stepInstall, names(rest, valued)
			for i, a := range rest {
				if (a == "--virtual" || a == "-t") && i+1 < len(rest) {
					s.virtual = rest[i+1]
				} else if v, ok := strings.CutPrefix(a, "--virtual="); ok {
					s.virtual = v
				}
			}
		case "update", "cache":
			s.kind = stepTidy
		case "del":
			s.kind, s.packages = stepRemove, names(rest, nil)
		}
	case "dnf", "microdnf", "yum", "tdnf":
		s.manager = prog
		valued := map[string]bool{"--setopt": true, "--enablerepo": true, "--disablerepo": true, "--releasever": true}
		sub, rest := subcommand(args, valued)
		switch sub {
		case "install":
			s.kind, s.packages = stepInstall, names(rest, valued)
		case "clean", "makecache", "update", "upgrade":
			if sub == "clean" || sub == "makecache" {
				s.kind = stepTidy
			}
		case "remove", "erase":
			s.kind, s.packages = stepRemove, names(rest, nil)
		}
	case "rm":
		// Removing files: caches, or what an install step left; wharf's
		// steps clean up after themselves.
		s.kind = stepTidy
	case "useradd", "adduser", "groupadd", "addgroup":
		s.kind = stepUserAdd
	}
	return s
}

// subcommand returns the first argument that is not an option, and the
// arguments after it. valued options take the next argument.
func subcommand(args []string, valued map[string]bool) (string, []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if valued[a] {
			i++
			continue
		}
		if !strings.HasPrefix(a, "-") {
			return a, args[i+1:]
		}
	}
	return "", nil
}

// names are the arguments that are not options (nor their values).
func names(args []string, valued map[string]bool) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if valued[a] {
			i++
			continue
		}
		if strings.HasPrefix(a, "-") || a == "" {
			continue
		}
		out = append(out, a)
	}
	return out
}
