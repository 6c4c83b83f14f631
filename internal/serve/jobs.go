package serve

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// States of a job.
const (
	stateQueued    = "queued"
	stateRunning   = "running"
	stateDone      = "done"
	stateFailed    = "failed"
	stateCancelled = "cancelled"
)

// job is one run of a scenario asked for by a tab.
type job struct {
	id, tab string
	name    string
	cfg     sim.Config
	src     []byte
	dir     string
	ctx     context.Context
	cancel  context.CancelFunc

	mu      sync.Mutex
	state   string
	runs    []*sim.RunResult // finished so far, in the order they finished
	runsAll []*sim.RunResult // every run in replicate order, once done
	result  *resultView
	err     string
	version int
	changed chan struct{} // closed and replaced at every change
}

// update changes the job under its lock and wakes its watchers.
func (j *job) update(f func()) {
	j.mu.Lock()
	f()
	j.version++
	close(j.changed)
	j.changed = make(chan struct{})
	j.mu.Unlock()
}

// finished reports whether the job has ended, one way or another.
func (j *job) finished() bool {
	return j.state == stateDone || j.state == stateFailed || j.state == stateCancelled
}

// handleStart checks a request and queues its run: 202 with the run's id,
// 400 with the problems of bad input, 409 when the tab has a run that has
// not finished, 503 when the queue is full.
func (s *Server) handleStart(w http.ResponseWriter, r *http.Request) {
	req, name, src, cfg, ok := s.checked(w, r, true)
	if !ok {
		return
	}
	if r.Context().Err() != nil {
		return // the page has gone: nobody would see the run
	}
	j, status, err := s.enqueue(req.Tab, name, src, cfg)
	if err != nil {
		writeError(w, status, err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"id": j.id, "runs": cfg.Replicates, "steps": cfg.Steps})
}

// enqueue makes a job and starts its goroutine, which waits for a slot.
func (s *Server) enqueue(tab, name string, src []byte, cfg sim.Config) (*job, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return nil, http.StatusServiceUnavailable, errors.New("the server is stopping")
	case s.tabs[tab] != "":
		return nil, http.StatusConflict, fmt.Errorf("this tab already has a run going (%s): cancel it or wait for it to finish", s.tabs[tab])
	case s.queued >= s.opts.MaxRunning+s.opts.MaxWaiting:
		return nil, http.StatusServiceUnavailable, fmt.Errorf("the server is busy: %d runs are running or waiting, the most it takes; try again when one has finished", s.queued)
	}
	dir, err := os.MkdirTemp(s.opts.Dir, "run-")
	if err != nil {
		return nil, http.StatusInternalServerError, fmt.Errorf("make a run folder: %w", err)
	}
	s.nextID++
	ctx, cancel := context.WithCancel(context.Background())
	j := &job{id: "r" + strconv.Itoa(s.nextID), tab: tab, name: name, cfg: cfg, src: src, dir: dir, ctx: ctx, cancel: cancel, state: stateQueued, changed: make(chan struct{})}
	s.jobs[j.id] = j
	s.order = append(s.order, j.id)
	s.tabs[tab] = j.id
	s.queued++
	s.evict()
	s.wg.Add(1)
	go s.execute(j)
	return j, 0, nil
}

// evict forgets the oldest finished jobs beyond Keep and removes their
// folders. The caller holds s.mu.
func (s *Server) evict() {
	finished := 0
	for _, id := range s.order {
		j := s.jobs[id]
		j.mu.Lock()
		if j.finished() {
			finished++
		}
		j.mu.Unlock()
	}
	for k := 0; k < len(s.order) && finished > s.opts.Keep; {
		j := s.jobs[s.order[k]]
		j.mu.Lock()
		done := j.finished()
		j.mu.Unlock()
		if !done {
			k++
			continue
		}
		delete(s.jobs, j.id)
		s.order = append(s.order[:k], s.order[k+1:]...)
		_ = os.RemoveAll(j.dir)
		finished--
	}
}

// execute waits for a slot, then runs j.
func (s *Server) execute(j *job) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		s.queued--
		if s.tabs[j.tab] == j.id {
			delete(s.tabs, j.tab)
		}
		s.mu.Unlock()
	}()
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-j.ctx.Done():
		j.update(func() { j.state = stateCancelled })
		return
	}
	j.update(func() { j.state = stateRunning })
	runs, err := s.opts.Run(j.ctx, j.dir, j.src, j.cfg, func(run *sim.RunResult) {
		// The partial curves need only the rows: the innovation log
		// stays out of memory.
		light := *run
		light.Innovations = nil
		j.update(func() { j.runs = append(j.runs, &light) })
	})
	switch {
	case err != nil && j.ctx.Err() != nil:
		j.update(func() { j.state = stateCancelled })
	case err != nil:
		j.update(func() { j.state, j.err = stateFailed, err.Error() })
	default:
		res := newResultView(&j.cfg, runs, false)
		j.update(func() { j.state, j.result, j.runsAll = stateDone, res, runs })
	}
}

// lookup returns the job of the request's {id}.
func (s *Server) lookup(w http.ResponseWriter, r *http.Request) (*job, bool) {
	s.mu.Lock()
	j := s.jobs[r.PathValue("id")]
	s.mu.Unlock()
	if j == nil {
		writeError(w, http.StatusNotFound, fmt.Errorf("no run %q (runs are kept while the server runs, the last %d finished ones)", r.PathValue("id"), s.opts.Keep))
		return nil, false
	}
	return j, true
}

func (s *Server) handleCancel(w http.ResponseWriter, r *http.Request) {
	j, ok := s.lookup(w, r)
	if !ok {
		return
	}
	j.cancel()
	writeJSON(w, http.StatusOK, map[string]any{"id": j.id})
}

// progressView is what a progress event tells the page.
type progressView struct {
	State string `json:"state"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
	// Partial holds the curves, the pipeline, the transfer matrix and
	// the headline table over the runs finished so far.
	Partial *resultView `json:"partial,omitempty"`
}

// eventGap is the shortest time between two progress events of a run:
// the page redraws at most this often.
const eventGap = 150 * time.Millisecond

// handleEvents streams a job's progress as server-sent events: "progress"
// events with the partial curves, then one "done" (the results), "failed"
// (the message) or "cancelled" event, after which the stream ends.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	j, ok := s.lookup(w, r)
	if !ok {
		return
	}
	fl, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, errors.New("streaming is not supported"))
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	send := func(event string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b); err != nil {
			return err
		}
		fl.Flush()
		return nil
	}
	seen := -1
	shown := 0 // runs in the last curves sent
	for {
		j.mu.Lock()
		version, changed, state := j.version, j.changed, j.state
		var runs []*sim.RunResult
		if len(j.runs) != shown {
			runs = append(runs, j.runs...)
		}
		result, msg := j.result, j.err
		j.mu.Unlock()
		if version != seen {
			seen = version
			p := progressView{State: state, Done: len(runs), Total: j.cfg.Replicates}
			if runs == nil {
				p.Done = shown
			} else {
				shown = len(runs)
				p.Partial = newResultView(&j.cfg, runs, true)
			}
			if err := send("progress", p); err != nil {
				return
			}
			switch state {
			case stateDone:
				_ = send("done", result)
				return
			case stateFailed:
				_ = send("failed", map[string]string{"error": msg})
				return
			case stateCancelled:
				_ = send("cancelled", map[string]string{"id": j.id})
				return
			}
		}
		select {
		case <-r.Context().Done():
			return
		case <-changed:
		}
		select {
		case <-r.Context().Done():
			return
		case <-time.After(eventGap):
		}
	}
}

// done returns a finished job's runs, or writes why there are none.
func (s *Server) done(w http.ResponseWriter, j *job) ([]*sim.RunResult, bool) {
	j.mu.Lock()
	state, runs := j.state, j.runsAll
	j.mu.Unlock()
	if state != stateDone {
		writeError(w, http.StatusConflict, fmt.Errorf("run %s is %s, not finished", j.id, state))
		return nil, false
	}
	return runs, true
}

// handleZip sends a finished run's folder as a zip archive, its files
// under a folder named after the scenario.
func (s *Server) handleZip(w http.ResponseWriter, r *http.Request) {
	j, ok := s.lookup(w, r)
	if !ok {
		return
	}
	if _, ok := s.done(w, j); !ok {
		return
	}
	base := j.cfg.Name + "-" + j.id
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", base+".zip"))
	zw := zip.NewWriter(w)
	err := filepath.WalkDir(j.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(j.dir, path)
		if err != nil {
			return err
		}
		if filepath.Base(rel)[0] == '.' {
			return nil // the folder's lock and temporary files
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		zf, err := zw.Create(base + "/" + filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		_, err = io.Copy(zf, f)
		return err
	})
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		// The status is sent: break the connection, so that the
		// browser reports a failed download instead of keeping a
		// truncated archive.
		panic(http.ErrAbortHandler)
	}
}

// handleCompare compares two finished runs, ?base=ID&other=ID, with
// output.Compare: paired differences when they share their seeds.
func (s *Server) handleCompare(w http.ResponseWriter, r *http.Request) {
	var sets []output.RunSet
	for _, key := range []string{"base", "other"} {
		s.mu.Lock()
		j := s.jobs[r.URL.Query().Get(key)]
		s.mu.Unlock()
		if j == nil {
			writeError(w, http.StatusNotFound, fmt.Errorf("no run %q to compare", r.URL.Query().Get(key)))
			return
		}
		runs, ok := s.done(w, j)
		if !ok {
			return
		}
		sets = append(sets, output.RunSet{Label: j.id, Config: j.cfg, Regions: j.cfg.RegionIDs(), Runs: runs})
	}
	c, err := output.Compare(sets, nil)
	if err != nil {
		writeError(w, http.StatusBadRequest, &badInput{Problems: []problem{{Text: err.Error()}}})
		return
	}
	writeJSON(w, http.StatusOK, newCompareView(c))
}
