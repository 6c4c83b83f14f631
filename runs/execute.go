package runs

import (
	"context"
	"fmt"

	"github.com/triad-sim/triad/sim"
)

// Progress is told how a run goes: Begin once, before the first run, with
// the number of runs of the folder and of those already saved, and Saved
// with each run after it is saved (from the one goroutine that saves them,
// while the workers go on). Either may be nil.
type Progress struct {
	Begin func(total, saved int)
	Saved func(run *sim.RunResult)
}

// StoppedError means the runs of a folder stopped before every one was
// saved: Saved of Total are kept, and a resume finishes them. Save is the
// first error saving a run (the disk is full, say), nil if the runs
// stopped for another reason, Err what stopped them.
type StoppedError struct {
	Saved, Total int
	Save         error
	Err          error
}

func (e *StoppedError) Error() string {
	return fmt.Sprintf("stopped: %d of %d runs are kept: %v", e.Saved, e.Total, e.Unwrap())
}

// Unwrap returns the save error, or else what stopped the runs.
func (e *StoppedError) Unwrap() error {
	if e.Save != nil {
		return e.Save
	}
	return e.Err
}

// RunMissing runs, with workers goroutines, the runs of man (only its
// shard's, for the folder of a shard) that dir does not hold yet, saving
// each as it finishes, in any order: a run's numbers depend only on the
// scenario and its task. The caller holds the folder's lock, so the
// temporary files it finds are left over from a process that was stopped
// and are removed first. When not every run could be saved, the error is a
// *StoppedError.
func RunMissing(ctx context.Context, dir string, man Manifest, workers int, p Progress) error {
	cfg := man.Scenario
	st := NewStore(dir, &cfg)
	if err := RemoveTemps(dir); err != nil {
		return err
	}
	have, err := st.Done()
	if err != nil {
		return fmt.Errorf("read %s: %w", dir, err)
	}
	all := ShardTasks(cfg.Tasks(), man.Shard)
	var todo []sim.Task
	for _, t := range all {
		if !have[t] {
			todo = append(todo, t)
		}
	}
	if p.Begin != nil {
		p.Begin(len(all), len(all)-len(todo))
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// One goroutine saves the runs (encoding, writing, syncing) while the
	// workers go on with the next ones; at most one finished run per
	// worker waits for it. A run finished before a stop is still saved.
	finished := make(chan *sim.RunResult, max(1, workers))
	var saveErr error // the saver's; read once it is done
	saved := make(chan struct{})
	go func() {
		defer close(saved)
		for run := range finished {
			if saveErr != nil {
				continue // the first error is enough: the others would be its echoes (the same full disk)
			}
			if err := st.Save(run); err != nil {
				saveErr = err
				cancel()
				continue
			}
			if p.Saved != nil {
				p.Saved(run)
			}
		}
	}()
	_, err = sim.RunTasks(ctx, cfg, todo, sim.Options{Workers: workers, Stream: true, Done: func(run *sim.RunResult) {
		finished <- run
	}})
	close(finished)
	<-saved
	if saveErr == nil && err == nil {
		return nil
	}
	have, _ = st.Done()
	return &StoppedError{Saved: len(have), Total: len(all), Save: saveErr, Err: err}
}

// Finish assembles the outputs of the whole run in dir, whose runs are all
// saved, and writes its manifest man, complete, with the files' hashes and
// the times of t. It returns what was assembled and that manifest.
func Finish(dir string, man Manifest, t Timing) (*Assembled, Manifest, error) {
	cfg := man.Scenario
	a, err := Assemble(dir, &cfg, man.Version, !man.NoPlots, NewStore(dir, &cfg).Load)
	if err != nil {
		return nil, man, err
	}
	man.Files = a.Files
	man.Complete = true
	t.stamp(&man)
	if err := SaveManifest(dir, man); err != nil {
		return nil, man, err
	}
	return a, man, nil
}
