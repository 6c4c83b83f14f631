package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/runs"
)

// sensitivityArgs is a small sensitivity analysis of the shard-sweep
// scenario: 2 parameters, 3 Morris trajectories (9 points) or 4 Sobol
// rows (16 points), 2 replications each.
func sensitivityArgs(method, out string, extra ...string) []string {
	samples := "3"
	if method == "sobol" {
		samples = "4"
	}
	return append([]string{"sensitivity", shardScenario, "--quiet", "--method", method, "--samples", samples,
		"--replications", "2", "--param", "regions.north.p=0.005:0.02", "--param", "diffusion.q=0.1:0.5",
		"--metric", "final_adoption", "--metric", "t50", "--out", out}, extra...)
}

// TestSensitivityDeterministic checks that a sensitivity folder is the
// same, byte for byte, with 1 or 2 workers and run in one process or in 2
// shards merged, for both methods and a radial Morris design.
func TestSensitivityDeterministic(t *testing.T) {
	for _, tt := range []struct {
		name, method string
		radial       bool
	}{{"morris", "morris", false}, {"radial morris", "morris", true}, {"sobol", "sobol", false}} {
		args := func(out string, more ...string) []string {
			if tt.radial {
				more = append(more, "--radial")
			}
			return sensitivityArgs(tt.method, out, more...)
		}
		t.Run(tt.name, func(t *testing.T) {
			if tt.radial && testing.Short() {
				t.Skip("the race pass of make test runs the other two designs; the pass without -short runs this one")
			}
			t.Parallel()
			one := filepath.Join(t.TempDir(), "one")
			mustCLI(t, 0, args(one, "--workers", "1")...)
			for _, f := range []string{"sensitivity.csv", "sensitivity.json", "plots/sensitivity-final_adoption-north.png"} {
				if _, err := os.Stat(filepath.Join(one, f)); err != nil {
					t.Errorf("the folder lacks %s: %v", f, err)
				}
			}
			// The report rebuilt from the folder's files is the one the
			// run wrote from memory.
			written, err := os.ReadFile(filepath.Join(one, runs.ReportName))
			if err != nil {
				t.Fatal(err)
			}
			mustCLI(t, 0, "report", one)
			if rebuilt, err := os.ReadFile(filepath.Join(one, runs.ReportName)); err != nil || !bytes.Equal(rebuilt, written) {
				t.Errorf("triad report rebuilt a different report.html (%v)", err)
			}
			if !bytes.Contains(written, []byte(`<section id="sensitivity"`)) || !bytes.Contains(written, []byte(`id="plot-sensitivity-final-adoption-north"`)) {
				t.Error("report.html lacks the sensitivity section or its chart")
			}
			two := filepath.Join(t.TempDir(), "two")
			mustCLI(t, 0, args(two, "--workers", "2")...)
			sameOutputs(t, two, one)

			sharded := filepath.Join(t.TempDir(), "sharded")
			for i := range 2 {
				mustCLI(t, 0, args(sharded, "--shard", shardSpec(i, 2), "--workers", "2")...)
			}
			mustCLI(t, 0, "merge", sharded)
			sameOutputs(t, sharded, one)
		})
	}
}

// TestSensitivityResume checks that a sensitivity run stopped half way
// and finished with run --resume writes the same folder as one that was
// not stopped.
func TestSensitivityResume(t *testing.T) {
	if testing.Short() {
		t.Skip("runs three sensitivity analyses; make test runs it in the pass without -race")
	}
	t.Parallel()
	whole := filepath.Join(t.TempDir(), "whole")
	mustCLI(t, 0, sensitivityArgs("morris", whole)...)
	stopped := filepath.Join(t.TempDir(), "stopped")
	mustCLI(t, 0, sensitivityArgs("morris", stopped)...)
	// Make it a stopped run: drop half its runs and the assembled files.
	saved, err := os.ReadDir(filepath.Join(stopped, runs.RunsDir))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range saved[:len(saved)/2] {
		os.Remove(filepath.Join(stopped, runs.RunsDir, r.Name()))
	}
	os.Remove(filepath.Join(stopped, "sensitivity.csv"))
	man, err := runs.ReadManifest(stopped)
	if err != nil {
		t.Fatal(err)
	}
	man.Complete, man.Files = false, nil
	if err := runs.SaveManifest(stopped, man); err != nil {
		t.Fatal(err)
	}
	mustCLI(t, 0, "run", "--resume", stopped, "--quiet")
	sameOutputs(t, stopped, whole)
}

func TestSensitivityUsage(t *testing.T) {
	out := func(t *testing.T) string { return filepath.Join(t.TempDir(), "out") }
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no parameters", []string{"sensitivity", shardScenario}, "no sensitivity block"},
		{"a parameter without a range", []string{"sensitivity", shardScenario, "--param", "diffusion.q=0.3"}, "want PATH=LOW:HIGH"},
		{"a range that is not a number", []string{"sensitivity", shardScenario, "--param", "diffusion.q=a:0.3"}, `"a" is not a finite number`},
		{"a reversed range", []string{"sensitivity", shardScenario, "--param", "diffusion.q=0.5:0.1"}, "LOW must be below HIGH"},
		{"an unknown method", []string{"sensitivity", shardScenario, "--method", "fast", "--param", "diffusion.q=0.1:0.5"}, "want morris or sobol"},
		{"levels for sobol", []string{"sensitivity", shardScenario, "--method", "sobol", "--levels", "4", "--param", "diffusion.q=0.1:0.5"}, "--levels and --radial apply only"},
		{"one sample", []string{"sensitivity", shardScenario, "--samples", "1", "--param", "diffusion.q=0.1:0.5"}, "at least 2"},
		{"an unknown metric", []string{"sensitivity", shardScenario, "--metric", "speed", "--param", "diffusion.q=0.1:0.5"}, `"speed" is not a per-run figure`},
		{"no scenario", []string{"sensitivity", "--param", "diffusion.q=0.1:0.5"}, "takes one scenario"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr := mustCLI(t, exitUsage, append(tt.args, "--out", out(t))...)
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr:\n%s\nwant it to say %q", stderr, tt.want)
			}
		})
	}
}

// TestSensitivityBlock runs the sensitivity block of a scenario file.
func TestSensitivityBlock(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile(shardScenario)
	if err != nil {
		t.Fatal(err)
	}
	before, _, _ := strings.Cut(string(src), "\nsweep:")
	file := filepath.Join(t.TempDir(), "block.yaml")
	block := "\nsensitivity:\n  method: sobol\n  samples: 3\n  metrics: [final_adoption]\n  params:\n    - path: diffusion.q\n      low: 0.1\n      high: 0.5\n"
	if err := os.WriteFile(file, []byte(before+block), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	stdout, _ := mustCLI(t, 0, "sensitivity", file, "--replications", "2", "--out", dir, "--no-plots")
	if !strings.Contains(stdout, "What drives each figure (sobol, 3 base rows") || !strings.Contains(stdout, "final adoption of north: driven by diffusion.q") {
		t.Errorf("stdout:\n%s\nwant the drivers of final_adoption from a Sobol analysis", stdout)
	}
	src, err = os.ReadFile(filepath.Join(dir, "sensitivity.json"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := output.ReadSensitivityJSON(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != "sobol" || r.Samples != 3 || len(r.Params) != 1 || r.Params[0].Path != "diffusion.q" {
		t.Errorf("got %s with %d samples over %v, want sobol, 3, diffusion.q", r.Method, r.Samples, r.Params)
	}
	// run ignores the block: one point, no sensitivity files.
	plain := filepath.Join(t.TempDir(), "plain")
	mustCLI(t, 0, "run", file, "--quiet", "--replications", "2", "--out", plain, "--no-plots")
	if _, err := os.Stat(filepath.Join(plain, "sensitivity.csv")); err == nil {
		t.Error("triad run wrote sensitivity.csv for a scenario with a sensitivity block")
	}
}

// threeHubsMorris are the 13 parameters of the reduced Morris screening
// of three-hubs below: every region's p and reach, the connector's
// couplings to the periphery, GBA's pull and Shenzhen's transform, q, and
// the friction of the hub links (docs/TUTORIAL.md runs the full set).
var threeHubsMorris = []string{
	"regions.bth.p=0.0004:0.0016", "regions.gba.p=0.0006:0.0024", "regions.yrd.p=0.0005:0.002",
	"regions.central.p=0.0001:0.0004", "regions.west.p=0.000075:0.0003",
	"regions.bth.reach=0.05:0.3", "regions.gba.reach=0.05:0.3", "regions.yrd.reach=0.25:0.75",
	"regions.central.reach=0.05:0.2", "regions.west.reach=0.05:0.2",
	"links.yrd->central.coupling=1:3", "links.yrd->west.coupling=0.8:2.4",
	"regions.gba.pull=1:2.8", "cities.shenzhen.transform=0.018:0.054",
	"diffusion.q=0.15:0.35",
	"links.bth-gba.friction=0.15:0.45", "links.bth-yrd.friction=0.1:0.3", "links.gba-yrd.friction=0.1:0.3",
}

// TestSensitivityThreeHubsPeriphery screens 18 parameters of three-hubs
// with a small Morris design (4 trajectories, 1 replicate: 76 runs) and
// checks that it names the drivers of the periphery's t50: the
// imitation weight q leads for both periphery regions, its μ* interval
// clear of every parameter outside the drivers, and the report says so
// in words.
func TestSensitivityThreeHubsPeriphery(t *testing.T) {
	if testing.Short() {
		t.Skip("76 runs of three-hubs")
	}
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "out")
	args := []string{"sensitivity", "three-hubs", "--samples", "4", "--replications", "1", "--metric", "t50", "--out", dir, "--no-plots", "--workers", "2"}
	for _, p := range threeHubsMorris {
		args = append(args, "--param", p)
	}
	stdout, _ := mustCLI(t, 0, args...)
	src, err := os.ReadFile(filepath.Join(dir, "sensitivity.json"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := output.ReadSensitivityJSON(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, region := range []string{"central", "west"} {
		i := slices.IndexFunc(r.Drivers(), func(f output.FigureDrivers) bool { return f.Metric == "t50" && f.Region == region })
		if i < 0 {
			t.Fatalf("no ranking of t50 of %s", region)
		}
		f := r.Drivers()[i]
		if f.Drivers < 1 || f.Ranked[0].Param != "diffusion.q" {
			t.Errorf("t50 of %s: drivers %v (%d), want diffusion.q first", region, f.Ranked, f.Drivers)
			continue
		}
		if last := f.Ranked[f.Drivers]; !(f.Ranked[0].CILow > last.CIHigh) {
			t.Errorf("t50 of %s: q's μ* interval [%v, %v] is not clear of %s's [%v, %v]", region, f.Ranked[0].CILow, f.Ranked[0].CIHigh, last.Param, last.CILow, last.CIHigh)
		}
		if !strings.Contains(stdout, "t50 of "+map[string]string{"central": "Central China (central)", "west": "Western China (west)"}[region]+": driven by diffusion.q") {
			t.Errorf("stdout does not name q as the driver of t50 of %s:\n%s", region, stdout)
		}
	}
}
