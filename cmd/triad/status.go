package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/internal/slurm"
	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/runs"
)

// statusOptions are the flags of `triad status`.
type statusOptions struct{ asJSON bool }

func (o *statusOptions) addFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&o.asJSON, "json", false, "print the state of every shard as JSON (see docs/CLI.md)")
}

func (o *statusOptions) execute(e *env, fs *pflag.FlagSet) (err error) {
	if fs.NArg() != 1 {
		return usagef("status", "status takes one output folder, got %d arguments", fs.NArg())
	}
	dir := fs.Arg(0)
	// With --json the text goes nowhere and js is printed instead.
	var js output.StatusJSON
	stdout := e.stdout
	if o.asJSON {
		stdout = io.Discard
		defer func() {
			// A folder that is not done is reported too (exit 1).
			var fe *failedError
			if err == nil || errors.As(err, &fe) {
				if werr := output.WriteJSON(e.stdout, js); werr != nil && err == nil {
					err = werr
				}
			}
		}()
	}
	st, err := runs.At(dir, owner(e)).Status(e.ctx)
	if err != nil {
		return err
	}
	if st.Shards == nil {
		js = st.JSON(runs.ShardTable{})
		return folderStatus(stdout, st)
	}
	set, tab := st.Shards, st.Table(slurm.Queued())
	js = st.JSON(tab)
	rerun, unsure, done := tab.Rerun, tab.MaybeQueued, st.Finished()
	if err := output.WriteShardStatus(stdout, &js, st.ShardLines(tab), time.Now()); err != nil {
		return err
	}
	if done < set.Count {
		// Never advise running a shard that is queued or running.
		if len(rerun) > 0 {
			fmt.Fprintf(stdout, "run shards %s (again) with --shard I/%d, then 'triad merge %s'\n", runs.ArrayRanges(rerun), set.Count, dir)
			if cmd := set.Command(rerun[0]); cmd != "" {
				fmt.Fprintf(stdout, "as the shards were started, shard %d is:\n  %s\n", rerun[0], cmd)
			}
		}
		if len(unsure) > 0 {
			fmt.Fprintf(stdout, "squeue is not on PATH, so triad cannot tell a queued shard from a missing one:\nif shards %s are not queued, run them with --shard I/%d, then 'triad merge %s'\n", runs.ArrayRanges(unsure), set.Count, dir)
		}
		if len(rerun)+len(unsure) == 0 {
			fmt.Fprintf(stdout, "wait for the queued and running shards, then 'triad merge %s'\n", dir)
		}
		return &failedError{fmt.Errorf("%d of %d shards are not done", set.Count-done, set.Count)}
	}
	switch {
	case js.Merged:
		fmt.Fprintf(stdout, "merged: the tables and plots are in %s\n", dir)
	case st.Merged:
		fmt.Fprintf(stdout, "merged, but %s lacks %d run file(s) (%s is the first): merge again with 'triad merge %s'\n", dir, st.Runs.Lacking, st.Runs.FirstLacking, dir)
	default:
		fmt.Fprintf(stdout, "every shard is done; assemble the tables and plots with 'triad merge %s'\n", dir)
	}
	return nil
}

// folderStatus reports on the output folder of a run that was not
// sharded, as st found it.
func folderStatus(stdout io.Writer, st *runs.Status) error {
	m, c, dir := st.Man, st.Runs, st.Dir
	switch {
	case m.Complete && c.Lacking == 0:
		fmt.Fprintf(stdout, "%s: %s, complete, %d runs\n", dir, m.Scenario.Name, c.Want)
		return nil
	case m.Complete:
		fmt.Fprintf(stdout, "%s: %s, finished, but %d of %d run files are missing (%s is the first)\nmake them again with 'triad run --resume %s'\n", dir, m.Scenario.Name, c.Lacking, c.Want, c.FirstLacking, dir)
		return &failedError{fmt.Errorf("%s lacks run files", dir)}
	}
	fmt.Fprintf(stdout, "%s: %s, running or stopped, %d of %d runs saved\nfinish a stopped run with 'triad run --resume %s'\n", dir, m.Scenario.Name, c.Have, c.Want, dir)
	return &failedError{fmt.Errorf("%s is not complete", dir)}
}
