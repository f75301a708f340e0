package generate_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/wharf-dev/wharf/generate"
	"github.com/wharf-dev/wharf/spec"
)

// Load a spec, render its files, and use them: here, print the runner stage.
func Example() {
	s, err := spec.Parse("wharf.yaml", []byte(`
version: 1
name: hello
language: go
go: {main: ./cmd/hello}
runtime: {expose: [8080]}
`))
	if err != nil {
		log.Fatal(err) // a spec.ErrorList: one line per problem, with file:line:column
	}
	files, err := generate.Files(s)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		fmt.Printf("%s: %d bytes\n", f.Path, len(f.Data))
	}
	fmt.Print(runnerStage(string(files[0].Data)))
	// Output:
	// Dockerfile: 1284 bytes
	// .dockerignore: 175 bytes
	// FROM gcr.io/distroless/static-debian13 AS runner
	// WORKDIR /app
	// COPY --link --from=builder /out/hello /usr/local/bin/hello
	// USER 10001:10001
	// EXPOSE 8080
	// ARG SOURCE REVISION CREATED VERSION TITLE=hello
	// ARG SOURCE_LABEL=${SOURCE:+source} REVISION_LABEL=${REVISION:+revision} CREATED_LABEL=${CREATED:+created} VERSION_LABEL=${VERSION:+version}
	// LABEL org.opencontainers.image.${SOURCE_LABEL:-title}="$SOURCE" \
	//       org.opencontainers.image.${REVISION_LABEL:-title}="$REVISION" \
	//       org.opencontainers.image.${CREATED_LABEL:-title}="$CREATED" \
	//       org.opencontainers.image.${VERSION_LABEL:-title}="$VERSION" \
	//       org.opencontainers.image.title="$TITLE"
	// ENTRYPOINT ["/usr/local/bin/hello"]
}

// runnerStage returns the Dockerfile from the runner's FROM line on.
func runnerStage(dockerfile string) string {
	i := strings.Index(dockerfile, "FROM gcr.io")
	return dockerfile[i:]
}
