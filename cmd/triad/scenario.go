package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// loadScenario reads and checks the scenario a command-line argument names:
// a file if one exists at that path, else a built-in scenario. large lifts
// the caps on its size.
func loadScenario(arg string, large bool) (name string, src []byte, cfg sim.Config, err error) {
	name, src, err = scenarios.Resolve(arg, readScenarioFile)
	if err != nil {
		return "", nil, cfg, &inputError{err}
	}
	cfg, err = scenarios.LoadCapped(name, src, caps(large))
	if err != nil {
		return "", nil, cfg, &inputError{err}
	}
	return name, src, cfg, nil
}

// loadSearch loads the scenario that fs's argument names as a search over
// it (a fit, an optimization) runs it: without its sweep, with the given
// replications of each point it tries and, when --seed was given, seed.
func (x *execFlags) loadSearch(fs *pflag.FlagSet, replications int, seed uint64) (name string, src []byte, cfg sim.Config, err error) {
	if name, src, cfg, err = loadScenario(fs.Arg(0), x.large); err != nil {
		return "", nil, cfg, err
	}
	ov := scenarios.Overrides{Replications: &replications, NoSweep: true, Caps: caps(x.large)}
	if fs.Changed("seed") {
		ov.Seed = &seed
	}
	err = applyOverrides(&ov, &cfg)
	return name, src, cfg, err
}

// readScenarioFile reads a scenario or targets file: a regular file of at
// most scenarios.MaxSize bytes (see runs.ReadFile), so that a named pipe,
// a device (/dev/zero) or a huge file is refused at once instead of
// blocking or filling the memory.
func readScenarioFile(path string) ([]byte, error) {
	return runs.ReadFile(path, "a scenario file", scenarios.MaxSize)
}

// caps are the scenario size caps, lifted by --allow-large.
func caps(large bool) scenarios.Caps {
	if large {
		return scenarios.NoCaps
	}
	return scenarios.DefaultCaps
}

// allowLargeUsage is the help of the --allow-large flag.
const allowLargeUsage = "lift the caps on firms, labs, steps, replications and runs that guard against typos"

// execFlags are the flags of every command that runs scenarios.
type execFlags struct {
	workers int
	quiet   bool
	large   bool
	memory  scenarios.ByteSize
}

func (x *execFlags) addFlags(fs *pflag.FlagSet) {
	fs.IntVarP(&x.workers, "workers", "w", runtime.GOMAXPROCS(0), "goroutines to use; never changes the numbers")
	fs.BoolVarP(&x.quiet, "quiet", "q", false, "print nothing on success (no progress, no table) but what --json asks for; errors still go to stderr")
	fs.BoolVar(&x.large, "allow-large", false, allowLargeUsage)
	x.memory = scenarios.DefaultMemory
	fs.Var(&x.memory, "max-memory", "refuse, before any work, a run estimated to need more memory than this, e.g. 8GB or 512MB (0: no budget)")
}

// check rejects impossible values before any work.
func (x *execFlags) check(cmd string) error {
	if x.workers < 1 {
		return usagef(cmd, "--workers must be at least 1, got %d", x.workers)
	}
	return nil
}

// checkMemory refuses a run of cfg that would need more memory than the
// budget (see scenarios.Estimate), before any work: runs is the number of
// its runs and held how many of their results are kept in memory at once.
func (x *execFlags) checkMemory(cfg *sim.Config, runs float64, held int) error {
	inFlight := int(min(float64(x.workers), max(runs, 1)))
	if err := scenarios.CheckMemory(cfg, inFlight, held, uint64(x.memory)); err != nil {
		return &inputError{err}
	}
	return nil
}

// simulate runs every replicate of a scenario in memory, with progress on
// stderr, for commands that need the runs but no output folder.
func (x *execFlags) simulate(e *env, cfg sim.Config) (*sim.Result, error) {
	prog := newProgress(e, cfg.Replicates, 0, x.quiet)
	res, err := sim.Run(e.ctx, cfg, sim.Options{Workers: x.workers, Done: func(*sim.RunResult) { prog.Done() }})
	prog.Finish()
	if err != nil && e.ctx.Err() != nil {
		return nil, &interruptedError{fmt.Sprintf("interrupted while running %s: nothing is kept (these runs are held in memory); run the command again", cfg.Name)}
	}
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", cfg.Name, err)
	}
	return res, nil
}
