package serve

import (
	"archive/zip"
	"bytes"
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
	"github.com/triad-sim/triad/runs"
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
	dir     string
	ctx     context.Context
	cancel  context.CancelFunc

	// Guarded by the server's mu: the requests reading the folder (a zip
	// being sent), and whether the job was evicted, its folder to be
	// removed when the last of them ends.
	readers int
	evicted bool

	mu      sync.Mutex
	src     []byte // the scenario's text, until the run ends
	state   string
	tally   *tally           // the runs finished so far
	runs    []*sim.RunResult // every run, slim, in replicate order, once done
	result  *resultView      // once done, until the "done" event is encoded
	err     string
	version int
	changed chan struct{} // closed and replaced at every change

	// frameMu guards frame: the events of the last version encoded, which
	// every watcher of the job sends.
	frameMu sync.Mutex
	frame   *frame
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
	if len(req.Sweep) > 0 {
		writeError(w, http.StatusBadRequest, &badInput{Problems: []problem{{Text: "a run sweeps no parameter: ask for a batch"}}})
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
	writeJSON(w, http.StatusAccepted, map[string]any{"id": j.id, "runs": len(cfg.Tasks()), "steps": cfg.Steps})
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
	j := &job{id: "r" + strconv.Itoa(s.nextID), tab: tab, name: name, cfg: cfg, src: src, dir: dir, ctx: ctx, cancel: cancel, state: stateQueued, tally: newTally(&cfg), changed: make(chan struct{})}
	s.jobs[j.id] = j
	s.order = append(s.order, j.id)
	s.tabs[tab] = j.id
	s.queued++
	for _, dir := range s.evict() {
		// A folder of many files takes a while to remove: not under
		// the lock.
		s.wg.Go(func() { _ = os.RemoveAll(dir) })
	}
	s.wg.Add(1)
	go s.execute(j)
	return j, 0, nil
}

// evict forgets the oldest finished jobs beyond Keep and returns the
// folders to remove: those of the jobs forgotten that no request is
// reading (a zip being sent); the last reader of the others removes them
// (see release). The caller holds s.mu.
func (s *Server) evict() []string {
	finished := 0
	for _, id := range s.order {
		j := s.jobs[id]
		j.mu.Lock()
		if j.finished() {
			finished++
		}
		j.mu.Unlock()
	}
	var dirs []string
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
		j.evicted = true
		if j.readers == 0 {
			dirs = append(dirs, j.dir)
		}
		finished--
	}
	return dirs
}

// read marks j's folder as being read until release is called; it
// reports false when j has been evicted and its folder is going.
func (s *Server) read(j *job) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if j.evicted {
		return false
	}
	j.readers++
	return true
}

// release ends a read of j's folder (see read) and removes the folder
// when j was evicted meanwhile and this was its last reader.
func (s *Server) release(j *job) {
	s.mu.Lock()
	j.readers--
	remove := j.evicted && j.readers == 0
	s.mu.Unlock()
	if remove {
		_ = os.RemoveAll(j.dir)
	}
}

// execute waits for a slot, then runs j. Of the runs it keeps only what
// the page shows: their tally while the run goes on, then the results,
// encoded once, and each run slimmed to its figures for comparisons.
func (s *Server) execute(j *job) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		s.queued--
		s.mu.Unlock()
	}()
	// end frees j's tab, then publishes j's last state: a page that sees
	// the run end may start the next one in the tab at once.
	end := func(f func()) {
		s.mu.Lock()
		if s.tabs[j.tab] == j.id {
			delete(s.tabs, j.tab)
		}
		s.mu.Unlock()
		j.update(f)
	}
	// The last events are encoded now, so that the tally, the results
	// and the scenario's text can go.
	defer func() {
		j.currentFrame()
		j.mu.Lock()
		j.src, j.tally, j.result = nil, nil, nil
		j.mu.Unlock()
	}()
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-j.ctx.Done():
		end(func() { j.state = stateCancelled })
		return
	}
	j.update(func() { j.state = stateRunning })
	p := Progress{Done: func(run *sim.RunResult) { j.update(func() { j.tally.add(run) }) }}
	if j.cfg.Sweep == nil { // a batch's curves would mix its points
		p.Step = func(point, replicate, step int, rows []sim.Row) {
			j.update(func() { j.tally.step(sim.Task{Point: point, Replicate: replicate}, step, rows) })
		}
		p.Cities = func(_, _, step int, shares []float64) {
			j.mu.Lock() // no change the page waits for: the city view comes with the results
			j.tally.citiesAt(step, shares)
			j.mu.Unlock()
		}
	}
	runs, err := s.opts.Run(j.ctx, j.dir, j.src, j.cfg, p)
	switch {
	case err != nil && j.ctx.Err() != nil:
		end(func() { j.state = stateCancelled })
	case err != nil:
		end(func() { j.state, j.err = stateFailed, err.Error() })
	default:
		slims := make([]*sim.RunResult, len(runs))
		for i, run := range runs {
			slims[i] = slim(run, len(j.cfg.Regions))
		}
		var res *resultView
		if j.cfg.Sweep != nil {
			res = &resultView{Batch: newBatchView(&j.cfg, slims)}
		} else {
			res = newResultView(&j.cfg, runs)
			j.mu.Lock()
			res.Cities = j.tally.citiesView(&j.cfg)
			j.mu.Unlock()
		}
		end(func() { j.state, j.result, j.runs = stateDone, res, slims })
	}
}

// runFolder runs cfg, read from src, into the empty folder dir through the
// use case of `triad run` (runs.Folder.Run): a manifest, each run saved
// as it finishes and handed to p.Done (every step of it to p.Step and
// p.Cities as it is computed), the tables, charts and report
// assembled and the manifest completed. The runs are then read back from
// the folder, as the assembly reads them.
func (s *Server) runFolder(ctx context.Context, dir string, src []byte, cfg sim.Config, p Progress) ([]*sim.RunResult, error) {
	host, _ := os.Hostname()
	home, _ := os.UserHomeDir()
	o := runs.Owner{Holder: runs.Holder{Command: "serve", Host: host, Since: time.Now()}, Home: home}
	f, err := runs.Create(dir, runs.NewManifest(s.opts.Program, cfg, src), false, o)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t := runs.Timing{Start: time.Now(), Now: time.Now}
	if _, err := f.Run(ctx, runs.RunOptions{Workers: s.opts.Workers, Progress: runs.Progress{Saved: p.Done, Step: p.Step, Cities: p.Cities}, Timing: t}); err != nil {
		return nil, err
	}
	st := runs.NewStore(dir, &cfg)
	rs := make([]*sim.RunResult, 0, len(cfg.Tasks()))
	for _, task := range cfg.Tasks() {
		run, err := st.Load(task)
		if err != nil {
			return nil, err
		}
		rs = append(rs, run)
	}
	return rs, nil
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

// handleCancel stops a run. Its tab is free at once: the page may start
// the next run while this one winds down.
func (s *Server) handleCancel(w http.ResponseWriter, r *http.Request) {
	j, ok := s.lookup(w, r)
	if !ok {
		return
	}
	j.cancel()
	s.mu.Lock()
	if s.tabs[j.tab] == j.id {
		delete(s.tabs, j.tab)
	}
	s.mu.Unlock()
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
// the page redraws at most this often, and the partial results are
// computed at most this often, whatever the number of pages watching.
const eventGap = 150 * time.Millisecond

// frame is the events of one version of a job, encoded once for every
// page that watches it.
type frame struct {
	version int
	at      time.Time
	changed chan struct{} // closed at the job's next change
	// final reports whether the job had ended: events end the stream.
	final  bool
	events []byte
}

// currentFrame returns the job's events: a "progress" event with the
// partial results, then, once the job has ended, one "done" (the
// results), "failed" (the message) or "cancelled" event. While the run
// goes on, a frame younger than eventGap is reused even if the job has
// changed since; once it has ended, the frame is its last.
func (j *job) currentFrame() *frame {
	j.frameMu.Lock()
	defer j.frameMu.Unlock()
	j.mu.Lock()
	if f := j.frame; f != nil && (f.version == j.version || !j.finished() && time.Since(f.at) < eventGap) {
		j.mu.Unlock()
		return f
	}
	f := &frame{version: j.version, at: time.Now(), changed: j.changed, final: j.finished()}
	p := progressView{State: j.state, Total: len(j.cfg.Tasks()), Done: len(j.runs)}
	var t *tally
	if j.tally != nil {
		p.Done = len(j.tally.runs)
		if j.state != stateDone { // the results say it all
			t = j.tally.snapshot()
		}
	}
	result, msg := j.result, j.err
	j.mu.Unlock()
	if t != nil {
		p.Partial = t.view(&j.cfg)
	}
	var b bytes.Buffer
	event := func(name string, v any) {
		data, err := json.Marshal(v)
		if err != nil {
			data, _ = json.Marshal(map[string]string{"error": err.Error()})
		}
		fmt.Fprintf(&b, "event: %s\ndata: %s\n\n", name, data)
	}
	event("progress", p)
	switch p.State {
	case stateDone:
		event("done", result)
	case stateFailed:
		event("failed", map[string]string{"error": msg})
	case stateCancelled:
		event("cancelled", map[string]string{"id": j.id})
	}
	f.events = b.Bytes()
	j.frame = f
	return f
}

// handleEvents streams a job's progress as server-sent events (see
// currentFrame) until the job ends or the page goes.
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
	seen := -1
	for {
		f := j.currentFrame()
		if f.version != seen {
			seen = f.version
			if _, err := w.Write(f.events); err != nil {
				return
			}
			fl.Flush()
			if f.final {
				return
			}
		}
		select {
		case <-r.Context().Done():
			return
		case <-f.changed:
		}
		select {
		case <-r.Context().Done():
			return
		case <-time.After(eventGap):
		}
	}
}

// done returns a finished job's runs, slim, or writes why there are none.
func (s *Server) done(w http.ResponseWriter, j *job) ([]*sim.RunResult, bool) {
	j.mu.Lock()
	state, runs := j.state, j.runs
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
	if !s.read(j) {
		writeError(w, http.StatusNotFound, fmt.Errorf("run %s has just been removed (the last %d finished runs are kept)", j.id, s.opts.Keep))
		return
	}
	defer s.release(j)
	sendZip(w, j.dir, j.cfg.Name+"-"+j.id)
}

// sendZip sends the files of dir as a zip archive, under a folder named
// base, leaving out the folder's lock and temporary files (their names
// begin with a dot).
func sendZip(w http.ResponseWriter, dir, base string) {
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", base+".zip"))
	zw := zip.NewWriter(w)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		if filepath.Base(rel)[0] == '.' {
			return nil
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
		if j.cfg.Sweep != nil {
			writeError(w, http.StatusBadRequest, fmt.Errorf("run %s is a batch: compare single runs", j.id))
			return
		}
		sets = append(sets, output.RunSet{Label: setLabel(j), Config: j.cfg, Regions: j.cfg.RegionIDs(), Runs: runs})
	}
	c, err := output.Compare(sets, nil)
	if err != nil {
		writeError(w, http.StatusBadRequest, &badInput{Problems: []problem{{Text: err.Error()}}})
		return
	}
	writeJSON(w, http.StatusOK, newCompareView(c))
}
