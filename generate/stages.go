package generate

import (
	"bytes"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/wharf-dev/wharf/spec"
)

// copyConflict reports an extra build stage whose output the runner
// would get on or above a path that another COPY into the runner writes
// (the language's own artifacts, such as a node project's package.json,
// the artifacts, tini), positioned at the stage's to: the copies would
// replace or mix with each other; a stage's output in a runtime.writable
// folder (data.Writable); and a writable folder that holds what any
// other copy writes (a venv, an artifact), positioned at the folder: the
// app could delete or replace those root-owned files. It reads the
// rendered Dockerfile, the one record of what the runner copies; a
// stage's output inside a folder another copy writes (a node project's
// /app) is fine, as is a writable folder below a copy's destination.
func copyConflict(s *spec.Spec, data *Dockerfile, out []byte) error {
	if len(s.Stages) == 0 && len(data.Writable) == 0 {
		return nil
	}
	runner := out
	if i := bytes.LastIndex(out, []byte("\nFROM ")); i >= 0 {
		runner = out[i+1:]
	}
	type dest struct{ from, path string }
	var dests []dest
	for _, line := range strings.Split(string(runner), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || f[0] != "COPY" {
			continue
		}
		from := ""
		args := f[1:]
		for len(args) > 0 && strings.HasPrefix(args[0], "--") {
			if v, ok := strings.CutPrefix(args[0], "--from="); ok {
				from = v
			}
			args = args[1:]
		}
		if len(args) < 2 {
			continue
		}
		dst, srcs := args[len(args)-1], args[:len(args)-1]
		if from == "builder" && !slices.ContainsFunc(srcs, func(src string) bool { return !strings.HasPrefix(src, WritableDir+"/") }) {
			continue // runtime.writable's folders, checked below
		}
		if !strings.HasSuffix(dst, "/") {
			dests = append(dests, dest{from, path.Clean(dst)})
			continue
		}
		for _, src := range srcs {
			if strings.HasSuffix(src, "/") {
				dests = append(dests, dest{from, path.Clean(dst)}) // a folder's content, into dst
			} else {
				dests = append(dests, dest{from, path.Join(dst, strings.TrimRight(path.Base(src), "*"))})
			}
		}
	}
	var errs spec.ErrorList
	isStage := func(name string) bool {
		return slices.ContainsFunc(s.Stages, func(st spec.Stage) bool { return st.Name == name })
	}
	for j, w := range data.Writable {
		i := slices.IndexFunc(dests, func(d dest) bool {
			return !isStage(d.from) && (d.path == w.Path || strings.HasPrefix(d.path, w.Path+"/"))
		})
		if i < 0 {
			continue // a stage's output in it is reported at the stage
		}
		e := &spec.Error{File: s.File, Kind: spec.ErrPath}
		if o, ok := s.Origin(fmt.Sprintf("runtime.writable[%d]", j)); ok {
			e.File, e.Line, e.Column = o.File, o.Line, o.Column
		}
		e.Msg = fmt.Sprintf("runtime.writable[%d] %s holds %s, which the runner gets from %s: the app could delete or replace those files; give the app a folder apart, e.g. %s", j, w.Path, dests[i].path, dests[i].from, path.Join(path.Dir(w.Path), s.Name+"-data"))
		errs = append(errs, e)
	}
	for i, st := range s.Stages {
		// A writable folder may be below the stage's output (the runner
		// copies it after the stages); the output may not be in one,
		// where the app could rewrite it.
		if j := slices.IndexFunc(data.Writable, func(w WritableFolder) bool {
			return st.To == w.Path || strings.HasPrefix(st.To, w.Path+"/")
		}); j >= 0 {
			e := &spec.Error{File: s.File, Kind: spec.ErrPath}
			if o, ok := s.Origin(fmt.Sprintf("stages[%d].to", i)); ok {
				e.File, e.Line, e.Column = o.File, o.Line, o.Column
			}
			e.Msg = fmt.Sprintf("stages[%d].to %s is in runtime.writable's %s, which the app may write: it could delete or replace the stage's files; put the output outside the writable folders", i, st.To, data.Writable[j].Path)
			errs = append(errs, e)
			continue
		}
		for _, d := range dests {
			if d.from == st.Name && d.path == st.To {
				continue // the stage's own copy
			}
			if d.path == st.To || strings.HasPrefix(d.path, st.To+"/") {
				e := &spec.Error{File: s.File, Kind: spec.ErrPath}
				if o, ok := s.Origin(fmt.Sprintf("stages[%d].to", i)); ok {
					e.File, e.Line, e.Column = o.File, o.Line, o.Column
				}
				e.Msg = fmt.Sprintf("stages[%d].to %s is %s, which the runner gets from %s: the copies would replace or mix with each other; give the stage's output a folder of its own, e.g. %s", i, st.To, describeTarget(d.path, st.To), d.from, path.Join(path.Dir(st.To), st.Name))
				errs = append(errs, e)
				break
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func describeTarget(p, to string) string {
	if p == to {
		return "the path " + p
	}
	return "a folder above " + p
}
