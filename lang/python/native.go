package python

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wharf-dev/wharf/spec/detect"
)

// A nativeDep is a dependency that pip builds from source on Linux (it
// publishes no manylinux wheel), or that loads a system library: the
// Debian packages its build needs in the builder and why, and those it
// loads at run time and why.
type nativeDep struct {
	build      []string
	buildWhy   string
	runtime    []string
	runtimeWhy string
}

// nativeDeps are such dependencies by normalized name. The package names
// are the same on Debian 12 and 13.
var nativeDeps = map[string]nativeDep{
	"psycopg2": {
		[]string{"gcc", "libc6-dev", "libpq-dev"}, "psycopg2 has no wheel: its build needs pg_config and libpq's headers (libpq-dev)",
		[]string{"libpq5"}, "psycopg2 links libpq5"},
	"mysqlclient": {
		[]string{"gcc", "libc6-dev", "pkg-config", "default-libmysqlclient-dev"}, "mysqlclient has no Linux wheel: its build finds the client library's headers with pkg-config",
		[]string{"libmariadb3"}, "mysqlclient links libmariadb3"},
	"uwsgi": {
		[]string{"gcc", "libc6-dev"}, "uWSGI has no wheel: pip compiles it",
		nil, ""},
}

// psycopg is psycopg 3's nativeDep for its extras: with "binary" it needs
// nothing; with "c" it builds against libpq; otherwise it loads libpq.
func psycopg(extras string) (nativeDep, bool) {
	names := strings.Split(strings.Trim(extras, "[]"), ",")
	switch {
	case slices.Contains(names, "binary"):
		return nativeDep{}, false
	case slices.Contains(names, "c"):
		return nativeDep{
			[]string{"gcc", "libc6-dev", "libpq-dev"}, "psycopg[c] builds against libpq's headers (libpq-dev)",
			[]string{"libpq5"}, "psycopg[c] links libpq5"}, true
	}
	return nativeDep{runtime: []string{"libpq5"}, runtimeWhy: "psycopg without its binary extra loads libpq5"}, true
}

// proposeNative adds to p the builder and runner packages that the
// dependencies in reqs need.
func proposeNative(p *detect.Proposal, reqs []requirement) {
	var build, runtime, buildWhy, runtimeWhy []string
	for _, r := range reqs {
		d, ok := nativeDeps[r.Name]
		if r.Name == "psycopg" {
			d, ok = psycopg(r.Extras)
		}
		if !ok {
			continue
		}
		if len(d.build) > 0 {
			build = appendNew(build, d.build...)
			buildWhy = append(buildWhy, fmt.Sprintf("%s (%s)", d.buildWhy, r.From))
		}
		if len(d.runtime) > 0 {
			runtime = appendNew(runtime, d.runtime...)
			runtimeWhy = append(runtimeWhy, fmt.Sprintf("%s (%s)", d.runtimeWhy, r.From))
		}
	}
	if len(build) > 0 {
		if len(p.BuildPackages) > 0 {
			p.BuildPackagesWhy += " "
		}
		p.BuildPackages = appendNew(p.BuildPackages, build...)
		p.BuildPackagesWhy += strings.Join(buildWhy, "; ") + ". These packages stay out of the runner."
	}
	if len(runtime) > 0 && !slices.ContainsFunc(p.Runtime, func(f detect.Field) bool { return f.Key == "packages" }) {
		p.Runtime = append(p.Runtime, detect.Field{Key: "packages", Value: detect.FlowList(runtime), Sure: detect.Likely,
			Why: "Libraries the dependencies load at run time: " + strings.Join(runtimeWhy, "; ") + "."})
	}
}

// appendNew appends the items that list does not hold yet.
func appendNew(list []string, items ...string) []string {
	for _, item := range items {
		if !slices.Contains(list, item) {
			list = append(list, item)
		}
	}
	return list
}
