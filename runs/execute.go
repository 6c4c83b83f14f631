package runs

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/triad-sim/triad/sim"
)

// Progress is told how a run goes: Begin once, before the first run, with
// the number of runs of the folder and of those already saved, and Saved
// with each run after it is saved (from the one goroutine that saves them,
// while the workers go on). Either may be nil.
type Progress struct {
	Begin func(total, saved int)
	Saved func(run *sim.RunResult)
	// Step and Cities, when set, watch every step of the runs being
	// computed, as sim.Options' Observe and ObserveCities do (the
	// explorer draws its curves from them while the runs go on).
	Step   func(point, replicate, step int, rows []sim.Row)
	Cities func(point, replicate, step int, shares []float64)
}

// StoppedError means the runs of the folder Dir stopped before every one
// was saved: Saved of Total are kept, and a resume finishes them. Save is
// the first error saving a run (the disk is full, say), nil if the runs
// stopped for another reason, Err what stopped them.
type StoppedError struct {
	Dir          string
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

// runMissing runs, with workers goroutines, the runs of man (only its
// shard's, for the folder of a shard) that dir does not hold yet, saving
// each as it finishes, in any order: a run's numbers depend only on the
// scenario and its task. The caller holds the folder's lock and has
// removed the temporary files left over from a process that was stopped
// (removeTemps). When not every run could be saved, the error is a
// *StoppedError.
func runMissing(ctx context.Context, dir string, man Manifest, workers int, p Progress) error {
	cfg := man.Scenario
	st := NewStore(dir, &cfg)
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
	_, err = sim.RunTasks(ctx, cfg, todo, sim.Options{Workers: workers, Stream: true, Observe: p.Step, ObserveCities: p.Cities, Done: func(run *sim.RunResult) {
		finished <- run
	}})
	close(finished)
	<-saved
	if saveErr == nil && err == nil {
		return nil
	}
	have, _ = st.Done()
	return &StoppedError{Dir: dir, Saved: len(have), Total: len(all), Save: saveErr, Err: err}
}

// AssembleError is an error of the assembly of the outputs of the folder
// Dir after its runs were all saved (Folder.Run): the runs are kept.
type AssembleError struct {
	Dir string
	Err error
}

func (e *AssembleError) Error() string { return "assemble results: " + e.Err.Error() }

// Unwrap returns what failed.
func (e *AssembleError) Unwrap() error { return e.Err }

// keptRuns is how many saved runs runAndFinish holds in memory for the
// tables at most: they take the runs in the order the runs start, so only
// the runs that finish ahead of a slower one wait there.
const keptRuns = 64

// errRunsStopped is what the assembly of runAndFinish reads in place of a
// run that will not be saved: the runs stopped.
var errRunsStopped = errors.New("the runs stopped")

// runAndFinish runs, as runMissing does, the runs of man that dir does not
// hold yet (dir is not a shard's folder), assembles the outputs of all of
// them and writes the manifest, complete, with the files' hashes and the
// times of t. It returns what was assembled and that manifest.
//
// It assembles while the runs go on: the tables take each run as soon as
// it is saved (in their order, which is the order the runs start in), on
// a goroutine of their own, as it was computed rather than read back from
// its file (the file holds the same numbers: a folder whose runs were all
// saved before reads every run back, and the tests compare the two), so
// that a sweep of many short runs does not wait for all of them to be
// read back at the end. When the runs stop, the assembly stops too and
// publishes nothing; the error is runMissing's. An error of the assembly
// itself is an *AssembleError.
func runAndFinish(ctx context.Context, dir string, man Manifest, workers int, p Progress, t Timing) (*Assembled, Manifest, error) {
	cfg := man.Scenario
	st := NewStore(dir, &cfg)
	// runMissing's first step, before the assembly makes temporary files
	// of its own.
	if err := removeTemps(dir); err != nil {
		return nil, man, err
	}
	var mu sync.Mutex
	ready := map[sim.Task]chan struct{}{} // closed when the task's run is saved
	// Runs saved and not yet taken by the tables are handed over as they
	// are, up to keptRuns of them, rather than read back from their files.
	kept := map[sim.Task]*sim.RunResult{}
	readyCh := func(task sim.Task) chan struct{} {
		mu.Lock()
		defer mu.Unlock()
		ch, ok := ready[task]
		if !ok {
			ch = make(chan struct{})
			ready[task] = ch
		}
		return ch
	}
	ran := make(chan struct{}) // closed when runMissing has returned
	var runErr error           // runMissing's; read once ran is closed
	load := func(task sim.Task) (*sim.RunResult, error) {
		select {
		case <-readyCh(task):
		case <-ran:
			if runErr != nil {
				return nil, errRunsStopped
			}
		}
		mu.Lock()
		delete(ready, task) // read once by the tables (a later read waits for ran)
		run, ok := kept[task]
		delete(kept, task)
		mu.Unlock()
		if ok {
			return run, nil
		}
		return st.Load(task)
	}
	type result struct {
		a   *Assembled
		man Manifest
		err error
	}
	assembled := make(chan result, 1)
	go func() {
		a, m, err := finishWhenRun(ctx, dir, man, t, load, ran, func() bool { return runErr != nil })
		assembled <- result{a, m, err}
	}()
	saved := p.Saved
	p.Saved = func(run *sim.RunResult) {
		task := sim.Task{Point: run.Point, Replicate: run.Replicate}
		mu.Lock()
		if len(kept) < keptRuns {
			kept[task] = run
		}
		mu.Unlock()
		close(readyCh(task))
		if saved != nil {
			saved(run)
		}
	}
	runErr = runMissing(ctx, dir, man, workers, p)
	close(ran)
	r := <-assembled
	switch {
	case runErr != nil:
		return nil, man, runErr
	case r.err != nil:
		return nil, man, &AssembleError{dir, r.err}
	}
	return r.a, r.man, nil
}

// finishWhenRun assembles dir's outputs from the runs load reads and,
// once runMissing has returned (ran is closed) without an error (failed
// reports one; it may be called once ran is closed), writes the manifest
// man, complete, with the files' hashes and the times of t. It stops when
// ctx is done.
func finishWhenRun(ctx context.Context, dir string, man Manifest, t Timing, load func(sim.Task) (*sim.RunResult, error), ran <-chan struct{}, failed func() bool) (*Assembled, Manifest, error) {
	cfg := man.Scenario
	a, err := Assemble(ctx, dir, &cfg, man.Version, !man.NoPlots, load)
	if err != nil {
		return nil, man, err
	}
	if <-ran; failed() {
		return nil, man, errRunsStopped
	}
	man.Files = a.Files
	man.Complete = true
	t.stamp(&man)
	if err := SaveManifest(dir, man); err != nil {
		return nil, man, err
	}
	return a, man, nil
}
