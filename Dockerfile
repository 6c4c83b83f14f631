# The triad image: a static binary on a distroless base, run as a non-root
# user (uid and gid 65532). Build it from the project folder:
#
#   docker build -t triad --build-arg DATE="$(git log -1 --format=%cI)" .
#   mkdir -p out
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD/out:/data/out" triad run three-hubs --quiet
#
# --user makes triad write out/ as you, so the files are yours and the
# folder need not be writable by uid 65532 (without it, make out/ writable
# by that user first). The Kubernetes jobs in cluster/kubernetes/ use the
# image; clusters that forbid Docker can build cluster/apptainer/triad.def
# instead (docs/CLUSTER.md).
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
# The whole module, less what .dockerignore leaves out. TestDockerfileBuilds
# (internal/dist) builds triad from exactly the files these COPY lines take.
COPY . .
ARG VERSION=dev
ARG COMMIT=unknown
ARG DATE=unknown
RUN CGO_ENABLED=0 GOTOOLCHAIN=auto go build -trimpath \
      -ldflags "-X main.version=${VERSION} -X main.commit=${COMMIT} -X main.buildDate=${DATE}" \
      -o /triad ./cmd/triad

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /triad /usr/local/bin/triad
COPY --from=build /src/LICENSE /src/THIRD_PARTY_NOTICES /usr/share/doc/triad/
# distroless's nonroot user, by number so that Kubernetes can check
# runAsNonRoot; /data is where outputs go.
USER 65532:65532
WORKDIR /data
ENTRYPOINT ["/usr/local/bin/triad"]
CMD ["--help"]
