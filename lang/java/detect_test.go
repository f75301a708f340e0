package java_test

import (
	"strings"
	"testing"
	"testing/fstest"

	_ "github.com/wharf-dev/wharf/lang"
	"github.com/wharf-dev/wharf/spec"
	"github.com/wharf-dev/wharf/spec/detect"
)

func files(kv ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := 0; i < len(kv); i += 2 {
		fsys[kv[i]] = &fstest.MapFile{Data: []byte(kv[i+1])}
	}
	return fsys
}

const bootPom = `<project><artifactId>shop</artifactId><version>1.2.0</version>
<properties><java.version>17</java.version></properties>
<build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>`

const shadePom = `<project><artifactId>cli</artifactId><version>${revision}</version>
<properties><revision>2.0</revision><maven.compiler.release>25</maven.compiler.release></properties>
<build><plugins><plugin><artifactId>maven-shade-plugin</artifactId></plugin></plugins></build></project>`

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		name                  string
		fsys                  fstest.MapFS
		spec, builder, runner string
		fields                map[string]string
	}{
		{"maven spring boot with wrapper", files("pom.xml", bootPom, "mvnw", "", ".mvn/wrapper/maven-wrapper.properties", ""),
			"shop", "eclipse-temurin:17-jdk", "eclipse-temurin:17-jre",
			map[string]string{"wrapper": "true", "version": "17", "jar": "target/shop-1.2.0.jar", "layout": ""}},
		{"maven shade, property version", files("pom.xml", shadePom),
			"cli", "maven:3.9-eclipse-temurin-25", "eclipse-temurin:25-jre",
			map[string]string{"version": "25", "jar": "target/cli-2.0.jar", "layout": ""}},
		{"maven plain jar: thin with the main class found", files(
			"pom.xml", "<project><artifactId>w</artifactId><version>1</version></project>",
			"src/main/java/org/x/App.java", "class App { public static void main(String[] a) {} }",
			"src/main/java/org/x/Util.java", "class Util {}"),
			"w", "maven:3.9-eclipse-temurin-21", "eclipse-temurin:21-jre",
			map[string]string{"jar": "target/w-1.jar", "layout": "thin", "main": "org.x.App"}},
		{"gradle kotlin spring boot with toolchain", files(
			"build.gradle.kts", "plugins { id(\"org.springframework.boot\") version \"3.4.0\" }\nversion = \"0.1.0\"\njava { toolchain { languageVersion = JavaLanguageVersion.of(21) } }\n",
			"settings.gradle.kts", "rootProject.name = \"orders\"\n",
			"gradlew", ""),
			"orders", "eclipse-temurin:21-jdk", "eclipse-temurin:21-jre",
			map[string]string{"tool": "gradle", "wrapper": "true", "version": "21", "jar": "build/libs/orders-0.1.0.jar", "layout": ""}},
		{"gradle groovy shadow", files(
			"build.gradle", "plugins { id 'com.gradleup.shadow' version '8.3.0' }\nsourceCompatibility = JavaVersion.VERSION_17\n"),
			"proj", "gradle:8-jdk17", "eclipse-temurin:17-jre",
			map[string]string{"tool": "gradle", "version": "17", "jar": `"build/libs/*-all.jar"`, "layout": ""}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := detect.Detect(c.fsys, "proj", "")
			if err != nil {
				t.Fatal(err)
			}
			if p.Language != "java" || p.Name != c.spec || p.Builder != c.builder || p.Runner != c.runner {
				t.Errorf("got %s %s %s %s; want java %s %s %s", p.Language, p.Name, p.Builder, p.Runner, c.spec, c.builder, c.runner)
			}
			got := map[string]string{}
			for _, f := range p.Section {
				got[f.Key] = f.Value
			}
			for k, v := range c.fields {
				if g, ok := got[k]; !ok || g != v {
					t.Errorf("java.%s = %q (present %v), want %q", k, g, ok, v)
				}
			}
			if len(got) != len(c.fields) {
				t.Errorf("section %v, want only %v", got, c.fields)
			}
			// The proposal is a valid spec.
			if _, err := spec.Parse("wharf.yaml", p.YAML()); err != nil {
				t.Errorf("%v\n%s", err, p.YAML())
			}
		})
	}
}

func TestDetectGradlePlainJarNote(t *testing.T) {
	p, err := detect.Detect(files("build.gradle", "plugins { id 'application' }\n"), "app", "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(p.Notes, " "), "apply the shadow plugin") {
		t.Errorf("notes %q lack the fat jar advice", p.Notes)
	}
}
