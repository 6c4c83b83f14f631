package fit

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
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

// smallSpec is a fit of two parameters of the small scenario of
// testdata to two of its figures, small enough to run in a test.
func smallSpec(t *testing.T, particles, generations int) *Spec {
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
		Particles: particles, Generations: generations, Quantile: 0.5, Seeds: SeedsFresh, Workers: 2,
		Command: []string{"fit", "small.yaml"}, Date: "2026-01-02", Version: "test", Schema: 1}
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
			want = append(want, runs.PlotsDir+"/"+runs.FitChartName(j+1)+"."+ext)
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
