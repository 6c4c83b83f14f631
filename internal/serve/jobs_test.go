package serve

import (
	"archive/zip"
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// tinyRuns returns n runs of tiny, in replicate order.
func tinyRuns(t *testing.T, n int) (*sim.Config, *sim.Result) {
	t.Helper()
	cfg, err := scenarios.Load(tinyName, []byte(tiny))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Replicates = n
	res, err := sim.Run(context.Background(), cfg, sim.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	return &cfg, res
}

// same reports whether a and b are equal or both NaN.
func same(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

// TestSlimRunsHaveTheRunsFigures checks that a slim run has the figures
// of its run, so that summaries and comparisons of slim runs are those of
// the runs, in a row per region.
func TestSlimRunsHaveTheRunsFigures(t *testing.T) {
	cfg, res := tinyRuns(t, 8)
	for _, run := range res.Runs {
		s := slim(run, len(cfg.Regions))
		if len(s.Rows) != len(cfg.Regions) || s.Innovations != nil || len(s.Lags) > 1 {
			t.Errorf("replicate %d: slim run with %d rows, %d innovations and %d lags, want %d, 0 and at most 1", run.Replicate, len(s.Rows), len(s.Innovations), len(s.Lags), len(cfg.Regions))
		}
		got, want := s.Metrics(res.Regions), run.Metrics(res.Regions)
		if len(got) != len(want) {
			t.Fatalf("replicate %d: %d metrics, want %d", run.Replicate, len(got), len(want))
		}
		for i := range want {
			if got[i].Name != want[i].Name || got[i].Region != want[i].Region || !same(got[i].Value, want[i].Value) {
				t.Errorf("replicate %d: metric %v, want %v", run.Replicate, got[i], want[i])
			}
		}
	}
}

// TestTallyMatchesOutput checks the partial results of a tally over runs
// added in any order against output's over the runs: the tables, the
// pipeline and the transfer matrix equal, the curves equal up to
// rounding.
func TestTallyMatchesOutput(t *testing.T) {
	cfg, res := tinyRuns(t, 9)
	tl := newTally(cfg)
	shuffled := slices.Clone(res.Runs)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for _, run := range shuffled {
		tl.add(run)
	}
	got, want := tl.view(cfg), newResultView(cfg, res.Runs)
	if got.Headline != want.Headline {
		t.Errorf("headline:\n%s\nwant\n%s", got.Headline, want.Headline)
	}
	for i := range want.Summary {
		g, w := got.Summary[i], want.Summary[i]
		if g.Metric != w.Metric || g.Region != w.Region || g.N != w.N || !same(float64(g.Mean), float64(w.Mean)) || !same(float64(g.Low), float64(w.Low)) {
			t.Errorf("summary row %d: %+v, want %+v", i, g, w)
		}
	}
	for _, c := range []struct {
		name      string
		got, want []num
	}{
		{"discovered", got.Pipeline.Discovered, want.Pipeline.Discovered},
		{"commercialized", got.Pipeline.Commercialized, want.Pipeline.Commercialized},
		{"lost", got.Pipeline.Lost, want.Pipeline.Lost},
		{"transfer", slices.Concat(got.Transfer.Mean...), slices.Concat(want.Transfer.Mean...)},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
	if got.Bands.Runs != 9 || !slices.Equal(got.Bands.Steps, want.Bands.Steps) {
		t.Fatalf("bands over %d runs and steps %v, want 9 and %v", got.Bands.Runs, got.Bands.Steps, want.Bands.Steps)
	}
	for r, b := range want.Bands.Regions {
		for k := range b.Mean {
			for _, v := range [][2]num{{got.Bands.Regions[r].Mean[k], b.Mean[k]}, {got.Bands.Regions[r].Low[k], b.Low[k]}, {got.Bands.Regions[r].High[k], b.High[k]}} {
				if math.Abs(float64(v[0]-v[1])) > 1e-12 {
					t.Fatalf("band of %s at step %d: %v, want %v", b.Region, k, v[0], v[1])
				}
			}
		}
	}
}

// TestFinishedRunKeepsOnlyWhatThePageShows checks that a finished job
// holds its runs slim, and neither their tally nor the scenario's text,
// and that every watcher of a job gets the same events, encoded once.
func TestFinishedRunKeepsOnlyWhatThePageShows(t *testing.T) {
	br := newBlockRunner()
	ts, srv := startServer(t, Options{Run: br.run})
	code, m := start(t, ts.URL, request{Tab: "a", Replications: 5})
	if code != http.StatusAccepted {
		t.Fatalf("start: %d %v", code, m)
	}
	id := m["id"].(string)
	<-br.started
	srv.mu.Lock()
	j := srv.jobs[id]
	srv.mu.Unlock()
	if a, b := j.currentFrame(), j.currentFrame(); a != b {
		t.Errorf("two watchers of one version got two encodings of it")
	}
	close(br.release)
	if evs := events(t, ts.URL, id); evs[len(evs)-1].name != "done" {
		t.Fatalf("the run ended with %s", evs[len(evs)-1].name)
	}
	// The job's goroutine lets go of them once the last events are
	// encoded, just after they are published.
	srv.wg.Wait()
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.src != nil || j.tally != nil || j.result != nil {
		t.Errorf("a finished job keeps its scenario's text (%v), its tally (%v) or its results (%v)", j.src != nil, j.tally != nil, j.result != nil)
	}
	if len(j.runs) != 5 {
		t.Fatalf("a finished job keeps %d runs, want 5", len(j.runs))
	}
	for _, run := range j.runs {
		if len(run.Rows) != 2 || run.Innovations != nil {
			t.Errorf("replicate %d kept with %d rows and %d innovations, want 2 and none", run.Replicate, len(run.Rows), len(run.Innovations))
		}
	}
	if f := j.frame; f == nil || !f.final || !bytes.Contains(f.events, []byte("event: done")) {
		t.Errorf("the finished job's events are not encoded")
	}
}

// windDown is a runner that, cancelled, takes until stop is closed to
// return, as a real run finishes its step and its files.
type windDown struct {
	started   chan struct{}
	cancelled chan struct{}
	stop      chan struct{}
}

func (r *windDown) run(ctx context.Context, dir string, src []byte, cfg sim.Config, p Progress) ([]*sim.RunResult, error) {
	r.started <- struct{}{}
	<-ctx.Done()
	r.cancelled <- struct{}{}
	<-r.stop
	return nil, ctx.Err()
}

// TestRestartRightAfterCancel checks that a tab may start its next run as
// soon as its cancel is answered, while the cancelled run winds down.
func TestRestartRightAfterCancel(t *testing.T) {
	r := &windDown{started: make(chan struct{}, 4), cancelled: make(chan struct{}, 4), stop: make(chan struct{})}
	ts := newTestServer(t, r.run, 1, 1)
	code, a := start(t, ts.URL, request{Tab: "a"})
	if code != http.StatusAccepted {
		t.Fatalf("start: %d %v", code, a)
	}
	<-r.started
	if code, m := post(t, ts.URL+"/api/runs/"+a["id"].(string)+"/cancel", nil); code != http.StatusOK {
		t.Fatalf("cancel: %d %v", code, m)
	}
	<-r.cancelled // the run is winding down
	code, b := start(t, ts.URL, request{Tab: "a"})
	if code != http.StatusAccepted {
		t.Errorf("a new run right after the cancel: %d %v, want 202", code, b)
	}
	close(r.stop)
	if evs := events(t, ts.URL, a["id"].(string)); evs[len(evs)-1].name != "cancelled" {
		t.Errorf("the cancelled run's stream ends with %s, want cancelled", evs[len(evs)-1].name)
	}
	if code == http.StatusAccepted {
		<-r.started // the new run has its turn
		if code, m := post(t, ts.URL+"/api/runs/"+b["id"].(string)+"/cancel", nil); code != http.StatusOK {
			t.Errorf("cancel the new run: %d %v", code, m)
		}
	}
}

// stalledWriter is a ResponseWriter whose first write waits until open
// is closed, as a download that the browser reads slowly.
type stalledWriter struct {
	*httptest.ResponseRecorder
	once          sync.Once
	writing, open chan struct{}
}

func (w *stalledWriter) Write(p []byte) (int, error) {
	w.once.Do(func() {
		close(w.writing)
		<-w.open
	})
	return w.ResponseRecorder.Write(p)
}

// TestEvictionWaitsForTheZip checks that a run evicted while its folder
// is sent as a zip keeps its folder until the download ends.
func TestEvictionWaitsForTheZip(t *testing.T) {
	// Each run writes a file larger than the zip writer's buffer, so that
	// the download writes while the folder is read.
	big := bytes.Repeat([]byte("adoption\n"), 20000)
	run := func(ctx context.Context, dir string, src []byte, cfg sim.Config, p Progress) ([]*sim.RunResult, error) {
		for _, name := range []string{"a.csv", "b.csv"} {
			if err := os.WriteFile(filepath.Join(dir, name), big, 0o644); err != nil {
				return nil, err
			}
		}
		return memRunner(ctx, dir, src, cfg, p)
	}
	ts, srv := startServer(t, Options{Run: run, Keep: 1})
	finish := func() string {
		t.Helper()
		code, m := start(t, ts.URL, request{Tab: "a"})
		if code != http.StatusAccepted {
			t.Fatalf("start: %d %v", code, m)
		}
		id := m["id"].(string)
		if evs := events(t, ts.URL, id); evs[len(evs)-1].name != "done" {
			t.Fatalf("run %s ended with %s", id, evs[len(evs)-1].name)
		}
		return id
	}
	first := finish()
	srv.mu.Lock()
	dir := srv.jobs[first].dir
	srv.mu.Unlock()

	w := &stalledWriter{ResponseRecorder: httptest.NewRecorder(), writing: make(chan struct{}), open: make(chan struct{})}
	served := make(chan struct{})
	go func() {
		defer close(served)
		req := httptest.NewRequest("GET", ts.URL+"/api/runs/"+first+"/zip", nil)
		req.Host = ts.Listener.Addr().String()
		srv.ServeHTTP(w, req)
	}()
	<-w.writing
	finish()
	finish() // the first run is evicted when this one is queued
	if code, _ := get(t, ts.URL+"/api/runs/"+first+"/zip"); code != http.StatusNotFound {
		t.Errorf("the evicted run's zip: %d, want 404", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "b.csv")); err != nil {
		t.Errorf("the folder of a run being downloaded is gone: %v", err)
	}
	close(w.open)
	<-served
	zr, err := zip.NewReader(bytes.NewReader(w.Body.Bytes()), int64(w.Body.Len()))
	if err != nil {
		t.Fatalf("the download: %v", err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, strings.TrimPrefix(f.Name, "tiny-"+first+"/"))
	}
	if want := []string{"a.csv", "b.csv", "scenario.yaml"}; !slices.Equal(names, want) {
		t.Errorf("the download holds %v, want %v", names, want)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the evicted run's folder is kept after its download: %v", err)
	}
}
