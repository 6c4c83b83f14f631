package runs

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"

	"github.com/triad-sim/triad/sim"
)

// RunCount is how many of a folder's runs have a file in its runs/.
type RunCount struct {
	// Want is the number of runs of the folder's manifest (of its shard,
	// for the folder of a shard), Have those with a file, and Lacking the
	// others; FirstLacking names the first of them, in task order.
	Want, Have, Lacking int
	FirstLacking        string
	// have are the tasks with a file, in the order of their names.
	have []sim.Task
}

// countRuns counts the runs of man that dir/runs holds a file for, by their
// names alone. Files named for tasks that are not man's are not counted.
// It builds no list of the tasks, so that a manifest claiming more runs
// than any folder holds costs no more than the folder's files.
func countRuns(dir string, man Manifest) (RunCount, error) {
	var c RunCount
	names, _, err := listRuns(dir)
	if err != nil {
		return c, mark(fmt.Errorf("read %s: %w", filepath.Join(dir, RunsDir), err), ErrInaccessible)
	}
	cfg := &man.Scenario
	points, reps := len(cfg.Points()), cfg.Replicates
	all := points * reps
	mine := func(t sim.Task) bool {
		if t.Point >= points || t.Replicate >= reps {
			return false
		}
		k := t.Point*reps + t.Replicate
		return man.Shard == nil || k%man.Shard.Count == man.Shard.Index
	}
	c.Want = all
	if sh := man.Shard; sh != nil {
		c.Want = all / sh.Count
		if sh.Index < all%sh.Count {
			c.Want++
		}
	}
	for _, t := range slices.SortedFunc(maps.Keys(names), compareTasks) {
		if mine(t) {
			c.have = append(c.have, t)
		}
	}
	c.Have = len(c.have)
	c.Lacking = c.Want - c.Have
	if c.Lacking > 0 {
		// The first task without a file comes within the first Have+1
		// tasks of the folder.
		for k, n := 0, 0; k < all && n <= c.Have; k++ {
			t := sim.Task{Point: k / reps, Replicate: k % reps}
			if !mine(t) {
				continue
			}
			if !names[t] {
				c.FirstLacking = filepath.Join(dir, RunsDir, RunFileName(t))
				break
			}
			n++
		}
	}
	return c, nil
}

// lackingError is the error of a finished folder dir that lacks run files:
// it wraps ErrIncomplete and says how to make them again.
func (c RunCount) lackingError(dir string) error {
	return &Advice{Err: mark(fmt.Errorf("%s lacks %d of its %d run files (%s is the first)", dir, c.Lacking, c.Want, c.FirstLacking), ErrIncomplete), Dir: dir, Fix: FixRemake}
}

// checkRuns reads every run file of man (its shard's, for the folder of a
// shard) that dir holds and checks each as Store.Load does, in the order of
// their names, and counts those that lack a file. It stops at the first
// file that is damaged or foreign, whose error names it and says what to
// do, and with ctx's error once ctx is done.
func checkRuns(ctx context.Context, dir string, man Manifest) (RunCount, error) {
	c, err := countRuns(dir, man)
	if err != nil {
		return c, err
	}
	st := storeOf(dir, man)
	for _, t := range c.have {
		if err := ctx.Err(); err != nil {
			return c, err
		}
		if _, err := st.Load(t); err != nil {
			return c, mark(err, ErrInaccessible)
		}
	}
	return c, nil
}
