package java

// A Tool is a Java build tool: its command (and wrapper), the cache its
// steps mount, what it copies before the dependency step, and its commands.
type Tool struct {
	Name string
	// Command runs the tool from the builder image; Wrapper is the
	// project's wrapper script, which brings its own version of the tool.
	Command, Wrapper string
	// WrapperFiles are copied with the manifests when the wrapper is used.
	WrapperFiles []string
	// Image is the default builder, a format taking the Java release.
	Image string
	// Cache is the folder the steps mount as a cache: the local repository.
	Cache string
	// Manifests are the build files copied before the dependency step.
	Manifests []string
	// Dependencies is the step that fills the cache from the manifests
	// alone, so that it reruns only when they change; "" has no such step.
	Dependencies string
	// Package builds the jar, skipping the tests.
	Package string
	// CopyDependencies copies the runtime dependencies into the folder
	// given after it; "" when the tool has no such command.
	CopyDependencies string
	// Jar is where the build writes the jar, a glob.
	Jar string
	// InDir is the option that builds the project in another folder.
	InDir string
	// Timestamp is added to Package: the jar's entries get
	// SOURCE_DATE_EPOCH's time when the build sets it; "" when the tool
	// takes no such option.
	Timestamp string
}

// The build tools.
var (
	Maven = &Tool{
		Name: "maven", Command: "mvn", Wrapper: "./mvnw", WrapperFiles: []string{"mvnw", ".mvn/wrapper/*"},
		Image: "maven:3.9-eclipse-temurin-%d", Cache: "/root/.m2",
		Manifests:        []string{"pom.xml"},
		Dependencies:     "--batch-mode dependency:go-offline",
		Package:          "--batch-mode package -DskipTests",
		CopyDependencies: "--batch-mode dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=",
		Jar:              "target/*.jar",
		InDir:            "--file",
		// maven-jar-plugin 3.2.0 and later read the property (seconds
		// since the epoch from maven-archiver 3.6.0); unset, nothing.
		Timestamp: "${SOURCE_DATE_EPOCH:+-Dproject.build.outputTimestamp=$SOURCE_DATE_EPOCH}",
	}
	Gradle = &Tool{
		Name: "gradle", Command: "gradle", Wrapper: "./gradlew", WrapperFiles: []string{"gradlew", "gradle/wrapper/*"},
		Image: "gradle:8-jdk%d", Cache: "/root/.gradle",
		Package: "build --no-daemon -x test",
		Jar:     "build/libs/*.jar",
		InDir:   "--project-dir",
	}
)

// Tools are the build tools by name; toolOrder lists them for messages.
var (
	Tools     = map[string]*Tool{Maven.Name: Maven, Gradle.Name: Gradle}
	toolOrder = []*Tool{Maven, Gradle}
)

func toolNames() []string {
	names := make([]string, len(toolOrder))
	for i, t := range toolOrder {
		names[i] = t.Name
	}
	return names
}
