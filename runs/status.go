package runs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// At is the folder dir as o sees it, without its lock: for Status, which
// only reads, while shards may still be running.
func At(dir string, o Owner) *Folder { return &Folder{Dir: dir, owner: o} }

// Condition is what state a shard of a sharded run is in: the one
// classification of shards, which Status reports and Merge checks.
type Condition int

const (
	// ShardMissing means the shard has no folder: not started, or queued
	// in a batch engine.
	ShardMissing Condition = iota
	// ShardUnstarted means the shard's folder holds no manifest and no
	// process holds it: starting, or stopped before its first run.
	ShardUnstarted
	// ShardRunning means a process holds the shard's lock.
	ShardRunning
	// ShardHalted means the shard's run stopped before its end, or (when
	// Status read its runs) that it was finished and lacks run files: run
	// it again, which runs what it lacks.
	ShardHalted
	// ShardFinished means the shard is complete (with every run file
	// there and whole, when Status read them).
	ShardFinished
)

// ShardStatus is one shard of a sharded run as Status or Merge found it.
type ShardStatus struct {
	Index     int
	Condition Condition
	// Folder is the shard's folder, nil while it has none.
	Folder *ShardFolder
	// Runs is the number of run files its folder holds, Want the number
	// it should hold (-1 while no shard has said which scenario they
	// run).
	Runs, Want int
	// Last is when its newest run file was written, zero for a finished
	// shard or one without run files.
	Last time.Time
}

// Status is the state of an output folder: of a run, or of a sharded run
// and, once its shards are finished, of their merge.
type Status struct {
	Dir string
	// Man is the manifest of the folder itself: the run's, or the merged
	// shards'; nil when it has none.
	Man *Manifest
	// Runs counts Man's run files: each read and checked when Man is
	// complete (see checkRuns), counted by their names otherwise.
	Runs RunCount
	// Shards is the sharded run of the folder, nil for the folder of a run
	// that was not sharded; Shard says how each of its shards is.
	Shards *ShardSet
	Shard  []ShardStatus
	// Merged is set when every shard is finished and Man is their merge,
	// complete (Runs says whether it lacks run files).
	Merged bool
}

// Finished returns the number of finished shards.
func (s *Status) Finished() int {
	n := 0
	for _, sh := range s.Shard {
		if sh.Condition == ShardFinished {
			n++
		}
	}
	return n
}

// Status reports the state of the folder without changing anything. A
// folder without shard folders is the folder of one run, whose manifest
// must be there (else the error wraps ErrNotOurFolder). The runs of a
// complete run or shard are read (see checkRuns), so that a folder is
// finished only with every run file there and whole. It stops once ctx
// is done.
func (f *Folder) Status(ctx context.Context) (*Status, error) {
	st := &Status{Dir: f.Dir}
	set, err := readShards(f.Dir, f.owner.Holder)
	if errors.Is(err, ErrNoShards) {
		m, err := ReadManifest(f.Dir)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fitStatus(f.Dir)
		}
		if err != nil {
			return nil, err
		}
		st.Man = &m
		if m.Complete {
			st.Runs, err = checkRuns(ctx, f.Dir, m)
		} else {
			st.Runs, err = countRuns(f.Dir, m)
		}
		return st, err
	}
	if err != nil {
		return nil, err
	}
	lacks := map[int]bool{}
	for i, sf := range set.Folders {
		if !sf.Complete() {
			continue
		}
		c, err := checkRuns(ctx, sf.Dir, *sf.Man)
		if err != nil {
			return nil, err
		}
		lacks[i] = c.Lacking > 0
	}
	st.Shards, st.Shard = set, classify(set, lacks)
	if st.Finished() < set.Count {
		return st, nil
	}
	m, err := ReadManifest(f.Dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return st, nil
	case err != nil:
		return nil, err
	case !m.Complete || m.Shards != set.Count || ScenarioHash(m.Scenario) != ScenarioHash(set.Ref.Man.Scenario):
		return st, nil
	}
	if st.Runs, err = checkRuns(ctx, f.Dir, m); err != nil {
		return nil, err
	}
	st.Man, st.Merged = &m, true
	return st, nil
}

// classify says how each shard of s is; lacks holds the shards that are
// complete but lack run files.
func classify(s *ShardSet, lacks map[int]bool) []ShardStatus {
	all := make([]ShardStatus, s.Count)
	for i, sf := range s.Folders {
		st := ShardStatus{Index: i, Folder: sf, Want: -1}
		if s.Ref != nil {
			st.Want = len(s.Tasks(i))
		}
		switch {
		case sf == nil:
			st.Condition = ShardMissing
		case sf.Complete() && !lacks[i]:
			st.Condition = ShardFinished
		case sf.Running:
			st.Condition = ShardRunning
		case sf.Man == nil:
			st.Condition = ShardUnstarted
		default:
			st.Condition = ShardHalted
		}
		if sf != nil {
			st.Runs = len(sf.Runs)
			if st.Condition != ShardFinished {
				st.Last = sf.Last
			}
		}
		all[i] = st
	}
	return all
}

// UnfinishedError means a sharded run cannot be merged: some shards are
// not finished. Shard holds every shard's state, for the command to say
// which to run again and how; it wraps ErrShardsNotDone.
type UnfinishedError struct {
	Dir    string
	Shards *ShardSet
	Shard  []ShardStatus
}

func (e *UnfinishedError) Error() string {
	return fmt.Sprintf("cannot merge %s: %d of %d shards are not done", e.Dir, e.Unfinished(), e.Shards.Count)
}

// Unwrap returns ErrShardsNotDone.
func (e *UnfinishedError) Unwrap() error { return ErrShardsNotDone }

func countFinished(all []ShardStatus) int {
	return (&Status{Shard: all}).Finished()
}

// Merge assembles the tables, plots and report of the sharded run in the
// folder, which f holds, from the run files of its shards, which must all
// be finished (else the error is an *UnfinishedError), and writes its
// manifest, complete, with the times of t (the merge's own) added to the
// shards'; inv is the triad that merges. p.Saved is told of each run as
// it is merged. It stops between runs and between files once ctx is done
// (Ctrl-C), with ctx's error, and then writes no manifest: the shards
// are as they were.
func (f *Folder) Merge(ctx context.Context, inv Invocation, t Timing, p Progress) (*Assembled, error) {
	set, err := readShards(f.Dir, f.owner.Holder)
	if err != nil {
		return nil, err
	}
	if all := classify(set, nil); countFinished(all) < set.Count {
		return nil, &UnfinishedError{Dir: f.Dir, Shards: set, Shard: all}
	}
	a, man, err := merge(ctx, set, inv, t, p)
	if err != nil {
		return nil, err
	}
	f.Man = man
	return a, nil
}

// fitStatus is the error Status gives for a folder without a manifest or
// shards: a fit's folder (triad fit writes no manifest) is named as one,
// an unfinished fit with the proposals it has saved and what continues
// it; any other folder holds no run.
func fitStatus(dir string) error {
	switch {
	case IsFile(filepath.Join(dir, FitName)):
		return mark(fmt.Errorf("%s holds a finished fit, not a run: its results are %s, fit.csv and %s", dir, FitName, ReportName), ErrNotOurFolder)
	case IsFile(filepath.Join(dir, FitStateName)):
		saved := 0
		if es, err := os.ReadDir(filepath.Join(dir, FitProposalsDir)); err == nil {
			for _, e := range es {
				if IsFitProposalName(e.Name()) && !isTempName(e.Name()) {
					saved++
				}
			}
		}
		return &Advice{Err: mark(fmt.Errorf("%s holds a fit that has not finished (still running, or stopped), not a run: %d simulated proposals are saved", dir, saved), ErrNotOurFolder), Dir: dir, Fix: FixResumeFit}
	}
	return mark(fmt.Errorf("%s holds neither shard folders nor a %s: no run or shard has started there", dir, ManifestName), ErrNotOurFolder)
}
