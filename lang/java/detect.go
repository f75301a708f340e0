package java

import (
	"encoding/xml"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/wharf-dev/wharf/internal/lazyregexp"
	"github.com/wharf-dev/wharf/spec/detect"
)

// pom is the part of pom.xml detection reads.
type pom struct {
	ArtifactID string   `xml:"artifactId"`
	Version    string   `xml:"version"`
	Packaging  string   `xml:"packaging"`
	Modules    []string `xml:"modules>module"`
	Properties struct {
		Entries []struct {
			XMLName xml.Name
			Value   string `xml:",chardata"`
		} `xml:",any"`
	} `xml:"properties"`
	Build struct {
		FinalName string `xml:"finalName"`
		Plugins   []struct {
			ArtifactID string `xml:"artifactId"`
			MainClass  string `xml:"configuration>mainClass"`
			Manifest   string `xml:"configuration>archive>manifest>mainClass"`
		} `xml:"plugins>plugin"`
	} `xml:"build"`
}

func (p *pom) property(name string) string {
	for _, e := range p.Properties.Entries {
		if e.XMLName.Local == name {
			return strings.TrimSpace(e.Value)
		}
	}
	return ""
}

// resolve replaces a ${property} reference with the property's value.
func (p *pom) resolve(v string) string {
	if strings.HasPrefix(v, "${") && strings.HasSuffix(v, "}") {
		return p.property(v[2 : len(v)-1])
	}
	return v
}

var (
	gradleBoot      = lazyregexp.New(`id\s*\(?\s*["']org\.springframework\.boot["']`)
	gradleShadow    = lazyregexp.New(`id\s*\(?\s*["'](com\.github\.johnrengelman\.shadow|com\.gradleup\.shadow)["']`)
	gradleToolchain = lazyregexp.New(`JavaLanguageVersion\.of\(\s*["']?([0-9]+)`)
	gradleSource    = lazyregexp.New(`(?:source|target)Compatibility\s*=\s*(?:JavaVersion\.VERSION_(?:1_)?|["']?)([0-9]+)`)
	gradleVersion   = lazyregexp.New(`(?m)^\s*version\s*=\s*["']([A-Za-z0-9._-]+)["']`)
	gradleName      = lazyregexp.New(`rootProject\.name\s*=\s*["']([A-Za-z0-9._-]+)["']`)
	mainMethod      = lazyregexp.New(`static\s+(?:public\s+)?void\s+main\s*\(`)
	jarName         = lazyregexp.New(`^[A-Za-z0-9._-]+$`)
)

// Detect reads the project into p.
func (language) Detect(fsys fs.FS, p *detect.Proposal) error {
	r := &proposal{}
	version, versionFrom := 0, ""
	jar := ""
	fat := ""
	switch {
	case detect.IsFile(fsys, "pom.xml"):
		data, _ := detect.ReadFile(fsys, "pom.xml")
		p.Sources = append(p.Sources, "pom.xml")
		var m pom
		if err := xml.Unmarshal([]byte(data), &m); err != nil {
			return fmt.Errorf("java: pom.xml: %w", err)
		}
		if m.ArtifactID != "" {
			p.Name = detect.SpecName(m.ArtifactID)
		}
		for _, prop := range []string{"maven.compiler.release", "maven.compiler.target", "maven.compiler.source", "java.version"} {
			if v, err := strconv.Atoi(strings.TrimPrefix(m.resolve(m.property(prop)), "1.")); err == nil && version == 0 {
				version, versionFrom = v, prop+" in pom.xml"
			}
		}
		for _, pl := range m.Build.Plugins {
			switch pl.ArtifactID {
			case "spring-boot-maven-plugin":
				fat = "pom.xml builds with spring-boot-maven-plugin, which repackages the jar with its dependencies"
			case "maven-shade-plugin", "maven-assembly-plugin":
				fat = "pom.xml builds with " + pl.ArtifactID + ", which bundles the dependencies into the jar"
			}
			if c := firstNonEmpty(pl.MainClass, pl.Manifest); c != "" && r.Main == "" {
				r.Main, r.MainWhy = m.resolve(c), "The main class, from "+pl.ArtifactID+" in pom.xml."
			}
		}
		if c := m.property("exec.mainClass"); c != "" && r.Main == "" {
			r.Main, r.MainWhy = c, "The main class, from exec.mainClass in pom.xml."
		}
		name := firstNonEmpty(m.Build.FinalName, m.ArtifactID+"-"+m.resolve(m.Version))
		if m.Build.FinalName == "" && (m.ArtifactID == "" || m.resolve(m.Version) == "") {
			name = ""
		}
		if jarName.MatchString(name) {
			jar = "target/" + name + ".jar"
		}
		if len(m.Modules) > 0 {
			p.Notes = append(p.Notes, fmt.Sprintf("pom.xml has modules (%s): the dependency step sees only the files copied before it, so add each module's pom.xml to build.dependency_files, and set java.jar to the module's jar.", strings.Join(m.Modules, ", ")))
		}
		if detect.IsFile(fsys, "mvnw") {
			r.Wrapper = true
			p.Sources = append(p.Sources, "mvnw")
		}
	case detect.IsFile(fsys, "build.gradle") || detect.IsFile(fsys, "build.gradle.kts"):
		r.Tool = Gradle.Name
		file := "build.gradle"
		if !detect.IsFile(fsys, file) {
			file = "build.gradle.kts"
		}
		data, _ := detect.ReadFile(fsys, file)
		p.Sources = append(p.Sources, file)
		settings := ""
		for _, f := range []string{"settings.gradle", "settings.gradle.kts"} {
			if s, ok := detect.ReadFile(fsys, f); ok {
				settings = s
				p.Sources = append(p.Sources, f)
			}
		}
		name := ""
		if m := gradleName.FindStringSubmatch(settings); m != nil {
			name = m[1]
			p.Name = detect.SpecName(name)
		}
		if m := gradleToolchain.FindStringSubmatch(data); m != nil {
			version, _ = strconv.Atoi(m[1])
			versionFrom = "the Java toolchain in " + file
		} else if m := gradleSource.FindStringSubmatch(data); m != nil {
			version, _ = strconv.Atoi(m[1])
			versionFrom = "sourceCompatibility in " + file
		}
		switch {
		case gradleBoot.MatchString(data):
			fat = file + " applies the Spring Boot plugin, whose bootJar holds the dependencies"
			if v := gradleVersion.FindStringSubmatch(data); v != nil && name != "" {
				jar = "build/libs/" + name + "-" + v[1] + ".jar"
			}
		case gradleShadow.MatchString(data):
			fat = file + " applies the shadow plugin, whose shadowJar holds the dependencies"
			jar = "build/libs/*-all.jar"
		}
		if detect.IsFile(fsys, "gradlew") {
			r.Wrapper = true
			p.Sources = append(p.Sources, "gradlew")
		}
	default:
		return fmt.Errorf("java: found no pom.xml, build.gradle or build.gradle.kts; the java recipe builds with Maven or Gradle")
	}

	if version == 0 {
		version, versionFrom = DefaultVersion, ""
	}
	if version < oldestVersion {
		version = DefaultVersion
		versionFrom = fmt.Sprintf("the build asks for an older release than any image wharf knows (%s)", versionFrom)
	}
	if version != DefaultVersion || versionFrom != "" {
		r.Version = version
		r.VersionWhy = fmt.Sprintf("Java %d, from %s.", version, versionFrom)
	}
	if r.Main == "" {
		r.Main, r.MainWhy, r.MainSure = mainClass(fsys)
	}
	switch {
	case fat != "":
		r.LayoutWhy = "A fat jar: " + fat + "; the runner runs it with java -jar."
		r.Main = ""
	case r.Tool == Gradle.Name:
		p.Notes = append(p.Notes, "The Gradle build makes a plain jar, without its dependencies: apply the shadow plugin (or Spring Boot's) so that java -jar runs it, and set java.jar to that jar.")
		r.Main = ""
	default:
		r.Layout = Thin
		r.LayoutWhy = "A thin jar: pom.xml bundles no dependencies, so they are copied next to it, into a layer of their own that a source-only change leaves as it was."
		if r.Main == "" {
			r.Main, r.MainWhy, r.MainSure = "com.example.Main", "found no class with a main method; set the one the app starts with.", detect.Unknown
			r.Layout = ""
			r.LayoutWhy = "pom.xml bundles no dependencies, and wharf found no main class: set layout: thin and main, or make a fat jar."
		}
	}
	if jar != "" {
		r.Jar, r.JarWhy = jar, "The jar the build writes."
	}

	t := Tools[firstNonEmpty(r.Tool, Maven.Name)]
	imgs := defaultImages(t, r.Wrapper, version, JRE)
	p.Builder, p.Runner = imgs.Builder.Ref, imgs.Runner.Ref
	p.ImagesWhy = fmt.Sprintf("Java %d: the builder has the JDK and %s, the runner only the JRE. For a smaller runner, set java.runtime: jlink.", version, t.Name)
	if r.Wrapper {
		p.ImagesWhy = fmt.Sprintf("Java %d: the builder is a plain JDK, since the build runs the project's wrapper; the runner has only the JRE. For a smaller runner, set java.runtime: jlink.", version)
	}
	p.Section = r.fields()
	return nil
}

// mainClass finds the class with a main method in src/main/java.
func mainClass(fsys fs.FS) (string, string, detect.Confidence) {
	var found []string
	detect.WalkFiles(fsys, "src/main/java", func(name string) {
		if path.Ext(name) != ".java" {
			return
		}
		if data, ok := detect.ReadFile(fsys, name); ok && mainMethod.MatchString(data) {
			found = append(found, strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(name, "src/main/java/"), ".java"), "/", "."))
		}
	})
	switch len(found) {
	case 0:
		return "", "", detect.Certain
	case 1:
		return found[0], "The class with a main method in src/main/java.", detect.Likely
	}
	return found[0], fmt.Sprintf("The first of the classes with a main method in src/main/java: %s.", detect.JoinList(found)), detect.Likely
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// proposal is the proposed java section.
type proposal struct {
	Tool              string
	Wrapper           bool
	Version           int
	VersionWhy        string
	Jar, JarWhy       string
	Layout, LayoutWhy string
	Main, MainWhy     string
	MainSure          detect.Confidence
}

func (r *proposal) fields() []detect.Field {
	var f []detect.Field
	if r.Tool != "" {
		f = append(f, detect.Field{Key: "tool", Value: r.Tool})
	}
	if r.Wrapper {
		f = append(f, detect.Field{Key: "wrapper", Value: "true", Why: "The project has its build tool's wrapper, which brings the tool's version."})
	}
	if r.Version != 0 {
		f = append(f, detect.Field{Key: "version", Value: strconv.Itoa(r.Version), Why: r.VersionWhy})
	}
	if r.Jar != "" {
		f = append(f, detect.Field{Key: "jar", Value: detect.Scalar(r.Jar), Why: r.JarWhy})
	}
	if r.Layout != "" || r.LayoutWhy != "" {
		f = append(f, detect.Field{Key: "layout", Value: r.Layout, Why: r.LayoutWhy})
	}
	if r.Main != "" {
		f = append(f, detect.Field{Key: "main", Value: detect.Scalar(r.Main), Why: r.MainWhy, Sure: r.MainSure})
	}
	return f
}

// Markers are the files that tell a Java project.
func (language) Markers() []string {
	return []string{"pom.xml", "build.gradle", "build.gradle.kts"}
}
