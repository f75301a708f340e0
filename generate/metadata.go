package generate

import (
	"strings"

	"github.com/wharf-dev/wharf/spec"
)

// OCILabel is one of the image's org.opencontainers.image.* labels that the
// runner fills in from a build argument.
type OCILabel struct {
	// Label is the label's key, e.g. "org.opencontainers.image.revision".
	Label string
	// Arg is the build argument that fills it in, e.g. "REVISION".
	Arg string
}

// OCILabels are the labels the runner takes from build arguments, in the
// order its LABEL writes them. Title comes last: it always has a value
// (the spec's name by default), and a label whose argument is empty is
// written under the title's key instead, which the title then replaces
// (see Stage.metadata), so an unset argument leaves no empty label behind.
var OCILabels = []OCILabel{
	{"org.opencontainers.image.source", "SOURCE"},
	{"org.opencontainers.image.revision", "REVISION"},
	{"org.opencontainers.image.created", "CREATED"},
	{"org.opencontainers.image.version", "VERSION"},
	{"org.opencontainers.image.title", "TITLE"},
}

const ociPrefix = "org.opencontainers.image."

// KeyArg is the argument that holds the last part of the label's key, or
// "" for the title's, which has none (see Stage.metadata).
func (l OCILabel) KeyArg() string {
	if l.Arg == "TITLE" {
		return ""
	}
	return l.Arg + "_LABEL"
}

// MetadataArgs returns the OCILabels whose build arguments the runner of s
// declares: those whose label runtime.labels does not set. A label the spec
// sets is written as the spec says, and no argument can change it.
func MetadataArgs(s *spec.Spec) []OCILabel {
	var out []OCILabel
	for _, l := range OCILabels {
		if l.fromBuild(s) {
			out = append(out, l)
		}
	}
	return out
}

// fromBuild reports whether the build fills in l for s: runtime.labels
// does not set it.
func (l OCILabel) fromBuild(s *spec.Spec) bool {
	_, set := s.Runtime.Labels[l.Label]
	return !set
}

// metadata sets the runner's MetadataArgs, MetadataLabelArgs and
// MetadataLabels. An argument's default is the spec's build.args value of
// the same name (so build.args VERSION is also the label's), and TITLE's
// otherwise the spec's name; the others have none.
//
// A Dockerfile cannot leave a label out, so each label but the title's
// takes its key from a second argument, <ARG>_LABEL, whose default is the
// key's last part when <ARG> is not empty and "" when it is: the LABEL
// writes an empty argument's pair under the title's key, and the title,
// written after it, replaces that pair.
func (st *Stage) metadata(s *spec.Spec) {
	st.MetadataArgs = make([]Var, 0, len(OCILabels))
	st.MetadataLabelArgs = make([]Var, 0, len(OCILabels)-1)
	st.MetadataLabels = make([]Var, 0, len(OCILabels))
	for i, l := range OCILabels {
		if !l.fromBuild(s) {
			continue
		}
		def, ok := s.Build.Args[l.Arg]
		if !ok && l.Arg == "TITLE" {
			def = s.Name
		}
		st.MetadataArgs = append(st.MetadataArgs, Var{Key: l.Arg, Value: def, Quoted: quote(def)})
		t := &ociLabelTexts[i]
		if t.keyArg.Key != "" {
			st.MetadataLabelArgs = append(st.MetadataLabelArgs, t.keyArg)
		}
		st.MetadataLabels = append(st.MetadataLabels, t.label)
	}
}

// ociLabelText is what metadata writes for an OCILabel whatever the spec:
// the argument holding its key's last part, and its LABEL pair.
type ociLabelText struct{ keyArg, label Var }

// ociLabelTexts are the texts of OCILabels, by index, made once.
var ociLabelTexts = func() []ociLabelText {
	out := make([]ociLabelText, len(OCILabels))
	for i, l := range OCILabels {
		key := l.Label
		if keyArg := l.KeyArg(); keyArg != "" {
			expr := "${" + l.Arg + ":+" + strings.TrimPrefix(l.Label, ociPrefix) + "}"
			out[i].keyArg = Var{Key: keyArg, Value: expr, Quoted: expr}
			key = ociPrefix + "${" + keyArg + ":-title}"
		}
		out[i].label = Var{Key: key, Value: "$" + l.Arg, Quoted: `"$` + l.Arg + `"`}
	}
	return out
}()
