package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/runs"
)

// describeUnfinished says which shards of u are not done and how to run
// them.
func describeUnfinished(u *runs.UnfinishedError) string {
	count, rerun := u.Shards.Count, u.Rerun()
	if len(rerun) == 0 {
		return u.Lines() + "wait for them to finish, then merge"
	}
	var b strings.Builder
	b.WriteString(u.Lines())
	fmt.Fprintf(&b, "run the shards that are not running (again) with --shard I/%d and the same scenario, flags and --out: a finished shard is skipped\n", count)
	fmt.Fprintf(&b, "and a stopped one resumes; with Slurm (unless they are queued: see 'triad status %s'): ARRAY=%s cluster/slurm/submit.sh %d SCENARIO %s", u.Dir, runs.ArrayRanges(rerun), count, u.Dir)
	if cmd := u.Shards.Command(rerun[0]); cmd != "" {
		fmt.Fprintf(&b, "\nas the shards were started, shard %d is: %s", rerun[0], cmd)
	}
	return b.String()
}

func runMerge(e *env, fs *pflag.FlagSet) error {
	if fs.NArg() != 1 {
		return usagef("merge", "merge takes one output folder, got %d arguments", fs.NArg())
	}
	dir := fs.Arg(0)
	t := clock()
	f, err := runs.Hold(dir, owner(e))
	if err != nil {
		return err
	}
	defer f.Close()
	a, err := f.Merge(e.ctx, e.invocation(), t, runs.Progress{})
	if u, ok := errors.AsType[*runs.UnfinishedError](err); ok {
		return &failedError{fmt.Errorf("cannot merge %s: %s", dir, describeUnfinished(u))}
	}
	if err != nil {
		if e.ctx.Err() != nil {
			return &interruptedError{fmt.Sprintf("interrupted: %s is not merged (the shards are as they were); merge it with\n  triad merge %s", dir, dir)}
		}
		return err
	}
	man := f.Man
	fmt.Fprintf(e.stdout, "merged %d shards in %.1fs\n", man.Shards, time.Since(t.Start).Round(time.Millisecond).Seconds())
	return a.Made(dir, &man.Scenario, man.WallSeconds).Write(e.stdout)
}
