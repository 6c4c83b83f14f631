package runs

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/triad-sim/triad/output/chart"
	"github.com/triad-sim/triad/sim"
)

// TestSensitivityFolderAndItsRebuiltReport runs a small Morris analysis
// of the toy with its charts, checks that Assemble wrote the analysis, its
// charts and its report section, and that the report rebuilt from the
// folder's files (sensitivity.json read back) is the one written from
// memory, byte for byte.
func TestSensitivityFolderAndItsRebuiltReport(t *testing.T) {
	cfg := toy(t)
	lo, hi := 0.2, 0.5
	s := sim.Sensitivity{Samples: 2, Metrics: []string{sim.MetricFinalAdoption}, Params: []sim.SensitivityParam{{Path: "diffusion.q", Low: &lo, High: &hi}}}
	cfg.Sweep, cfg.Replicates = s.Sweep(), 2
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	man := startFolder(t, dir, cfg, nil)
	man.NoPlots = false
	if err := runMissing(context.Background(), dir, man, 2, Progress{}); err != nil {
		t.Fatal(err)
	}
	a, _, err := runAndFinish(context.Background(), dir, man, 2, Progress{}, fixed)
	if err != nil {
		t.Fatal(err)
	}
	if a.Sensitivity == nil || a.Sensitivity.Method != sim.DesignMorris || len(a.Sensitivity.Rows) == 0 {
		t.Fatalf("got analysis %+v, want the Morris indices", a.Sensitivity)
	}
	svg := filepath.ToSlash(filepath.Join(PlotsDir, chart.SensitivityName(sim.MetricFinalAdoption, "a")+".svg"))
	for _, f := range []string{SensitivityName, SensitivityCSVName, svg} {
		if _, ok := a.Files[f]; !ok {
			t.Errorf("the manifest lacks %s", f)
		}
	}
	written, err := os.ReadFile(filepath.Join(dir, ReportName))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<section id="sensitivity"`, `<figure id="plot-sensitivity-final-adoption-a">`, "<strong>What moves final adoption of a</strong>"} {
		if !bytes.Contains(written, []byte(want)) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if err := rebuildReport(context.Background(), dir, "other"); err != nil {
		t.Fatal(err)
	}
	rebuilt, err := os.ReadFile(filepath.Join(dir, ReportName))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(rebuilt, written) {
		t.Error("the report rebuilt from the folder differs from the one written from memory")
	}
}

// TestSensitivityFolderKeepsWhatItReads checks what a sensitivity folder
// keeps: by default the per-run figures (figures.csv, and run files
// reduced to the figures, one row per region and no innovation log) and
// no time series, innovation log or per-point summaries; with Timeseries,
// every run whole and every table. Either way the indices are the same:
// they read nothing but the figures.
func TestSensitivityFolderKeepsWhatItReads(t *testing.T) {
	indices := map[bool][]byte{}
	for _, series := range []bool{false, true} {
		cfg := toy(t)
		lo, hi := 0.2, 0.5
		s := sim.Sensitivity{Method: sim.DesignSobol, Samples: 3, Timeseries: series, Params: []sim.SensitivityParam{{Path: "diffusion.q", Low: &lo, High: &hi}}}
		cfg.Sweep, cfg.Replicates = s.Sweep(), 2
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(t.TempDir(), "out")
		man := Manifest{Program: Program{Version: "test"}, Scenario: cfg, Seed: cfg.Seed, Replicates: cfg.Replicates, NoPlots: true}
		f, err := Create(dir, man, false, Owner{Holder: Holder{Command: "test"}})
		if err != nil {
			t.Fatal(err)
		}
		a, err := f.Run(context.Background(), RunOptions{Workers: 2, Timing: fixed})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"timeseries.csv", "innovations.csv", "runs.csv", "summary.csv", "summary.json", FiguresName} {
			_, has := a.Files[f]
			if want := series != (f == FiguresName); has != want {
				t.Errorf("timeseries %v: %s written %v, want %v", series, f, has, want)
			}
		}
		run, err := NewStore(dir, &cfg).Load(sim.Task{Point: 1, Replicate: 1})
		if err != nil {
			t.Fatal(err)
		}
		if rows := len(run.Rows); (rows == len(cfg.Regions)) == series || (run.Innovations == nil) == series {
			t.Errorf("timeseries %v: the run file has %d rows and %d innovations", series, rows, len(run.Innovations))
		}
		if indices[series], err = os.ReadFile(filepath.Join(dir, SensitivityCSVName)); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(indices[false], indices[true]) {
		t.Errorf("the indices differ with and without the time series:\n%s\n%s", indices[false], indices[true])
	}
}
