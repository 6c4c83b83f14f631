package runs

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// TestAssembledMade checks the files the terminal points at after a run:
// those the folder of each kind of run holds.
func TestAssembledMade(t *testing.T) {
	lo, hi := 0.2, 0.5
	figuresOnly := sim.Sensitivity{Samples: 2, Params: []sim.SensitivityParam{{Path: "diffusion.q", Low: &lo, High: &hi}}}
	whole := figuresOnly
	whole.Timeseries = true
	dir := filepath.Join("out", "x")
	in := func(names ...string) []string {
		for i, n := range names {
			names[i] = filepath.Join(dir, n)
		}
		return names
	}
	tests := []struct {
		name   string
		a      Assembled
		sweep  *sim.Sweep
		tables []string
		plots  string
	}{
		{"a run", Assembled{Single: &sim.Result{}}, nil, in("timeseries.csv", "summary.csv"), "adoption.png"},
		{"a sweep", Assembled{Points: []output.PointSummary{{}}}, &sim.Sweep{Design: sim.DesignGrid}, in("points.csv", "summary.csv", "timeseries.csv"), "sweep-*.png"},
		{"a sensitivity design", Assembled{Sensitivity: &output.SensitivityResult{}}, figuresOnly.Sweep(), in("points.csv", "figures.csv", "sensitivity.csv"), "sensitivity-*.png"},
		{"a sensitivity design with its time series", Assembled{Sensitivity: &output.SensitivityResult{}}, whole.Sweep(), in("points.csv", "summary.csv", "timeseries.csv"), "sweep-*.png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &sim.Config{Name: "x", Sweep: tt.sweep}
			m := tt.a.Made(dir, cfg, 2.5)
			if !slices.Equal(m.Tables, tt.tables) || m.Plots != filepath.Join(dir, PlotsDir, tt.plots) || m.Report != filepath.Join(dir, ReportName) {
				t.Errorf("files %q, %q, %q; want %q, %q, %q", m.Tables, m.Plots, m.Report, tt.tables, filepath.Join(dir, PlotsDir, tt.plots), filepath.Join(dir, ReportName))
			}
			if m.Config != cfg || m.Folder != dir+string(filepath.Separator) || m.Wall != 2.5 || m.Single != tt.a.Single || len(m.Points) != len(tt.a.Points) || m.Sensitivity != (tt.a.Sensitivity != nil) {
				t.Errorf("got %+v, want the run's config, folder, time and figures", m)
			}
		})
	}
}

// TestMadeNamesFilesTheFolderHolds runs the toy as a run, a sweep and a
// sensitivity design, with charts, and checks that every file Made points
// at is in the folder, and that the pattern of the charts matches some.
func TestMadeNamesFilesTheFolderHolds(t *testing.T) {
	lo, hi := 0.2, 0.5
	sens := sim.Sensitivity{Samples: 2, Metrics: []string{sim.MetricFinalAdoption}, Params: []sim.SensitivityParam{{Path: "diffusion.q", Low: &lo, High: &hi}}}
	for _, c := range []struct {
		name  string
		sweep func(*sim.Sweep) *sim.Sweep
	}{
		{"a run", func(*sim.Sweep) *sim.Sweep { return nil }},
		{"a sweep", func(grid *sim.Sweep) *sim.Sweep { return grid }},
		{"a sensitivity design", func(*sim.Sweep) *sim.Sweep { return sens.Sweep() }},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := toy(t)
			cfg.Sweep, cfg.Replicates = c.sweep(cfg.Sweep), 2
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "out")
			man := startFolder(t, dir, cfg, nil)
			man.NoPlots = false
			a, _, err := runAndFinish(context.Background(), dir, man, 2, Progress{}, fixed)
			if err != nil {
				t.Fatal(err)
			}
			m := a.Made(dir, &cfg, 1)
			for _, f := range append(m.Tables, m.Report) {
				if !IsFile(f) {
					t.Errorf("%s is not in the folder", f)
				}
			}
			if charts, err := filepath.Glob(m.Plots); err != nil || len(charts) == 0 {
				t.Errorf("no chart is %s (%v)", m.Plots, err)
			}
		})
	}
}
