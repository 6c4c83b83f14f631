package output

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/triad-sim/triad/output/internal/fixture"
	"github.com/triad-sim/triad/sim"
)

func TestSummarizePoints(t *testing.T) {
	res := fixture.Result()
	_, ps := sweepFixture("regions.acc.pull")
	if got, want := len(ps), 3; got != want {
		t.Fatalf("got %d points, want %d", got, want)
	}
	tests := []struct {
		name     string
		point    int
		runs     int
		t50, fin float64 // acc's mean t50 and final adoption
	}{
		// acc's t50 per run: 2, 3, 4; final shares 0.5, 0.6, 0.7.
		{"the first point has the fixture's runs", 0, 3, 3, 0.6},
		{"the second point has its own runs", 1, 3, 5, 0.3},
		{"a point without runs has none", 2, 0, math.NaN(), math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ps[tt.point]
			if p.Point.Index != tt.point || p.Runs != tt.runs {
				t.Errorf("got point %d with %d runs, want point %d with %d", p.Point.Index, p.Runs, tt.point, tt.runs)
			}
			if tt.runs == 0 {
				if len(p.Summary) != 0 {
					t.Errorf("got %d stats, want none", len(p.Summary))
				}
				return
			}
			t50, _ := p.Summary.Get(sim.MetricT50, "acc")
			fin, _ := p.Summary.Get(sim.MetricFinalAdoption, "acc")
			if !fixture.Same(t50.Mean, tt.t50, 1e-12) || !fixture.Same(fin.Mean, tt.fin, 1e-12) {
				t.Errorf("got t50 %v and final adoption %v, want %v and %v", t50.Mean, fin.Mean, tt.t50, tt.fin)
			}
		})
	}
	t.Run("a point's summary is Summarize of its runs", func(t *testing.T) {
		want := Summarize(res.Regions, res.Runs)
		if got := ps[0].Summary; len(got) != len(want) || got[3] != want[3] {
			t.Errorf("got %+v, want %+v", got[3], want[3])
		}
	})
}

func TestWritePointsCSV(t *testing.T) {
	tests := []struct {
		name   string
		paths  []string
		points []sim.Point
		want   string
	}{
		{"two parameters",
			[]string{"regions.acc.pull", "diffusion.q"},
			[]sim.Point{{Index: 0, Values: []float64{0.5, 0.1}}, {Index: 1, Values: []float64{1, 0.30000000000000004}}},
			"point,regions.acc.pull,diffusion.q,replicates\n0,0.5,0.1,4\n1,1,0.30000000000000004,4\n"},
		{"no sweep has one point and no values",
			nil, []sim.Point{{Index: 0}},
			"point,replicates\n0,4\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WritePointsCSV(&buf, tt.paths, tt.points, 4); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
	t.Run("a write error is reported with context", func(t *testing.T) {
		err := WritePointsCSV(failWriter{}, nil, []sim.Point{{}}, 1)
		if got, want := fixture.ErrText(err), "write sweep points: disk full"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("a point with too few values panics", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Error("got no panic, want one")
			}
		}()
		WritePointsCSV(&bytes.Buffer{}, []string{"a", "b"}, []sim.Point{{Values: []float64{1}}}, 1)
	})
}

func TestWriteSweepSummaryCSV(t *testing.T) {
	cfg, ps := sweepFixture("regions.acc.pull", "diffusion.q")
	var got bytes.Buffer
	if err := WriteSweepSummaryCSV(&got, cfg.SweepPaths(), ps); err != nil {
		t.Fatal(err)
	}
	t.Run("each point's rows are the summary CSV's rows led by the point", func(t *testing.T) {
		var plain bytes.Buffer
		if err := WriteSummaryCSV(&plain, ps[1].Summary); err != nil {
			t.Fatal(err)
		}
		lines := bytes.Split(plain.Bytes(), []byte("\n"))
		for _, l := range lines[1 : len(lines)-1] {
			row := append([]byte("1,1,0.2,"), l...)
			if !bytes.Contains(got.Bytes(), append(row, '\n')) {
				t.Fatalf("got no row %q", row)
			}
		}
	})
	t.Run("a point without runs has no rows", func(t *testing.T) {
		if bytes.Contains(got.Bytes(), []byte("\n2,")) {
			t.Error("got rows for point 2, want none")
		}
	})
	t.Run("a write error is reported with context", func(t *testing.T) {
		err := WriteSweepSummaryCSV(failWriter{}, cfg.SweepPaths(), ps)
		if got, want := fixture.ErrText(err), "write sweep summary: disk full"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

func TestWriteSweepSummaryJSON(t *testing.T) {
	cfg, ps := sweepFixture("regions.acc.pull", "diffusion.q")
	var buf bytes.Buffer
	if err := WriteSweepSummaryJSON(&buf, cfg.SweepPaths(), ps); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Paths  []string
		Points []struct {
			Point   int
			Values  map[string]float64
			Runs    int
			Metrics []struct {
				Metric, Region string
				N              int
				Mean           *float64
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Paths) != 2 || got.Paths[0] != "regions.acc.pull" || got.Paths[1] != "diffusion.q" {
		t.Errorf("got paths %q, want [regions.acc.pull diffusion.q]", got.Paths)
	}
	if len(got.Points) != 3 {
		t.Fatalf("got %d points, want 3", len(got.Points))
	}
	p := got.Points[1]
	if p.Point != 1 || p.Runs != 3 || p.Values["regions.acc.pull"] != 1 || p.Values["diffusion.q"] != 0.2 {
		t.Errorf("got point %d, %d runs, values %v; want point 1, 3 runs, values 1 and 0.2", p.Point, p.Runs, p.Values)
	}
	if got, want := len(p.Metrics), len(ps[1].Summary); got != want {
		t.Fatalf("got %d metrics, want %d", got, want)
	}
	for i, m := range p.Metrics {
		st := ps[1].Summary[i]
		if m.Metric != st.Metric || m.Region != st.Region || m.N != st.N {
			t.Errorf("got metric %d = %s/%s n=%d, want %s/%s n=%d", i, m.Metric, m.Region, m.N, st.Metric, st.Region, st.N)
		}
		if (m.Mean == nil) != math.IsNaN(st.Mean) {
			t.Errorf("got mean %v for %s/%s, want %v (NaN as null)", m.Mean, st.Metric, st.Region, st.Mean)
		}
	}
	if got.Points[2].Metrics == nil || len(got.Points[2].Metrics) != 0 {
		t.Errorf("got metrics %v for a point without runs, want []", got.Points[2].Metrics)
	}
}

func TestSweepDiffs(t *testing.T) {
	res := fixture.Result()
	cfg := res.Config
	p1 := fixture.Shifted(res.Runs, 1, 0.5, 2) // the same seeds: paired
	p2 := fixture.Shifted(res.Runs, 2, 1, 1)
	for _, r := range p2 {
		r.Seed += 1000 // other seeds: Welch
	}
	first := Summarize(res.Regions, res.Runs)
	keys := SweepKeys(&cfg, first)
	if len(keys) == 0 || keys[0].Name != sim.MetricT50 {
		t.Fatalf("got keys %v, want the headline figures led by t50", keys)
	}
	var pvs []PointValues
	for i, runs := range [][]*sim.RunResult{res.Runs, p1, p2} {
		pvs = append(pvs, CollectPointValues(res.Regions, sim.Point{Index: i, Values: []float64{float64(i)}}, runs, keys))
	}
	diffs := SweepDiffs(keys, pvs)
	if len(diffs) != 2*len(keys) {
		t.Fatalf("got %d differences, want %d (two points × %d figures)", len(diffs), 2*len(keys), len(keys))
	}
	for _, d := range diffs {
		wantTest := SignedRank // three pairs
		if d.Point.Index == 2 {
			wantTest = WelchT
		}
		if d.Diff.N > 1 && d.Diff.Test != wantTest {
			t.Errorf("point %d %s/%s: got test %q, want %q", d.Point.Index, d.Metric, d.Region, d.Diff.Test, wantTest)
		}
		if d.Diff.PAdj < d.Diff.P {
			t.Errorf("point %d %s/%s: adjusted p %v below raw p %v", d.Point.Index, d.Metric, d.Region, d.Diff.PAdj, d.Diff.P)
		}
		if d.Point.Index == 1 && d.Metric == sim.MetricT50 && d.Region == "acc" && (d.Diff.Mean != 2 || d.Diff.CILow != 2) {
			t.Errorf("point 1 t50/acc: got %v [%v, %v], want exactly 2 (every pair moved by 2)", d.Diff.Mean, d.Diff.CILow, d.Diff.CIHigh)
		}
	}
	var buf bytes.Buffer
	if err := WriteSweepDiffCSV(&buf, []string{"diffusion.q"}, diffs); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if want := "point,diffusion.q,metric,region,test,pairs,diff,diff_ci_low,diff_ci_high,effect_size,effect_measure,p_value,p_adjusted"; lines[0] != want {
		t.Errorf("got header %q, want %q", lines[0], want)
	}
	if len(lines) != 1+len(diffs) {
		t.Errorf("got %d lines, want %d", len(lines), 1+len(diffs))
	}
}

// sweepFixture returns the Config of fixture.Sweep and the summaries of
// its three points.
func sweepFixture(paths ...string) (*sim.Config, []PointSummary) {
	cfg, points, runs := fixture.Sweep(paths...)
	return cfg, SummarizePoints(cfg.RegionIDs(), points, runs)
}
