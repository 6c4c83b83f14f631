package serve

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// folderRunner runs into a real output folder as the server itself does
// (Server.runFolder: runs.Folder.Run, as triad run), with one worker, so
// that downloads have the files triad run writes.
var folderRunner Runner = (&Server{opts: Options{Program: runs.Program{Version: "test", Command: []string{"triad", "serve"}}, Workers: 1}}).runFolder

// runToEnd starts req on base's server at path (api/runs or api/batch)
// and waits for its last event, which must be "done"; it returns the id
// and the results.
func runToEnd(t *testing.T, base, path string, req request) (string, resultView) {
	t.Helper()
	if req.Scenario == "" {
		req.Scenario = tinyName
	}
	code, m := post(t, base+path, req)
	if code != http.StatusAccepted {
		t.Fatalf("%s: %d %v", path, code, m)
	}
	id := m["id"].(string)
	evs := events(t, base, id)
	if last := evs[len(evs)-1]; last.name != "done" {
		t.Fatalf("run %s ended with %s: %s", id, last.name, last.data)
	}
	var res resultView
	if err := json.Unmarshal(evs[len(evs)-1].data, &res); err != nil {
		t.Fatal(err)
	}
	return id, res
}

// unzip returns the files of a zip archive by name.
func unzip(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// TestTallyGrowsStepByStep watches runs step by step and checks the
// partial curves: while the first run is at step 10 they end at step 10
// (its shares, over the one run there); once every run is counted they
// are output.Bands' up to rounding, each step counted once although the
// finished runs are added too.
func TestTallyGrowsStepByStep(t *testing.T) {
	cfg, err := scenarios.Load(tinyName, []byte(tiny))
	if err != nil {
		t.Fatal(err)
	}
	tl := newTally(&cfg)
	var mu sync.Mutex
	var mid *resultView
	var firstRows [][]sim.Row
	res, err := sim.Run(context.Background(), cfg, sim.Options{Workers: 1, Observe: func(point, rep, step int, rows []sim.Row) {
		mu.Lock()
		defer mu.Unlock()
		tl.step(sim.Task{Point: point, Replicate: rep}, step, rows)
		if rep == 0 {
			firstRows = append(firstRows, append([]sim.Row(nil), rows...))
			if step == 10 {
				mid = tl.snapshot().view(&cfg)
			}
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if mid == nil || mid.Bands == nil {
		t.Fatal("no partial view at step 10 of the first run")
	}
	for r, b := range mid.Bands.Regions {
		for k, m := range b.Mean {
			switch {
			case k <= 10 && float64(m) != firstRows[k][r].AdoptionShare:
				t.Errorf("region %s step %d: mean %v while one run is there, want its share %v", b.Region, k, m, firstRows[k][r].AdoptionShare)
			case k > 10 && !math.IsNaN(float64(m)):
				t.Errorf("region %s step %d: mean %v before any run got there, want none", b.Region, k, m)
			}
		}
	}
	if mid.Bands.Reached[10] != 1 || mid.Bands.Reached[11] != 0 {
		t.Errorf("runs that reached steps 10 and 11: %d and %d, want 1 and 0", mid.Bands.Reached[10], mid.Bands.Reached[11])
	}
	for _, run := range res.Runs {
		tl.add(run)
	}
	got, want := tl.view(&cfg), newResultView(&cfg, res.Runs)
	for r, b := range want.Bands.Regions {
		for k := range b.Mean {
			if d := math.Abs(float64(got.Bands.Regions[r].Mean[k] - b.Mean[k])); d > 1e-12 {
				t.Fatalf("band of %s at step %d: %v, want %v", b.Region, k, got.Bands.Regions[r].Mean[k], b.Mean[k])
			}
		}
	}
	for k, n := range got.Bands.Reached {
		if n != cfg.Replicates {
			t.Fatalf("step %d counted in %d runs, want %d (once each)", k, n, cfg.Replicates)
		}
	}
}

// TestRunHasACityView checks the city view of a finished run: one share
// per city at each frame, whose firm-weighted mean over a region's cities
// is the region's mean adoption share at that step.
func TestRunHasACityView(t *testing.T) {
	ts := newTestServer(t, memRunner, 0, 0)
	_, res := runToEnd(t, ts.URL, "/api/runs", request{Tab: "a"})
	if res.Cities == nil || len(res.Cities.Steps) != len(res.FlowSteps) {
		t.Fatalf("city view %+v, want a frame at every step of the animation %v", res.Cities, res.FlowSteps)
	}
	cfg, _ := scenarios.Load(tinyName, []byte(tiny))
	changed := false
	for k, step := range res.Cities.Steps {
		c := 0
		for r, reg := range cfg.Regions {
			var adopters, firms float64
			for _, city := range reg.Cities {
				adopters += float64(city.Firms) * float64(res.Cities.Shares[k][c])
				firms += float64(city.Firms)
				c++
			}
			if want := float64(res.Bands.Regions[r].Mean[step]); math.Abs(adopters/firms-want) > 1e-9 {
				t.Errorf("step %d region %s: cities' mean share %v, region's %v", step, reg.ID, adopters/firms, want)
			}
		}
		if k > 0 && res.Cities.Shares[k][0] != res.Cities.Shares[0][0] {
			changed = true
		}
	}
	if !changed {
		t.Error("the first city's share never changes over the steps")
	}
}

// TestCompareDownloadsAFolder checks that two finished runs download as
// the folder triad compare writes: its tables, charts, report and a
// manifest that lists every file with its SHA-256 and each set with its
// scenario and seeds; its compare.csv is output's for the same runs.
func TestCompareDownloadsAFolder(t *testing.T) {
	ts := newTestServer(t, folderRunner, 0, 0)
	base, _ := runToEnd(t, ts.URL, "/api/runs", request{Tab: "a", Replications: 5})
	other, _ := runToEnd(t, ts.URL, "/api/runs", request{Tab: "a", Replications: 5, Sets: []string{"regions.mkt.pull=4"}})
	resp, err := http.Get(ts.URL + "/api/compare/zip?base=" + base + "&other=" + other)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("GET compare/zip: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	files := unzip(t, body)
	folder := "compare-tiny-" + base + "-vs-tiny-" + other + "/"
	dir := t.TempDir()
	for name, b := range files {
		rel, ok := strings.CutPrefix(name, folder)
		if !ok {
			t.Fatalf("%s is outside the folder %s", name, folder)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, rel), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	man, err := runs.ReadCompareManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(man.Compare) != 2 || man.Compare[0].Label != "tiny-"+base || man.Compare[1].Seed != 7 || man.Compare[1].Replicates != 5 || man.Version != "test" {
		t.Errorf("manifest sets %+v, program %+v", man.Compare, man.Program)
	}
	for _, name := range []string{"compare.csv", "compare.json", "report.html"} {
		sum := sha256.Sum256(files[folder+name])
		if man.Files[name] != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: SHA-256 %s in the manifest, want %x", name, man.Files[name], sum)
		}
	}
	// compare.csv as output writes it for the same runs.
	var sets []output.RunSet
	for _, c := range []struct {
		id   string
		sets []string
	}{{base, nil}, {other, []string{"regions.mkt.pull=4"}}} {
		cfg, _ := scenarios.Load(tinyName, []byte(tiny))
		cfg.Replicates = 5
		if err := scenarios.Set(&cfg, c.sets); err != nil {
			t.Fatal(err)
		}
		res, err := sim.Run(context.Background(), cfg, sim.Options{})
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, output.RunSet{Label: "tiny-" + c.id, Config: cfg, Regions: res.Regions, Runs: res.Runs})
	}
	c, err := output.Compare(sets, nil)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := output.WriteCompareCSV(&want, c); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(files[folder+"compare.csv"], want.Bytes()) {
		t.Errorf("compare.csv of the download differs from output's:\n%s\nwant\n%s", files[folder+"compare.csv"], want.Bytes())
	}
	if code, _ := get(t, ts.URL+"/api/compare/zip?base="+base+"&other=r99"); code != http.StatusNotFound {
		t.Errorf("compare/zip with an unknown run: %d, want 404", code)
	}
}

// TestBatchSweepsOnCommonSeeds runs a batch of two parameters and checks
// it: a grid of their values, replicate r of every point on the same
// seed, and the figures by point those of output.SummarizePoints over
// sim.Run of the same sweep. A run request with a sweep, and a batch of
// none or three parameters, are refused.
func TestBatchSweepsOnCommonSeeds(t *testing.T) {
	ts, srv := startServer(t, Options{Run: memRunner})
	sweep := []sweepParam{{"regions.mkt.p", []float64{0.01, 0.05}}, {"diffusion.q", []float64{0.2, 0.3, 0.5}}}
	id, res := runToEnd(t, ts.URL, "/api/batch", request{Tab: "a", Replications: 3, Sweep: sweep})
	b := res.Batch
	if b == nil || len(b.Points) != 6 || b.Replications != 3 || len(b.Paths) != 2 {
		t.Fatalf("batch %+v, want 2 × 3 points of 3 runs", b)
	}
	if res.Bands != nil || res.Cities != nil {
		t.Errorf("a batch has curves or a city view, which would mix its points")
	}
	cfg, _ := scenarios.Load(tinyName, []byte(tiny))
	cfg.Replicates = 3
	cfg.Sweep = &sim.Sweep{Design: sim.DesignGrid, Seeds: sim.SeedsCommon, Params: []sim.SweepParam{{Path: "regions.mkt.p", Values: sweep[0].Values}, {Path: "diffusion.q", Values: sweep[1].Values}}}
	want, err := sim.Run(context.Background(), cfg, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ps := output.SummarizePoints(want.Regions, cfg.Points(), want.Runs)
	for _, f := range b.Figures {
		for k, c := range f.Cells {
			st, _ := ps[k].Summary.Get(f.Metric, f.Region)
			// JSON has null for a figure that does not exist: zero here.
			if !same(float64(c.Mean), zeroNaN(st.Mean)) || !same(float64(c.Low), zeroNaN(st.CILow)) || !same(float64(c.High), zeroNaN(st.CIHigh)) || c.N != st.N {
				t.Fatalf("%s %s at point %v: %+v, want %+v", f.Metric, f.Region, b.Points[k].Values, c, st)
			}
		}
	}
	for k, p := range b.Points {
		if wantV := cfg.Points()[k].Values; p.Values[0] != wantV[0] || p.Values[1] != wantV[1] || p.Runs != 3 {
			t.Errorf("point %d: %+v, want values %v and 3 runs", k, p, wantV)
		}
	}
	srv.mu.Lock()
	j := srv.jobs[id]
	srv.mu.Unlock()
	seeds := map[int]uint64{}
	for _, run := range j.runs {
		if s, ok := seeds[run.Replicate]; ok && s != run.Seed {
			t.Errorf("replicate %d of point %d has seed %d, of point 0 %d: want common random numbers", run.Replicate, run.Point, run.Seed, s)
		}
		seeds[run.Replicate] = run.Seed
	}
	if len(seeds) != 3 || len(j.runs) != 18 {
		t.Errorf("%d runs with %d seeds, want 18 with 3", len(j.runs), len(seeds))
	}
	for _, c := range []struct {
		name, path string
		req        request
	}{
		{"a run with a sweep", "/api/runs", request{Tab: "b", Scenario: tinyName, Sweep: sweep[:1]}},
		{"a batch of nothing", "/api/batch", request{Tab: "b", Scenario: tinyName}},
		{"a batch of three", "/api/batch", request{Tab: "b", Scenario: tinyName, Sweep: append(sweep, sweepParam{"regions.lab.p", []float64{0.1}})}},
		{"a value out of range", "/api/batch", request{Tab: "b", Scenario: tinyName, Sweep: []sweepParam{{"regions.mkt.p", []float64{0.5, 1.5}}}}},
	} {
		if code, m := post(t, ts.URL+c.path, c.req); code != http.StatusBadRequest {
			t.Errorf("%s: %d %v, want 400", c.name, code, m)
		}
	}
	if code, _ := get(t, ts.URL+"/api/compare?base="+id+"&other="+id); code != http.StatusBadRequest {
		t.Errorf("comparing a batch: %d, want 400", code)
	}
}

// zeroNaN returns x, or 0 for NaN: what a num decodes to from null.
func zeroNaN(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
}
