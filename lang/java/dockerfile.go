package java

import (
	"embed"
	"io/fs"
	"path"
	"strconv"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/spec"
)

// Build is the Java data the blocks read (.Java).
type Build struct {
	*Recipe
	Tool *Tool
	// Command runs the tool: its command, or the project's wrapper.
	Command string
	// Dir is the spec's folder in the build context, "" when it is the
	// context; the tool builds there (Tool.InDir).
	Dir string
	// Jar is the jar the build writes, in the build context (a glob).
	Jar string
	// Out is where the builder keeps the jar; Lib the thin jar's
	// dependencies; JRE the jlink runtime.
	Out, Lib, JRE string
	// Installed, InstalledLib and InstalledJRE are where the runner has them.
	Installed, InstalledLib, InstalledJRE string
	// Thin and Jlink report the Layout and the Runtime.
	Thin, Jlink bool
	// Compress is jlink's --compress value for the Java release.
	Compress string
}

//go:embed *.tmpl
var blocks embed.FS

// Field is the name of the recipe's data in templates.
func (language) Field() string { return "Java" }

// Blocks are java.tmpl's blocks.
func (language) Blocks() fs.FS { return blocks }

// Prepare sets the Java data and the entrypoint, java -jar (or -cp with
// the main class for a thin jar), on the runner's Java or the jlink runtime.
func (language) Prepare(d *generate.Dockerfile, s *spec.Spec) generate.Prepared {
	r := s.Recipe.(*Recipe)
	t := Tools[r.Tool]
	b := &Build{Recipe: r, Tool: t, Command: t.Command, Jar: s.InContext(r.Jar),
		Out: "/out/app.jar", Lib: "/out/lib", JRE: "/out/jre",
		Installed: path.Join(s.Runtime.Workdir, "app.jar"), InstalledLib: path.Join(s.Runtime.Workdir, "lib"), InstalledJRE: "/opt/java",
		Thin: r.Layout == Thin, Jlink: r.Runtime == Jlink, Compress: "zip-6"}
	if r.Wrapper {
		b.Command = t.Wrapper
	}
	if s.SpecDir != "." && s.SpecDir != "" {
		b.Dir = s.SpecDir
	}
	if r.Version < 21 {
		b.Compress = "2" // zip-N arrived in JDK 21
	}
	d.Recipe = b
	d.Builder.Caches = []string{t.Cache}
	var env map[string]string
	java := "java"
	if b.Jlink {
		java = path.Join(b.InstalledJRE, "bin/java")
		env = map[string]string{"JAVA_HOME": b.InstalledJRE}
	}
	if len(d.Runner.Entrypoint) == 0 {
		if b.Thin {
			d.Runner.Entrypoint = []string{java, "-cp", b.Installed + ":" + b.InstalledLib + "/*", r.Main}
		} else {
			d.Runner.Entrypoint = []string{java, "-jar", b.Installed}
		}
	}
	var manifests []string
	for _, m := range t.Manifests {
		manifests = append(manifests, s.InContext(m))
	}
	if r.Wrapper && len(manifests) > 0 {
		manifests = append(manifests, t.WrapperFiles...)
	}
	return generate.Prepared{Manifests: manifests, RunnerEnv: env}
}

// Ignore lists what a Java build never needs: the tools' output and state.
func (language) Ignore(*spec.Spec) []string {
	return []string{"**/target", "**/build", "**/.gradle", ".idea", "**/*.iml", "**/*.class"}
}

// MultiRelease is jdeps's --multi-release value.
func (b *Build) MultiRelease() string { return strconv.Itoa(b.Version) }
