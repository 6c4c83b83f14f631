package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/triad-sim/triad/runs"
)

// describeUnfinished says which shards of s are not done and how to run
// them.
func describeUnfinished(s *runs.ShardSet, idx []int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d shards are not done:\n", len(idx), s.Count)
	var rerun []int
	for _, i := range idx {
		fmt.Fprintf(&b, "  shard %d: %s\n", i, shardState(s, i))
		if f := s.Folders[i]; f == nil || !f.Running {
			rerun = append(rerun, i)
		}
	}
	if len(rerun) == 0 {
		b.WriteString("wait for them to finish, then merge")
		return b.String()
	}
	fmt.Fprintf(&b, "run the shards that are not running (again) with --shard I/%d and the same scenario, flags and --out: a finished shard is skipped\n", s.Count)
	fmt.Fprintf(&b, "and a stopped one resumes; with Slurm (unless they are queued: see 'triad status %s'): ARRAY=%s cluster/slurm/submit.sh %d SCENARIO %s", s.Dir, arrayRanges(rerun), s.Count, s.Dir)
	if s.Ref != nil {
		if cmd := rerunCommand(s.Ref.Man.Command, rerun[0], s.Count); cmd != "" {
			fmt.Fprintf(&b, "\nas the shards were started, shard %d is: %s", rerun[0], cmd)
		}
	}
	return b.String()
}

// shardState describes shard i of s in a few words.
func shardState(s *runs.ShardSet, i int) string {
	f := s.Folders[i]
	switch {
	case f == nil:
		return "missing"
	case f.Complete():
		return "done"
	case f.Running:
		return "running (" + runs.ShortHolder(f.Holder) + ")"
	case f.Man == nil:
		return "starting, or stopped before its first run"
	}
	return fmt.Sprintf("running or stopped, %d of %d runs saved", len(f.Runs), len(s.Tasks(i)))
}

// arrayRanges writes sorted indices as a Slurm --array list: 1-3,5.
func arrayRanges(idx []int) string {
	var parts []string
	for k := 0; k < len(idx); {
		j := k
		for j+1 < len(idx) && idx[j+1] == idx[j]+1 {
			j++
		}
		if j == k {
			parts = append(parts, strconv.Itoa(idx[k]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", idx[k], idx[j]))
		}
		k = j + 1
	}
	return strings.Join(parts, ",")
}

func runMerge(e *env, args []string) error {
	fs := newFlags(e, "merge")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("merge", "merge takes one output folder, got %d arguments", fs.NArg())
	}
	dir := fs.Arg(0)
	t := clock()
	lk, err := lockFolder(dir, lockCommand("merge", args))
	if err != nil {
		return err
	}
	defer lk.Unlock()
	set, err := runs.ReadShards(dir, holderFor("status"))
	if err != nil {
		return err
	}
	if idx := set.Unfinished(); len(idx) > 0 {
		return &failedError{fmt.Errorf("cannot merge %s: %s", dir, describeUnfinished(set, idx))}
	}
	a, man, err := runs.Merge(e.ctx, set, e.invocation(), t)
	if err != nil {
		if e.ctx.Err() != nil {
			return &interruptedError{fmt.Sprintf("interrupted: %s is not merged (the shards are as they were); merge it with\n  triad merge %s", dir, dir)}
		}
		return err
	}
	fmt.Fprintf(e.stdout, "merged %d shards in %.1fs\n", set.Count, time.Since(t.Start).Round(time.Millisecond).Seconds())
	return report(e, dir, man.Scenario.Name, &man.Scenario, a, man.WallSeconds)
}
