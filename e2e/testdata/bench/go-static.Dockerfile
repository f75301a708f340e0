# Single-stage build of e2e/cases/go-static, for TestImageQuality: wharf's
# builder stage (same base image, cache mounts and go commands) that also
# runs the binary, instead of copying it into a distroless runner.
FROM golang:1.19-bookworm AS runner
ENV CGO_ENABLED=0
WORKDIR /src
COPY go.mod go.sum* ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -ldflags='-s -w' -o /usr/local/bin/gostatic .
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/gostatic"]
