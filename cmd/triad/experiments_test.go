package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/sim"
)

// TestSweepFromFileOrFlagIsTheSame runs the same grid once from a sweep
// block in the scenario and once from --sweep flags: the files must be
// identical, the tables must carry the point and swept columns, and each
// run's seed must be the one derived from (seed, point, replicate).
func TestSweepFromFileOrFlagIsTheSame(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a sweep twice through the command; make test runs it in the pass without -race")
	}
	dir := t.TempDir()
	base, err := os.ReadFile("testdata/golden/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	withSweep := append(bytes.Clone(base), []byte(`sweep:
  params:
    - {path: regions.acc.pull, values: [1, 4]}
    - {path: diffusion.q, from: 0.2, to: 0.4, step: 0.1}
`)...)
	file := filepath.Join(dir, "swept.yaml")
	if err := os.WriteFile(file, withSweep, 0o644); err != nil {
		t.Fatal(err)
	}
	a, b := filepath.Join(dir, "file"), filepath.Join(dir, "flag")
	runTriad(t, "run", file, "--quiet", "--out", a)
	runTriad(t, "run", "testdata/golden/small.yaml", "--quiet", "--out", b,
		"--sweep", "regions.acc.pull=1,4", "--sweep", "diffusion.q=0.2:0.4:0.1")
	// Run files record the hash of the scenario, which differs in how
	// the grid is written (values or from/to/step): their runs are
	// compared through the tables.
	for _, d := range []string{a, b} {
		if err := os.RemoveAll(filepath.Join(d, runs.RunsDir)); err != nil {
			t.Fatal(err)
		}
	}
	sameFiles(t, a, b)

	rows := readCSV(t, filepath.Join(a, "points.csv"))
	want := [][]string{
		{"point", "regions.acc.pull", "diffusion.q", "replicates"},
		{"0", "1", "0.2", "3"}, {"1", "1", "0.3", "3"}, {"2", "1", "0.4", "3"},
		{"3", "4", "0.2", "3"}, {"4", "4", "0.3", "3"}, {"5", "4", "0.4", "3"},
	}
	if len(rows) != len(want) {
		t.Fatalf("points.csv has %d rows, want %d", len(rows), len(want))
	}
	for i := range want {
		for j := range want[i] {
			if rows[i][j] != want[i][j] {
				t.Errorf("points.csv row %d: got %v, want %v", i, rows[i], want[i])
				break
			}
		}
	}
	ts := readCSV(t, filepath.Join(a, "timeseries.csv"))
	if h := ts[0][:4]; h[0] != "point" || h[1] != "regions.acc.pull" || h[2] != "diffusion.q" || h[3] != "replicate" {
		t.Errorf("timeseries header starts %v, want point, the swept paths, replicate", h)
	}
	runs := readCSV(t, filepath.Join(a, "runs.csv"))
	for _, r := range runs[1:] {
		point, _ := strconv.Atoi(r[0])
		rep, _ := strconv.Atoi(r[3])
		if seed := strconv.FormatUint(sim.RunSeed(42, 0, rep), 10); r[4] != seed { // common random numbers
			t.Fatalf("runs.csv: point %d replicate %d has seed %s, want replicate %d's seed %s", point, rep, r[4], rep, seed)
		}
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// compareP reads the adjusted p-value of one figure and region for the
// second set from compare.json.
func compareP(t *testing.T, dir, metric, region string) float64 {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "compare.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Metrics []struct {
			Metric string `json:"metric"`
			Region string `json:"region"`
			Sets   []struct {
				Diff *struct {
					P *float64 `json:"p_adjusted"`
				} `json:"diff"`
			} `json:"sets"`
		} `json:"metrics"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	for _, r := range c.Metrics {
		if r.Metric == metric && r.Region == region {
			for _, s := range r.Sets {
				if s.Diff != nil && s.Diff.P != nil {
					return *s.Diff.P
				}
			}
		}
	}
	t.Fatalf("compare.json has no p-value for %s %s:\n%s", metric, region, b)
	return 0
}

// TestCompareSeesTheConnector compares no-connector with three-hubs (paired
// runs, 100 replications): each periphery region's later t50 must be
// significant, adjusted p < 0.01. (West's effect, about 1.2 months, needs
// that many: with 20 replications its interval still straddles zero.)
// Comparing three-hubs with itself on other seeds (Welch) must not show
// anything: on each of three seeds, no figure may have an adjusted p below
// 0.01. Benjamini–Hochberg holds the chance of any adjusted p below 0.01
// under no difference at all at 1 % per comparison, so this fails by
// chance with probability at most 3 % over the three seeds (and the seeds
// are fixed: it cannot flip between runs).
func TestCompareSeesTheConnector(t *testing.T) {
	if testing.Short() {
		t.Skip("runs five scenarios of 100 replications; make test runs it without -race")
	}
	dir := t.TempDir()
	cut := filepath.Join(dir, "cut")
	hubs := filepath.Join(dir, "hubs")
	runTriad(t, "run", "three-hubs", "--quiet", "--replications", "100", "--no-plots", "--out", hubs)
	runTriad(t, "compare", hubs, "no-connector", "--quiet", "--out", cut)
	for _, r := range []string{"central", "west"} {
		if p := compareP(t, cut, "t50", r); !(p < 0.01) {
			t.Errorf("no-connector vs three-hubs, %s t50: adjusted p = %v, want < 0.01", r, p)
		}
	}
	for _, seed := range []string{"7", "8", "9"} {
		same := filepath.Join(dir, "same-"+seed)
		runTriad(t, "compare", hubs, "three-hubs", "--seed", seed, "--quiet", "--out", same)
		b, err := os.ReadFile(filepath.Join(same, "compare.csv"))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows[1:] {
			if row[7] == "" { // the first set's rows
				continue
			}
			if row[7] != "Welch t" {
				t.Errorf("seed %s: %s %s tested by %q, want Welch's test (other seeds do not pair)", seed, row[0], row[1], row[7])
			}
			if p, _ := strconv.ParseFloat(row[17], 64); p < 0.01 {
				t.Errorf("three-hubs vs itself on seed %s, %s %s: adjusted p = %v, want no difference", seed, row[0], row[1], p)
			}
		}
	}
}
