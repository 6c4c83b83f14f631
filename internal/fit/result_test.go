package fit

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/triad-sim/triad/internal/calibrate"
	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// TestTheFolderListIsTheWritersList checks that the files a fit writes at
// the top of its folder are those runs.FitOutputNames lists (which tells
// triad's files from others when a folder is replaced): a writer for every
// name but fit.json and the state file, and no writer of a name it does
// not list.
func TestTheFolderListIsTheWritersList(t *testing.T) {
	var r Result
	var want []string
	for _, name := range runs.FitOutputNames {
		if name != runs.FitName && name != runs.FitStateName {
			want = append(want, name)
		}
	}
	var got []string
	for name := range r.writers() {
		got = append(got, name)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("the fit writes %v, runs.FitOutputNames lists %v", got, want)
	}
	if !slices.Contains(runs.FitOutputNames, runs.FitName) || !slices.Contains(runs.FitOutputNames, runs.FitStateName) {
		t.Errorf("runs.FitOutputNames %v lacks %s or %s", runs.FitOutputNames, runs.FitName, runs.FitStateName)
	}
}

// smallScenario is the small scenario of testdata, its source and its
// configuration with one replication, as the tests fit it.
func smallScenario(t *testing.T) ([]byte, sim.Config) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "small.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := scenarios.Load("small.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Replicates = 1
	return src, cfg
}

// smallSpec is a fit of two parameters of the small scenario of
// testdata to two of its figures, small enough to run in a test.
func smallSpec(t *testing.T, particles, generations int) *Spec {
	t.Helper()
	src, cfg := smallScenario(t)
	tsrc := []byte("targets:\n  - metric: commercialized_share\n    region: south\n    value: 0.4\n    uncertainty: 0.1\n    source: a test\n" +
		"  - metric: commercialization_rate\n    value: 0.3\n    uncertainty: 0.1\n    source: a test\n")
	tg, err := scenarios.LoadTargets("targets.yaml", tsrc, &cfg)
	if err != nil {
		t.Fatal(err)
	}
	lo1, hi1, lo2, hi2 := 0.2, 5.0, 0.02, 0.3
	ps, err := Params(&cfg, []scenarios.FitParam{{Path: "regions.south.pull", Low: &lo1, High: &hi1}, {Path: "cities.alpha.transform", Low: &lo2, High: &hi2}})
	if err != nil {
		t.Fatal(err)
	}
	return &Spec{Scenario: "small.yaml", Src: src, Config: cfg, TargetsFile: "targets.yaml", TargetsSrc: tsrc, Targets: tg.Targets, Params: ps,
		Settings: Settings{Particles: particles, Generations: generations, Quantile: 0.5, Seeds: SeedsFresh, Workers: 2},
		Command:  []string{"fit", "small.yaml"}, Date: "2026-01-02", Version: "test", Schema: 1}
}

// TestRunWritesTheListedFiles runs a small fit and checks that its folder
// holds exactly the files of runs.FitOutputNames (but the state file,
// removed at the end) and a posterior chart per parameter.
func TestRunWritesTheListedFiles(t *testing.T) {
	dir := t.TempDir()
	s := smallSpec(t, 6, 2)
	if _, err := Run(context.Background(), s, dir, nil, nil); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, name := range runs.FitOutputNames {
		if name != runs.FitStateName {
			want = append(want, name)
		}
	}
	for j := range s.Params {
		for _, ext := range []string{"png", "svg"} {
			want = append(want, runs.PlotsDir+"/"+runs.FitChartName(s.Params[j].Label)+"."+ext)
		}
	}
	var got []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		got = append(got, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("the fit's folder holds\n%v\nwant\n%v", got, want)
	}
}

// TestCheck checks the posterior predictive check on posteriors whose
// predictive distribution is known: one particle, whose predictive is the
// normal of the target's uncertainty around its figure (the band is its
// 2.5 % and 97.5 % quantiles, ±1.96 sd, to the resolution of the 64
// quantiles that stand for it: within ±2 sd and outside ±1.9 sd), and two
// particles of unequal weights far apart, whose predictive p between them
// is the first one's weight; an observed value 10 sd from the one
// particle's figure is outside.
func TestCheck(t *testing.T) {
	obs, sd := 10.0, 2.0
	spec := &Spec{Targets: []scenarios.Target{{Metric: "m", Value: &obs, Uncertainty: &sd}}}
	one := &Result{Spec: spec, res: &calibrate.Result{Particles: []calibrate.Particle{{Weight: 1, Figures: []float64{10}}}}}
	c := one.Check(0)
	if !(c.Lo >= 10-2*sd && c.Lo <= 10-1.9*sd && c.Hi <= 10+2*sd && c.Hi >= 10+1.9*sd) || c.P != 0.5 || !c.Inside {
		t.Errorf("one particle at the observed value: band [%g, %g], p %g, inside %v; want about [6.08, 13.92], 0.5, true", c.Lo, c.Hi, c.P, c.Inside)
	}
	two := &Result{Spec: spec, res: &calibrate.Result{Particles: []calibrate.Particle{{Weight: 0.3, Figures: []float64{-100}}, {Weight: 0.7, Figures: []float64{100}}}}}
	c = two.Check(0)
	if math.Abs(c.P-0.3) > 1e-12 || !c.Inside || c.Lo > -100 || c.Hi < 100 {
		t.Errorf("two particles far on either side: band [%g, %g], p %g, inside %v; want p 0.3 and a band over both", c.Lo, c.Hi, c.P, c.Inside)
	}
	off := 30.0
	spec.Targets[0].Value = &off
	if c := one.Check(0); c.Inside || c.P != 1 {
		t.Errorf("an observed value 10 sd off: inside %v, p %g; want outside, p 1", c.Inside, c.P)
	}
}
