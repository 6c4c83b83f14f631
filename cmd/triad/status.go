package main

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"text/tabwriter"
	"time"
)

func runStatus(e *env, args []string) error {
	fs := newFlags(e, "status")
	if err := parse(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("status", "status takes one output folder, got %d arguments", fs.NArg())
	}
	dir := fs.Arg(0)
	set, err := readShards(dir)
	if errors.Is(err, errNoShards) {
		return folderStatus(e, dir)
	}
	if err != nil {
		return err
	}
	now := time.Now()
	if set.ref != nil {
		cfg := set.ref.man.Scenario
		fmt.Fprintf(e.stdout, "%s: %s in %d shards, %d runs\n", dir, cfg.Name, set.count, len(cfg.Tasks()))
	} else {
		fmt.Fprintf(e.stdout, "%s: %d shards, scenario not known yet\n", dir, set.count)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "shard\tstate\truns\tlast run saved")
	var saved, done, missing int
	for i, f := range set.folders {
		want := "?"
		if set.ref != nil {
			want = strconv.Itoa(len(set.tasks(i)))
		}
		have, state, last := 0, "missing", ""
		switch {
		case f == nil:
			missing++
		case f.complete():
			have, state = len(f.runs), "done"
			done++
		default:
			have, state = len(f.runs), "running or stopped"
			if f.last.IsZero() {
				last = "none yet"
			} else {
				last = now.Sub(f.last).Round(time.Second).String() + " ago"
			}
		}
		saved += have
		fmt.Fprintf(tw, "%d\t%s\t%d/%s\t%s\n", i, state, have, want, last)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	total := "?"
	if set.ref != nil {
		total = strconv.Itoa(len(set.ref.man.Scenario.Tasks()))
	}
	fmt.Fprintf(e.stdout, "%d of %s runs saved; %d of %d shards done, %d running or stopped, %d missing\n",
		saved, total, done, set.count, set.count-done-missing, missing)
	if done < set.count {
		fmt.Fprintf(e.stdout, "run the shards that are not done (again), then 'triad merge %s'\n", dir)
		return &failedError{fmt.Errorf("%d of %d shards are not done", set.count-done, set.count)}
	}
	if m, err := readManifest(dir); err == nil && m.Complete && m.Shards == set.count && scenarioHash(m.Scenario) == scenarioHash(set.ref.man.Scenario) {
		fmt.Fprintf(e.stdout, "merged: the tables and plots are in %s\n", dir)
	} else {
		fmt.Fprintf(e.stdout, "every shard is done; assemble the tables and plots with 'triad merge %s'\n", dir)
	}
	return nil
}

// folderStatus reports on an output folder of a run that was not sharded.
func folderStatus(e *env, dir string) error {
	m, err := readManifest(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return &inputError{fmt.Errorf("%s holds neither shard folders nor a %s: no run or shard has started there", dir, manifestName)}
	}
	if err != nil {
		return &inputError{err}
	}
	total := len(m.Scenario.Tasks())
	if m.Complete {
		fmt.Fprintf(e.stdout, "%s: %s, complete, %d runs\n", dir, m.Scenario.Name, total)
		return nil
	}
	runs, _, err := listRuns(dir)
	if err != nil {
		return &inputError{err}
	}
	fmt.Fprintf(e.stdout, "%s: %s, running or stopped, %d of %d runs saved\nfinish a stopped run with 'triad run --resume %s'\n", dir, m.Scenario.Name, len(runs), total, dir)
	return &failedError{fmt.Errorf("%s is not complete", dir)}
}
