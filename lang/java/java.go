// Package java is wharf's Java recipe: Maven or Gradle builds the jar in
// a JDK builder with its repository cached; the runner gets the jar (and,
// for a thin jar, its dependencies as a layer of their own) on a JRE, or on
// a minimal runtime that jlink builds from the JDK's modules.
//
// It holds everything about the language: the java section of the spec,
// the build tools (Tools), the Dockerfile data and blocks (java.tmpl), the
// .dockerignore defaults and init's detection.
package java

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
	"github.com/wharf-dev/wharf/spec"
)

// Language is the Java language unit.
var Language language

type language struct{}

// Name is the spec's language value and section key.
func (language) Name() string { return "java" }

// DefaultVersion is the Java release of the default images.
const DefaultVersion = 21

// Images are the default base images for Maven and DefaultVersion;
// Complete picks those of the spec's tool, version and runtime.
func (language) Images() spec.Images { return defaultImages(Maven, false, DefaultVersion, JRE) }

// defaultImages are the base images for a tool (run through its wrapper
// or not), a Java release and a runtime: the tool's official image with a
// Temurin JDK, and the Temurin JRE (or debian-slim for a jlink runtime).
func defaultImages(t *Tool, wrapper bool, version int, runtime string) spec.Images {
	builder := t.Image
	if wrapper {
		builder = "eclipse-temurin:%d-jdk"
	}
	runner := spec.BaseImage{Ref: fmt.Sprintf("eclipse-temurin:%d-jre", version), Family: spec.Debian}
	if runtime == Jlink {
		runner = JlinkRunner
	}
	return spec.Images{Builder: spec.BaseImage{Ref: fmt.Sprintf(builder, version), Family: spec.Debian}, Runner: runner}
}

// JlinkRunner is the default runner of a jlink runtime: it needs glibc and
// zlib, nothing of Java.
var JlinkRunner = spec.BaseImage{Ref: "debian:trixie-slim", Family: spec.Debian}

// Runtimes.
const (
	// JRE runs the jar on the runner's own Java runtime.
	JRE = "jre"
	// Jlink builds a runtime of only the modules the app uses in the
	// builder (jdeps, then jlink) and copies it into the runner.
	Jlink = "jlink"
)

// Layouts of the runnable artifact.
const (
	// Fat is one jar holding the app and its dependencies (Spring Boot,
	// the shade or shadow plugins), run with java -jar.
	Fat = "fat"
	// Thin is the app's jar plus its runtime dependencies in lib/, copied
	// into the runner as a layer of their own, so that a source-only
	// change leaves that layer as it was.
	Thin = "thin"
)

// Recipe is the decoded java section.
type Recipe struct {
	Tool string // a key of Tools: "maven" or "gradle"
	// Wrapper builds with the project's wrapper (mvnw, gradlew), which
	// brings the tool's version, instead of the builder image's tool.
	Wrapper bool
	// Version is the Java release, which picks the default images.
	Version int
	// Jar is the runnable jar the build writes, relative to the spec's
	// folder; it may be a glob matching one file. Defaults to the tool's.
	Jar    string
	Layout string // Fat or Thin
	// Main is the main class, which a thin jar is run with.
	Main    string
	Runtime string // JRE or Jlink
	// Modules are the Java modules of a jlink runtime; empty asks jdeps.
	Modules []string
}

const (
	mainPattern   = `^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$`
	modulePattern = `^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$`
	jarPattern    = `^[A-Za-z0-9._/@+*-]+\.jar$`
)

var (
	mainRE   = lazyregexp.New(mainPattern)
	moduleRE = lazyregexp.New(modulePattern)
	jarRE    = lazyregexp.New(jarPattern)
)

// Versions bounds the Java releases wharf knows images for.
const oldestVersion = 11

var keys = []string{"tool", "wrapper", "version", "jar", "layout", "main", "runtime", "modules"}

// Decode reads the java section.
func (language) Decode(d *spec.Decoder, n *yaml.Node) spec.Recipe {
	r := &Recipe{Tool: Maven.Name, Version: DefaultVersion, Layout: Fat, Runtime: JRE}
	if n == nil {
		return r
	}
	d.Fields(n, "java", keys, func(key string, v *yaml.Node, p string) {
		switch key {
		case "tool":
			if t, ok := d.NonEmpty(v, p); ok {
				if Tools[t] == nil {
					d.Errorf(v, spec.ErrInvalid, "%s %q is not supported; use maven or gradle", p, t)
				}
				r.Tool = t
			}
		case "wrapper":
			r.Wrapper = d.Bool(v, p)
		case "version":
			if s, ok := d.NonEmpty(v, p); ok {
				ver, err := strconv.Atoi(s)
				if err != nil || ver < oldestVersion || ver > 99 {
					d.Errorf(v, spec.ErrInvalid, "%s %q is not a Java release wharf has images for; write the feature release as a number from %d, e.g. 21", p, s, oldestVersion)
				} else {
					r.Version = ver
				}
			}
		case "jar":
			if j, ok := d.NonEmpty(v, p); ok {
				if !jarRE.MatchString(j) {
					d.Errorf(v, spec.ErrPath, "%s %q is not a .jar path; write the jar the build writes, relative to the spec's folder, e.g. target/app.jar (a * may match the version)", p, j)
				} else {
					r.Jar = d.RelPath(v, p, j)
				}
			}
		case "layout":
			if l, ok := d.NonEmpty(v, p); ok {
				if l != Fat && l != Thin {
					d.Errorf(v, spec.ErrInvalid, "%s %q is not a layout; use fat (one jar with its dependencies) or thin (the jar, and its dependencies as a layer of their own)", p, l)
				}
				r.Layout = l
			}
		case "main":
			if m, ok := d.NonEmpty(v, p); ok {
				if !mainRE.MatchString(m) {
					d.Errorf(v, spec.ErrInvalid, "%s %q is not a Java class name; write it fully qualified, e.g. com.example.Main", p, m)
				}
				r.Main = m
			}
		case "runtime":
			if rt, ok := d.NonEmpty(v, p); ok {
				if rt != JRE && rt != Jlink {
					d.Errorf(v, spec.ErrInvalid, "%s %q is not a runtime; use jre (the runner's Java) or jlink (a runtime of the app's modules, built in the builder)", p, rt)
				}
				r.Runtime = rt
			}
		case "modules":
			for i, m := range d.List(v, p, "[java.base, java.sql]") {
				if !moduleRE.MatchString(m) {
					d.Errorf(d.Item(p, i), spec.ErrInvalid, "%s: %q is not a Java module name, e.g. java.net.http", p, m)
				}
				r.Modules = append(r.Modules, m)
			}
		}
	})
	return r
}

// Complete picks the images of the tool, version and runtime, and checks
// that the layout, the runtime and the runner fit together.
func (r *Recipe) Complete(d *spec.Decoder, s *spec.Spec) {
	t := Tools[r.Tool]
	if t == nil {
		return
	}
	if r.Jar == "" {
		r.Jar = t.Jar
	}
	def := defaultImages(t, r.Wrapper, r.Version, r.Runtime)
	if !d.Has("images.builder") {
		s.Images.Builder = def.Builder
	}
	if !d.Has("images.runner") {
		s.Images.Runner = def.Runner
	}
	if r.Layout == Thin {
		if t.CopyDependencies == "" {
			d.Errorf(d.At("java.layout"), spec.ErrInvalid, "java.layout thin needs the runtime dependencies copied out of the build, which wharf does for maven only; use layout: fat with a fat jar (Spring Boot's bootJar, the shadow plugin) for gradle")
		}
		if r.Main == "" {
			d.Errorf(d.At("java.layout"), spec.ErrRequired, "java.layout thin runs the jar with its dependencies on the class path, which needs the main class; set java.main, e.g. main: com.example.Main")
		}
	}
	if len(r.Modules) > 0 && r.Runtime != Jlink {
		d.Errorf(d.At("java.modules"), spec.ErrInvalid, "java.modules are the modules of a jlink runtime, but java.runtime is %s; set runtime: jlink or remove modules", r.Runtime)
	}
	runner := s.Images.Runner
	switch r.Runtime {
	case JRE:
		if runner.Libc() == "" || (runner.Family == spec.Distroless && !strings.Contains(runner.Ref, "java")) {
			d.Errorf(d.At("images.runner"), spec.ErrNoShell, "java.runtime jre runs the jar on the runner's Java, which %s lacks; use a JRE image (e.g. eclipse-temurin:%d-jre or gcr.io/distroless/java%d-debian13), or set runtime: jlink to bring a runtime along", runner.Ref, r.Version, r.Version)
		}
	case Jlink:
		d.RequireSameLibc(s, "a jlink runtime's libraries")
		if runner.Libc() == "" {
			d.Errorf(d.At("images.runner"), spec.ErrLibcMismatch, "java.runtime jlink copies a Java runtime built against the builder's %s, but the runner %s has no C library; use debian:trixie-slim or gcr.io/distroless/base-debian13", s.Images.Builder.Libc(), runner.Ref)
		}
	}
}

// Explain writes the section's effective values.
func (r *Recipe) Explain(e *spec.Explainer, m *yaml.Node) {
	e.Add(m, "tool", e.Str("java.tool", r.Tool))
	e.Add(m, "wrapper", e.Bool("java.wrapper", r.Wrapper))
	v := e.Str("java.version", strconv.Itoa(r.Version))
	v.Tag = "!!int"
	e.Add(m, "version", v)
	e.Add(m, "jar", e.Str("java.jar", r.Jar))
	e.Add(m, "layout", e.Str("java.layout", r.Layout))
	if r.Main != "" {
		e.Add(m, "main", e.Str("java.main", r.Main))
	}
	e.Add(m, "runtime", e.Str("java.runtime", r.Runtime))
	e.Add(m, "modules", e.List("java.modules", r.Modules))
}

// Schema is the java section's JSON Schema.
func (language) Schema() *spec.SchemaNode {
	return spec.SchemaObject("The Java recipe: Maven or Gradle builds the jar in a JDK builder; the runner gets the jar on a JRE, or on a runtime jlink builds.", map[string]*spec.SchemaNode{
		"tool":    spec.SchemaEnum("The build tool: maven (pom.xml) or gradle (build.gradle or build.gradle.kts).", toolNames()...).WithDefault(Maven.Name),
		"wrapper": spec.SchemaBool("Build with the project's wrapper (./mvnw, ./gradlew) on a plain JDK builder (eclipse-temurin:VERSION-jdk), instead of the tool of the builder image.", false),
		"version": {Type: "integer", Minimum: intp(oldestVersion), Description: "The Java feature release, which picks the default images (eclipse-temurin:VERSION-jre and the tool's image with that JDK).", Default: DefaultVersion},
		"jar":     spec.SchemaPattern("The runnable jar the build writes, relative to the spec's folder; a * may stand for the version, as long as it matches one file. Defaults to target/*.jar (maven) or build/libs/*.jar (gradle).", jarPattern).WithExamples("target/app.jar"),
		"layout":  spec.SchemaEnum("fat: one jar with its dependencies, run with java -jar. thin: the jar, with its runtime dependencies in a layer of their own (maven only; needs main).", Fat, Thin).WithDefault(Fat),
		"main":    spec.SchemaPattern("The main class, fully qualified; required with layout: thin.", mainPattern).WithExamples("com.example.Main"),
		"runtime": spec.SchemaEnum("jre: run on the runner's Java. jlink: build a runtime of the app's modules in the builder (jdeps, jlink) and copy it into the runner, which needs only glibc (default debian:trixie-slim).", JRE, Jlink).WithDefault(JRE),
		"modules": spec.SchemaList("The modules of a jlink runtime; unset asks jdeps, which cannot see inside a fat jar's nested jars (list them then).", spec.SchemaPattern("", modulePattern)).WithExamples([]any{"java.base", "java.sql"}),
	})
}

func intp(i int) *int { return &i }
