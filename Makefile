# triad — thin wrappers around the go command; .ci/run calls `make test`.
GO ?= go
SCENARIO ?= three-hubs
# ARGS passes extra flags to `make run`, e.g. make run ARGS='--seed 7'.
ARGS ?=

# Builds use the toolchain go.mod names (or a newer local one), even where
# the go command is set to stay with its own.
export GOTOOLCHAIN ?= auto

# What a build stamps into the binary (triad version, every manifest).
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
DATE ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS = -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.buildDate=$(DATE)

.PHONY: all build dist run test check test-cluster bench golden fuzz baselines docs vuln clean

all: build

## build: a static binary (no cgo: it runs on any Linux, old glibc or none)
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o triad ./cmd/triad

## dist: release archives for linux/amd64, linux/arm64, darwin/arm64 and
## windows/amd64 with SHA256SUMS, in dist/ (nothing is uploaded);
## PLATFORMS=linux/amd64,windows/amd64 builds only those
PLATFORMS ?=
dist:
	$(GO) run ./internal/dist -version "$(VERSION)" -commit "$(COMMIT)" -date "$(DATE)" -out dist $(if $(PLATFORMS),-platforms $(PLATFORMS))

## vuln: known vulnerabilities reachable from triad (skips when the
## vulnerability database cannot be reached)
vuln:
	@GOBIN=$(CURDIR)/.bin $(GO) install golang.org/x/vuln/cmd/govulncheck@v1.1.4
	@.bin/govulncheck ./... || { status=$$?; \
		if [ $$status -eq 3 ]; then echo "vuln: vulnerabilities found"; exit 3; fi; \
		echo "vuln: govulncheck could not run (no vulnerability database here?); skipped"; }

## run: run the default scenario (three-hubs) into out/three-hubs/
run: build
	./triad run $(SCENARIO) --force $(ARGS)

## test: formatting, vet, every test with the race detector, then every
## test at full speed, the long ones among them (Bass validation, the
## default scenario's story, determinism on 8 workers): under -race they
## would take minutes, so -short skips them or runs them smaller.
test: check
	$(GO) test -race -short -count=1 ./...
	$(GO) test -count=1 ./...

## check: formatting, go vet, go.mod tidy, and staticcheck
check:
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then \
		echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

## test-cluster: a sharded sweep as a job array on a real single-node Slurm,
## merged and compared byte for byte with one process (root, Debian/Ubuntu;
## installs munge and Slurm from apt; see docs/CLUSTER.md)
test-cluster:
	GO=$(GO) cluster/slurm-local/test.sh

## bench: diffusion-1m, four-region-1m (and its build share), three-hubs-1m,
## the whole `triad run` of four-region-1m against its simulation, and
## sweep-small, with 1 and 2 workers:
## firm-steps/s, trials/s, B/firm, the speedup of 2 workers over 1 and
## whole/sim (about six minutes on an idle 2-core machine; see docs/PERFORMANCE.md)
bench:
	$(GO) test -run '^$$' -bench 'Diffusion/firms=1000000/|FourRegion/firms=1000000/|Build' -benchtime 5x -timeout 30m ./sim
	$(GO) test -run '^$$' -bench 'ThreeHubs/firms=1000000/' -benchtime 1x -timeout 30m ./sim
	$(GO) test -run '^$$' -bench 'WholeRun' -benchtime 5x -timeout 30m ./cmd/triad
	$(GO) test -run '^$$' -bench 'SweepSmall' -benchtime 3x -timeout 30m ./cmd/triad

## golden: rewrite the golden files after an intended change; review the diff
golden:
	$(GO) test ./sim ./scenarios ./output ./cmd/triad -update

## baselines: rerun every built-in scenario and rewrite its baseline in
## testdata/baselines (review the diff like code: it is a model change)
baselines: build
	@for s in $$(./triad list | awk '{print $$1}'); do \
		./triad run $$s --force --quiet --out out/baselines/$$s >/dev/null && \
		./triad baseline out/baselines/$$s --to testdata/baselines/$$s.json --force || exit 1; \
	done

## docs: run every command of docs/TUTORIAL.md and refresh its figures, and
## rerun the one-at-a-time experiments of docs/DRIVERS.md (a few minutes)
docs:
	$(GO) test ./cmd/triad -run '^TestTutorial$$' -count=1 -docs
	$(GO) test ./scenarios -run '^TestWhatDrivesTheStory$$' -count=1 -drivers -timeout 30m

## fuzz: fuzz the scenario loader and the parsers of --set, --policy and
## --sweep (spending at most 10 s minimising each new failing input: the
## default of 60 s showed as "0 execs/s")
fuzz:
	$(GO) test ./scenarios -run '^$$' -fuzz FuzzLoad -fuzztime 30s -fuzzminimizetime 10s
	$(GO) test ./cmd/triad -run '^$$' -fuzz FuzzOverrides -fuzztime 30s -fuzzminimizetime 10s

clean:
	rm -rf triad out dist .bin
