package runs

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/triad-sim/triad/output"
)

// ShardTable is the shards of a sharded run as status reports them.
type ShardTable struct {
	// Shards holds each shard's state, in the order of Status.Shard:
	// done, running, queued, starting, stopped, missing or
	// missing_or_queued.
	Shards []output.ShardJSON
	// Saved counts the run files of the shards (none for a shard that the
	// batch engine holds), Busy the shards running, queued or starting.
	Saved, Busy int
	// Rerun holds the shards known to be neither queued nor running,
	// MaybeQueued those that may be queued (the engine could not be asked).
	Rerun, MaybeQueued []int
}

// Table classifies the shards of s for a report. queued maps the index of
// each shard that a batch engine (Slurm) holds to "queued" (pending) or
// "starting" (running, before it holds its folder), and asked says whether
// the engine could be asked at all: a missing shard of an engine that
// could not be asked may be queued. A shard that runs is never listed to
// run again.
func (s *Status) Table(queued map[int]string, asked bool) ShardTable {
	t := ShardTable{Shards: []output.ShardJSON{}, Rerun: []int{}, MaybeQueued: []int{}}
	for _, sh := range s.Shard {
		i := sh.Index
		sj := output.ShardJSON{Index: i, Runs: sh.Runs}
		switch {
		case sh.Condition == ShardFinished:
			sj.State = "done"
		case sh.Condition == ShardRunning:
			sj.State = "running"
			t.Busy++
		case queued[i] != "":
			sj.Runs, sj.State = 0, queued[i]
			t.Busy++
		case sh.Condition == ShardMissing && !asked:
			sj.State = "missing_or_queued"
			t.MaybeQueued = append(t.MaybeQueued, i)
		case sh.Condition == ShardMissing:
			sj.State = "missing"
			t.Rerun = append(t.Rerun, i)
		default:
			sj.State = "stopped"
			t.Rerun = append(t.Rerun, i)
		}
		t.Saved += sj.Runs
		if sh.Want >= 0 {
			n := sh.Want
			sj.RunsExpected = &n
		}
		if !sh.Last.IsZero() {
			last := sh.Last.UTC()
			sj.LastSaved = &last
		}
		t.Shards = append(t.Shards, sj)
	}
	return t
}

// ArrayRanges writes sorted shard indices as a Slurm --array list, the
// form in which status and merge name the shards to run again: 1-3,5.
func ArrayRanges(idx []int) string {
	var parts []string
	for k := 0; k < len(idx); {
		j := k
		for j+1 < len(idx) && idx[j+1] == idx[j]+1 {
			j++
		}
		if j == k {
			parts = append(parts, strconv.Itoa(idx[k]))
		} else {
			parts = append(parts, strconv.Itoa(idx[k])+"-"+strconv.Itoa(idx[j]))
		}
		k = j + 1
	}
	return strings.Join(parts, ",")
}

// Describe says in a few words how a shard that merge found unfinished
// is: missing, done, running (and by whom), starting, or how far it got.
func (st ShardStatus) Describe() string {
	switch st.Condition {
	case ShardMissing:
		return "missing"
	case ShardFinished:
		return "done"
	case ShardRunning:
		return "running (" + ShortHolder(st.Folder.Holder) + ")"
	case ShardUnstarted:
		return "starting, or stopped before its first run"
	}
	return "running or stopped, " + strconv.Itoa(st.Runs) + " of " + strconv.Itoa(st.Want) + " runs saved"
}

// Unfinished returns the number of shards of e that are not finished.
func (e *UnfinishedError) Unfinished() int { return e.Shards.Count - countFinished(e.Shard) }

// Lines says which shards of e are not done, a line each after a line
// that counts them: "2 of 5 shards are not done:", "  shard 3: missing".
func (e *UnfinishedError) Lines() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d shards are not done:\n", e.Unfinished(), e.Shards.Count)
	for _, st := range e.Shard {
		if st.Condition != ShardFinished {
			fmt.Fprintf(&b, "  shard %d: %s\n", st.Index, st.Describe())
		}
	}
	return b.String()
}

// Rerun returns the shards of e, in order, that are not done and that no
// process runs: those to run (again).
func (e *UnfinishedError) Rerun() []int {
	var idx []int
	for _, st := range e.Shard {
		if st.Condition != ShardFinished && st.Condition != ShardRunning {
			idx = append(idx, st.Index)
		}
	}
	return idx
}
