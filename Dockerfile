# The triad image: a static binary on a distroless base, run as a non-root
# user. Build it from the project folder:
#
#   docker build -t triad .
#   docker run --rm -v "$PWD/out:/data/out" triad run three-hubs --quiet
#
# The Kubernetes jobs in cluster/kubernetes/ use it; clusters that forbid
# Docker can build cluster/apptainer/triad.def instead (docs/CLUSTER.md).
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY cmd cmd
COPY output output
COPY scenarios scenarios
COPY sim sim
ARG VERSION=dev
ARG COMMIT=unknown
ARG DATE=unknown
RUN CGO_ENABLED=0 GOTOOLCHAIN=auto go build -trimpath \
      -ldflags "-X main.version=${VERSION} -X main.commit=${COMMIT} -X main.buildDate=${DATE}" \
      -o /triad ./cmd/triad

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /triad /usr/local/bin/triad
# distroless's nonroot user (uid 65532); /data is where outputs go.
USER nonroot:nonroot
WORKDIR /data
ENTRYPOINT ["/usr/local/bin/triad"]
CMD ["--help"]
