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
# The date is the commit's, not the clock's: builds and release archives
# of one commit are then the same bytes (make dist twice gives the same
# SHA256SUMS).
DATE ?= $(shell TZ=UTC git log -1 --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd 2>/dev/null || date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS = -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.buildDate=$(DATE)

.PHONY: all build dist notices run test test-short check test-arm64 test-cluster bench golden fuzz baselines docs vuln clean

all: build

## build: a static binary (no cgo: it runs on any Linux, old glibc or none)
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o triad ./cmd/triad

## dist: release archives for linux/amd64, linux/arm64, darwin/arm64 and
## windows/amd64 with SHA256SUMS, in dist/ (nothing is uploaded), each
## with LICENSE and THIRD_PARTY_NOTICES, reproducible (every file dated
## DATE, the commit's); PLATFORMS=linux/amd64,windows/amd64 builds only those
PLATFORMS ?=
dist:
	$(GO) run ./internal/dist -version "$(VERSION)" -commit "$(COMMIT)" -date "$(DATE)" -out dist $(if $(PLATFORMS),-platforms $(PLATFORMS))

## notices: rewrite THIRD_PARTY_NOTICES, the licences of the modules and
## assets of others in triad, after a dependency changed (a test and make
## dist refuse a stale one); review its diff
notices:
	$(GO) run ./internal/dist -notices

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

# The packages in the order go test reports them (one line each, as soon
# as it and those before it are done): fewest dependencies first, which
# build and pass within seconds, the command, which needs them all, last.
# In ./...'s order the command came first and nothing was printed until
# its tests were done.
PKGS = $(shell $(GO) list -f '{{len .Deps}} {{.ImportPath}}' ./... | sort -n | cut -d' ' -f2)
# TESTFLAGS adds go test flags to test and test-short, e.g. -v or -json.
TESTFLAGS ?=

## test-short: every test in -short mode, without the race detector: the
## quick answer (under 3 minutes on an idle two-core machine; see
## docs/TESTING.md for the slowest tests)
test-short:
	$(GO) test $(TESTFLAGS) -short -count=1 $(PKGS)

## test: formatting, vet, every test with the race detector, then every
## test at full speed, the long ones among them (Bass validation, the
## default scenario's story, determinism on 8 workers, the builds of the
## release binary and of the container's files): under -race they would
## take minutes, so -short skips them or runs them smaller.
test: check
	$(GO) test $(TESTFLAGS) -race -short -count=1 $(PKGS)
	$(GO) test $(TESTFLAGS) -count=1 $(PKGS)

## check: formatting, go vet, go.mod tidy, and staticcheck (a tool of
## go.mod, so its version is pinned there and in go.sum)
check:
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then \
		echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }
	$(GO) tool staticcheck ./...

## test-arm64: the golden and determinism tests of the numbers (sim,
## output, runs, scenarios, internal/portable) compiled for linux/arm64 and
## run under qemu-user-static, which it installs from apt when it is missing
## (root, Debian/Ubuntu): the files must be the same bytes as on amd64
## (about two minutes on a fresh 2-core machine, one with a warm cache)
ARM64_TESTS = ^(TestRegress|TestSameAnswerWhateverTheWorkers|TestSeeds|TestSweepSeeds|TestSensitivityDesignsDeterministic|TestGolden|TestReadJSONWritesTheSameBytes|TestBootstrapDeterministic|TestSummarize|TestPairedDiff|TestWelch|TestTQuantile|TestResumeAndShardsGiveTheFilesOfOneRun|TestRunFileRoundTrip|TestLoadReportsEveryInvalidFileAtItsLine|TestLoadAcceptsEveryValidFile|TestSameBitsOnEveryPlatform)$$
test-arm64:
	@command -v qemu-aarch64-static >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static; }
	CGO_ENABLED=0 GOARCH=arm64 $(GO) test -exec qemu-aarch64-static -short -count=1 -run '$(ARM64_TESTS)' ./sim ./output ./runs ./scenarios ./internal/portable

## test-cluster: a sharded sweep as a job array on a real single-node Slurm,
## merged and compared byte for byte with one process (root, Debian/Ubuntu;
## installs munge and Slurm from apt; see docs/CLUSTER.md)
test-cluster:
	GO=$(GO) cluster/slurm-local/test.sh

## bench: diffusion-1m, four-region-1m (and its build share),
## four-region-directed-1m, one small run (three-hubs: its fixed cost and
## allocations) and 200 of them, the whole `triad run` of four-region-1m
## against its simulation in process, the whole process of
## four-region-directed-1m (the built binary, as a user runs it) and
## sweep-small, with 1 and 2 workers: firm-steps/s, trials/s, B/firm,
## runs/s, the speedup of 2 workers over 1, whole/sim and process/sim
## (a few minutes on an idle 2-core machine: issue 14's six, less
## three-hubs-1m and two of sweep-small's three iterations; see
## docs/PERFORMANCE.md)
bench:
	$(GO) test -run '^$$' -bench 'Diffusion/firms=1000000/|FourRegion/firms=1000000/|FourRegionDirected/|Build' -benchtime 3x -timeout 30m ./sim
	$(GO) test -run '^$$' -bench 'SmallRun$$' -benchtime 20x -benchmem -timeout 30m ./sim
	$(GO) test -run '^$$' -bench 'SmallRuns' -benchtime 2x -benchmem -timeout 30m ./sim
	$(GO) test -run '^$$' -bench 'WholeRun|WholeProcess' -benchtime 3x -timeout 30m ./cmd/triad
	$(GO) test -run '^$$' -bench 'SweepSmall' -benchtime 1x -timeout 30m ./cmd/triad

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

## fuzz: fuzz the scenario loader, the levers file's loader and the parsers of --set, --policy and
## --sweep (spending at most 10 s minimising each new failing input: the
## default of 60 s showed as "0 execs/s")
fuzz:
	$(GO) test ./scenarios -run '^$$' -fuzz '^FuzzLoad$$' -fuzztime 30s -fuzzminimizetime 10s
	$(GO) test ./scenarios -run '^$$' -fuzz '^FuzzLoadLevers$$' -fuzztime 30s -fuzzminimizetime 10s
	$(GO) test ./scenarios -run '^$$' -fuzz '^FuzzOverrides$$' -fuzztime 30s -fuzzminimizetime 10s

clean:
	rm -rf triad out dist .bin
