package main

import (
	"fmt"
	"os"
	"slices"
	"strconv"
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

// shardEnv lists, in the order they are consulted, the variables through
// which batch engines tell an array task its index: Slurm job arrays,
// Kubernetes Indexed Jobs, AWS Batch array jobs and Google Cloud Batch.
// Only Slurm's depends on how the job was submitted (--array=0-(N-1)); the
// others count from 0.
var shardEnv = []string{"SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX", "BATCH_TASK_INDEX"}

// maxShards bounds the number of shards even with --allow-large: status
// and merge look for every shard's folder.
const maxShards = 1_000_000

// parseShard reads --shard I/N or auto/N. For auto it takes I from the first
// variable of shardEnv that getenv returns non-empty and returns that
// variable's name. Bad syntax is a usage error, a missing or out-of-range
// index an input error.
func parseShard(spec string, getenv func(string) string) (sh runs.Shard, from string, err error) {
	is, ns, ok := strings.Cut(spec, "/")
	if !ok {
		return sh, "", usagef("run", "--shard %s: want I/N (0 <= I < N) or auto/N", spec)
	}
	n, err := strconv.Atoi(ns)
	if err != nil || n < 1 || n > maxShards {
		return sh, "", usagef("run", "--shard %s: the number of shards must be a whole number from 1 to %d, got %q", spec, maxShards, ns)
	}
	sh.Count = n
	if is != "auto" {
		i, err := strconv.Atoi(is)
		if err != nil || i < 0 || i >= n {
			return sh, "", usagef("run", "--shard %s: the shard must be auto or a whole number from 0 to %d, got %q", spec, n-1, is)
		}
		sh.Index = i
		return sh, "", nil
	}
	for _, name := range shardEnv {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			continue
		}
		i, err := strconv.Atoi(v)
		if err != nil || i < 0 || i >= n {
			hint := ""
			if name == "SLURM_ARRAY_TASK_ID" {
				hint = fmt.Sprintf(": submit the array with --array=0-%d", n-1)
			}
			return sh, "", &inputError{fmt.Errorf("--shard %s: %s=%s is not a shard from 0 to %d%s", spec, name, v, n-1, hint)}
		}
		sh.Index = i
		return sh, name, nil
	}
	return sh, "", &inputError{fmt.Errorf("--shard %s: no batch engine gave a shard index: none of %s is set", spec, strings.Join(shardEnv, ", "))}
}

// runShard runs one shard of cfg into its folder under o.out: a new shard
// starts, a stopped one resumes and a complete one is left alone.
func runShard(e *env, o runOptions, src []byte, cfg sim.Config) error {
	sh, from, err := parseShard(o.shard, os.Getenv)
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
	if f.State == runs.ShardNew {
		return runFolder(e, f, o)
	}
	// The shard's run files are checked before it runs what it lacks, so
	// that a damaged one is named now rather than at the merge.
	lack, err := f.Resume(e.ctx, version)
	switch {
	case err != nil:
		return err
	case lack.Nothing():
		if !o.quiet {
			fmt.Fprintf(e.stdout, "%s: shard %d of %d is already complete in %s; nothing to do\n", cfg.Name, sh.Index, sh.Count, f.Dir)
		}
		return nil
	case f.State == runs.ShardDone:
		fmt.Fprintf(e.stderr, "triad: the shard in %s lacks %d run file(s): making them again\n", f.Dir, lack.Runs)
	default:
		fmt.Fprintf(e.stderr, "triad: resuming the stopped shard in %s\n", f.Dir)
	}
	return runFolder(e, f, o)
}

// joinShard is the shard spec of a process that joins a fit or an
// optimization in its folder (see parseShard), said on stderr unless
// quiet when its index came from the batch engine.
func joinShard(e *env, spec string, quiet bool) (runs.Shard, error) {
	sh, from, err := parseShard(spec, os.Getenv)
	if err == nil && from != "" && !quiet {
		fmt.Fprintf(e.stderr, "triad: shard %d of %d (%s=%d)\n", sh.Index, sh.Count, from, sh.Index)
	}
	return sh, err
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
