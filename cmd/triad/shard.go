package main

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// A sharded run splits the runs of a scenario among N processes that need
// not share anything but a folder:
//
//	triad run SCENARIO --shard I/N --out DIR
//
// runs the tasks of shard I into DIR/shard-IIII-of-NNNN/ (package runs says
// how the folder and the split work); `triad merge DIR` assembles them.

// parseShard reads --shard I/N or auto/N of command cmd (see
// runs.ParseShard): bad syntax is a usage error of cmd, a missing or
// out-of-range index from the batch engine an input error, each naming
// the flag.
func parseShard(cmd, spec string, getenv func(string) string) (runs.Shard, string, error) {
	sh, from, err := runs.ParseShard(spec, getenv)
	if se, ok := errors.AsType[*runs.ShardSpecError](err); ok {
		if se.Syntax {
			return sh, "", usagef(cmd, "--shard %s: %v", spec, se.Err)
		}
		return sh, "", &inputError{fmt.Errorf("--shard %s: %w", spec, se.Err)}
	}
	return sh, from, err
}

// runShard runs one shard of cfg into its folder under o.out: a new shard
// starts, a stopped one resumes and a complete one is left alone.
func runShard(e *env, o runOptions, src []byte, cfg sim.Config) error {
	sh, from, err := parseShard("run", o.shard, os.Getenv)
	if err != nil {
		return err
	}
	// status and merge go through every shard: their number is capped
	// like a sweep's runs (a shard may hold no run: a job array of a
	// fixed size may have more tasks than the sweep has runs).
	if limit := caps(o.large).Runs; limit > 0 && sh.Count > limit {
		return usagef("run", "--shard %s: %d shards is more than the cap of %d, which guards against typos; %s lifts it", o.shard, sh.Count, limit, scenarios.CapFlag)
	}
	man := runs.NewManifest(e.program(), cfg, src)
	man.NoPlots = o.noPlots
	man.Shard = &sh
	if from != "" {
		fmt.Fprintf(e.stderr, "triad: shard %d of %d (%s=%d)\n", sh.Index, sh.Count, from, sh.Index)
	}
	f, err := runs.CreateShard(o.out, man, o.force, owner(e))
	if err != nil {
		return err
	}
	defer f.Close()
	// The run files of a stopped or finished shard are checked before it
	// runs what it lacks, so that a damaged one is named now rather than
	// at the merge.
	if f.State != runs.ShardNew {
		if done, err := goOn(e, f, o); done || err != nil {
			return err
		}
	}
	return runFolder(e, f, o)
}

// joinShard is the shard spec of a process that joins a fit or an
// optimization (cmd) in its folder (see parseShard), nil for a process
// that shares it with none (no spec), said on stderr unless quiet when its
// index came from the batch engine.
func joinShard(e *env, cmd, spec string, quiet bool) (*runs.Shard, error) {
	if spec == "" {
		return nil, nil
	}
	sh, from, err := parseShard(cmd, spec, os.Getenv)
	if err == nil && from != "" && !quiet {
		fmt.Fprintf(e.stderr, "triad: shard %d of %d (%s=%d)\n", sh.Index, sh.Count, from, sh.Index)
	}
	return &sh, err
}

// resumeTakesOnly refuses a --resume of command cmd (a fit, an
// optimization: what) given a scenario or a flag other than resume and
// allowed, those that never change the numbers.
func resumeTakesOnly(cmd, what string, fs *pflag.FlagSet, allowed ...string) error {
	var other []string
	fs.Visit(func(f *pflag.Flag) {
		if f.Name != "resume" && !slices.Contains(allowed, f.Name) {
			other = append(other, "--"+f.Name)
		}
	})
	if fs.NArg() == 0 && len(other) == 0 {
		return nil
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = "--" + a
	}
	list := strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	return usagef(cmd, "--resume OUT takes no scenario and no flag but %s (got %s): the %s goes on with the settings it started with",
		list, strings.Join(append(other, fs.Args()...), " "), what)
}
