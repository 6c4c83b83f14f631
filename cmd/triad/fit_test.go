package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/internal/fit"
	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
)

// smallScenario is the scenario of the fit tests.
var smallScenario = filepath.Join("testdata", "fit", "small.yaml")

// fixFitClock makes the fitted scenario's date that of the tests.
func fixFitClock(t *testing.T) {
	t.Helper()
	old := fitClock
	fitClock = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	t.Cleanup(func() { fitClock = old })
}

// fitJSON is what the tests read of fit.json.
type fitJSON struct {
	Command []string `json:"command"`
	Params  []struct {
		Parameter string    `json:"parameter"`
		Mean      float64   `json:"mean"`
		SD        float64   `json:"sd"`
		CI        []float64 `json:"ci95"`
		Fitted    float64   `json:"fitted"`
		PriorLow  float64   `json:"prior_low"`
		PriorHigh float64   `json:"prior_high"`
	} `json:"parameters"`
	Targets []struct {
		Target   string  `json:"target"`
		Observed float64 `json:"observed"`
		Mean     float64 `json:"fitted_mean"`
		Z        float64 `json:"z"`
	} `json:"targets"`
}

func readFitJSON(t *testing.T, dir string) fitJSON {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "fit.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f fitJSON
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// runFitCmd runs triad fit in-process and fails the test unless it exits
// with want.
func runFitCmd(t *testing.T, want int, args ...string) (stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), append([]string{"fit"}, args...), &out, &errb); code != want {
		t.Fatalf("triad fit %s: exit %d, want %d\nstderr: %s", strings.Join(args, " "), code, want, errb.String())
	}
	return out.String(), errb.String()
}

// writeTargets writes a targets file of the model's own figures at truth,
// computed as the fit computes a particle's: the same replications on the
// same seeds.
func writeTargets(t *testing.T, dir string, seed uint64, truth map[string]float64, targets []string, sds ...float64) string {
	t.Helper()
	_, _, cfg, err := loadScenario(smallScenario, false)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Seed = seed
	var ps []fit.Param
	var theta []float64
	for _, path := range []string{"regions.south.pull", "cities.alpha.transform"} {
		ps = append(ps, fit.Param{Label: path, Paths: []string{path}, Lo: 0, Hi: 1})
		theta = append(theta, truth[path])
	}
	var src strings.Builder
	src.WriteString("targets:\n")
	var tgs []scenarios.Target
	for _, name := range targets {
		metric, region, _ := strings.Cut(name, "@")
		one := 1.0
		tgs = append(tgs, scenarios.Target{Metric: metric, Region: region, Value: &one, Uncertainty: &one})
	}
	spec := fit.Spec{Config: cfg, Params: ps, Targets: tgs, Settings: fit.Settings{Seeds: fit.SeedsCommon}}
	figs, err := spec.Simulate(context.Background(), theta, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, tg := range tgs {
		fmt.Fprintf(&src, "  - metric: %s\n", tg.Metric)
		if tg.Region != "" {
			fmt.Fprintf(&src, "    region: %s\n", tg.Region)
		}
		fmt.Fprintf(&src, "    value: %v\n    uncertainty: %v\n    source: the model itself at known values\n", figs[i], sds[i])
	}
	path := filepath.Join(dir, "targets.yaml")
	if err := os.WriteFile(path, []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestFitRecoversKnownParameters fits two parameters of a small scenario
// to the model's own figures at known values. The targets are the figures
// on the fit's own replicate seeds, so under the fit's error model the
// truth is the centre of the posterior: a 95 % interval misses it only
// through the Monte Carlo error of the ABC, and the test runs it on two
// seeds. The posterior must also have learnt: its sd below half the
// prior's.
func TestFitRecoversKnownParameters(t *testing.T) {
	if testing.Short() {
		t.Skip("fits a scenario twice: about 25 s")
	}
	fixFitClock(t)
	truth := map[string]float64{"regions.south.pull": 1.5, "cities.alpha.transform": 0.1}
	for _, seed := range []uint64{7, 8} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			dir := t.TempDir()
			targets := writeTargets(t, dir, seed, truth, []string{"commercialized_share@south", "commercialization_rate", "commercialized@north"}, 0.01, 0.01, 1)
			out := filepath.Join(dir, "out")
			runFitCmd(t, 0, smallScenario, "--targets", targets, "--seed", fmt.Sprint(seed),
				"--param", "regions.south.pull=0.2:5", "--param", "cities.alpha.transform=0.02:0.3",
				"--particles", "100", "--generations", "6", "--replications", "4", "--seeds", "common", "--workers", "2", "--out", out, "--quiet")
			f := readFitJSON(t, out)
			for _, p := range f.Params {
				want := truth[p.Parameter]
				t.Logf("%s: true %v, posterior %.4g ± %.2g [%.4g, %.4g]", p.Parameter, want, p.Mean, p.SD, p.CI[0], p.CI[1])
				if want < p.CI[0] || want > p.CI[1] {
					t.Errorf("%s: true value %v outside the 95 %% interval [%.4g, %.4g] (mean %.4g)", p.Parameter, want, p.CI[0], p.CI[1], p.Mean)
				}
				priorSD := (p.PriorHigh - p.PriorLow) / math.Sqrt(12)
				if p.SD > priorSD/2 {
					t.Errorf("%s: posterior sd %.3g, want below half the prior's %.3g", p.Parameter, p.SD, priorSD)
				}
			}
			for _, tg := range f.Targets {
				if math.Abs(tg.Z) > 2 {
					t.Errorf("%s: fitted mean %.4g against %.4g, z %.2f", tg.Target, tg.Mean, tg.Observed, tg.Z)
				}
			}
		})
	}
}

// TestFitIsTheSameForAnyNumberOfWorkers: every file but the command line
// in fit.json is byte-identical with 1 and 2 workers.
func TestFitIsTheSameForAnyNumberOfWorkers(t *testing.T) {
	fixFitClock(t)
	dir := t.TempDir()
	targets := writeTargets(t, dir, 7, map[string]float64{"regions.south.pull": 1, "cities.alpha.transform": 0.1}, []string{"commercialized_share@south"}, 0.05)
	var outs []string
	for _, w := range []string{"1", "2"} {
		out := filepath.Join(dir, "out"+w)
		runFitCmd(t, 0, smallScenario, "--targets", targets, "--param", "regions.south.pull=0.2:5",
			"--particles", "12", "--generations", "2", "--replications", "2", "--workers", w, "--out", out, "--quiet")
		outs = append(outs, out)
	}
	for _, name := range []string{"fit.csv", "targets.csv", "posterior.csv", "generations.csv", "scenario.yaml", "report.html", "plots/posterior-regions.south.pull.svg"} {
		a, errA := os.ReadFile(filepath.Join(outs[0], name))
		b, errB := os.ReadFile(filepath.Join(outs[1], name))
		if errA != nil || errB != nil {
			t.Fatalf("%s: %v, %v", name, errA, errB)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between 1 and 2 workers", name)
		}
	}
	a, b := readFitJSON(t, outs[0]), readFitJSON(t, outs[1])
	a.Command, b.Command = nil, nil
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("fit.json differs between 1 and 2 workers beyond the command:\n%v\n%v", a, b)
	}
}

func TestFitWritesTheFittedScenario(t *testing.T) {
	fixFitClock(t)
	dir := t.TempDir()
	targets := writeTargets(t, dir, 7, map[string]float64{"regions.south.pull": 1, "cities.alpha.transform": 0.1}, []string{"commercialized_share@south"}, 0.05)
	out := filepath.Join(dir, "out")
	stdout, _ := runFitCmd(t, 0, smallScenario, "--targets", targets, "--param", "regions.south.pull=0.2:5",
		"--particles", "12", "--generations", "2", "--replications", "2", "--out", out)
	if !strings.Contains(stdout, "regions.south.pull") || !strings.Contains(stdout, "commercialized_share@south") {
		t.Errorf("stdout lacks the parameter or the target:\n%s", stdout)
	}
	src, err := os.ReadFile(filepath.Join(out, "scenario.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := scenarios.Load("scenario.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	f := readFitJSON(t, out)
	if v, _ := cfg.ParamValue("regions.south.pull"); v != f.Params[0].Fitted || cfg.Name != "small-fitted" {
		t.Errorf("fitted scenario %s has pull %v, want %v", cfg.Name, v, f.Params[0].Fitted)
	}
	for _, w := range []string{"fitted by triad fit on 2026-01-02", "Source: the model itself at known values", "ABC-SMC, 12 particles, 2 generations", "replications per particle on seeds of its own", "# fitted: densest posterior point", "sd ratio"} {
		if !strings.Contains(string(src), w) {
			t.Errorf("the fitted scenario lacks %q", w)
		}
	}
	for _, line := range strings.Split(stdout, "\n") {
		if n := utf8.RuneCountInString(line); n > 100 && !strings.Contains(line, out) { // the folder's name is the user's
			t.Errorf("a line of %d columns, want at most 100: %q", n, line)
		}
	}
	// A second fit into the same folder needs --force.
	_, stderr := runFitCmd(t, exitUsage, smallScenario, "--targets", targets, "--param", "regions.south.pull=0.2:5", "--out", out)
	if !strings.Contains(stderr, "--force") {
		t.Errorf("stderr %q does not mention --force", stderr)
	}
}

func TestFitRejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, []byte("targets:\n  - metric: commercialization_rate\n    value: 0.3\n    uncertainty: 0.05\n    source: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("targets:\n  - metric: commercialization_rate\n    value: 0.3\n    uncertainty: -1\n    source: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no targets", []string{smallScenario, "--param", "regions.south.pull=0:1"}, "--targets FILE is required"},
		{"bad range", []string{smallScenario, "--targets", good, "--param", "regions.south.pull=2:1"}, "LOW:HIGH"},
		{"no parameters", []string{smallScenario, "--targets", good}, "no parameters to fit"},
		{"unknown parameter", []string{smallScenario, "--targets", good, "--param", "regions.south.pul=0.1:1"}, "did you mean regions.south.pull"},
		{"whole-number parameter", []string{smallScenario, "--targets", good, "--param", "cities.alpha.labs=1:30"}, "whole numbers"},
		{"range outside the parameter's", []string{smallScenario, "--targets", good, "--param", "regions.south.reach=0.1:2"}, "prior range"},
		{"bad targets file", []string{smallScenario, "--targets", bad, "--param", "regions.south.pull=0.1:1"}, "bad.yaml:4:18: targets[0].uncertainty: -1 is not a positive number"},
		{"one particle", []string{smallScenario, "--targets", good, "--param", "regions.south.pull=0.1:1", "--particles", "1"}, "--particles"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, stderr := runFitCmd(t, exitUsage, append(c.args, "--out", filepath.Join(dir, "out"))...)
			if !strings.Contains(stderr, c.want) {
				t.Errorf("stderr %q, want it to contain %q", stderr, c.want)
			}
		})
	}
}

// TestFitInterrupted: a fit stopped by a signal, even before any of its
// proposals was done, exits 130 with one message that names the way on,
// and keeps what it needs to go on: --resume finishes it.
func TestFitInterrupted(t *testing.T) {
	dir := t.TempDir()
	targets := filepath.Join(dir, "t.yaml")
	if err := os.WriteFile(targets, []byte("targets:\n  - metric: commercialization_rate\n    value: 0.3\n    uncertainty: 0.05\n    source: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	out := filepath.Join(dir, "out")
	code := run(ctx, []string{"fit", smallScenario, "--targets", targets, "--param", "regions.south.pull=0.2:5", "--particles", "4", "--generations", "1", "--replications", "1", "--out", out}, &stdout, &stderr)
	if code != exitInterrupt || !strings.Contains(stderr.String(), "triad fit --resume "+out) || strings.Contains(stderr.String(), "context canceled") {
		t.Errorf("exit %d, stderr %q: want %d and one message naming --resume", code, stderr.String(), exitInterrupt)
	}
	runFitCmd(t, 0, "--resume", out, "--quiet")
	if _, err := os.Stat(filepath.Join(out, runs.FitName)); err != nil {
		t.Errorf("the resumed fit wrote no %s: %v", runs.FitName, err)
	}
}

// twoParamFit writes in dir the targets of two figures of the small
// scenario, as it gives them with pull 1.5 and transform 0.1, and returns
// the flags of a fit of those two parameters to them, which each test
// completes with the settings it needs.
func twoParamFit(t *testing.T, dir string) []string {
	t.Helper()
	targets := writeTargets(t, dir, 7, map[string]float64{"regions.south.pull": 1.5, "cities.alpha.transform": 0.1},
		[]string{"commercialized_share@south", "commercialization_rate"}, 0.05, 0.05)
	return []string{"--targets", targets, "--param", "regions.south.pull=0.2:5", "--param", "cities.alpha.transform=0.02:0.3"}
}

// TestFitResumesToTheSameFiles interrupts a fit after its second of three
// generations, continues it with --resume, and checks that every file of
// the folder is byte for byte that of the same fit run without a stop
// (the fitted scenario's date included: the resumed fit keeps the date
// it started on; fit.json differs only by the --out of the command it
// records). The unfinished folder names the way on: its state file
// is there, a new fit into it without --force is refused with the
// --resume advice, and --resume of a finished fit is refused.
func TestFitResumesToTheSameFiles(t *testing.T) {
	fixFitClock(t)
	dir := t.TempDir()
	fitFlags := twoParamFit(t, dir)
	args := func(out string) []string {
		return append([]string{smallScenario}, append(clone(fitFlags),
			"--particles", "12", "--generations", "3", "--replications", "2", "--workers", "2", "--out", out, "--quiet")...)
	}
	whole, stopped := filepath.Join(dir, "whole"), filepath.Join(dir, "stopped")
	runFitCmd(t, 0, args(whole)...)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fitAfterGeneration = func(g int) {
		if g == 1 {
			cancel()
		}
	}
	var stdout, stderr bytes.Buffer
	code := run(ctx, append([]string{"fit"}, args(stopped)...), &stdout, &stderr)
	fitAfterGeneration = nil
	if code != exitInterrupt || !strings.Contains(stderr.String(), "triad fit --resume "+stopped) {
		t.Fatalf("exit %d, stderr %q: want %d and the --resume advice", code, stderr.String(), exitInterrupt)
	}
	if _, err := os.Stat(filepath.Join(stopped, runs.FitStateName)); err != nil {
		t.Fatalf("the interrupted fit kept no state: %v", err)
	}
	if _, stderr := runFitCmd(t, exitUsage, args(stopped)...); !strings.Contains(stderr, "--resume") {
		t.Errorf("a new fit into the unfinished folder: stderr %q does not mention --resume", stderr)
	}

	other := append(args(stopped), "--shard", "1/2")
	other[slices.Index(other, "12")] = "13"
	if _, stderr := runFitCmd(t, exitUsage, other...); !strings.Contains(stderr, stopped+" holds another fit (triad fit ") ||
		!strings.Contains(stderr, ": a shard joins only the fit of its own command; choose another folder with --out\n") {
		t.Errorf("a shard of another fit into the unfinished folder: stderr %q", stderr)
	}

	runFitCmd(t, 0, "--resume", stopped, "--quiet")
	if _, err := os.Stat(filepath.Join(stopped, runs.FitStateName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the finished fit still has its state file: %v", err)
	}
	err := filepath.WalkDir(whole, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(whole, path)
		a, _ := os.ReadFile(path)
		b, err := os.ReadFile(filepath.Join(stopped, rel))
		if err != nil {
			t.Errorf("%s: missing after the resumed fit: %v", rel, err)
			return nil
		}
		if rel == runs.FitName { // it records the command, whose --out differs
			b = bytes.ReplaceAll(b, []byte(stopped), []byte(whole))
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between the whole fit and the resumed one:\n%s\n%s", rel, a, b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, stderr := runFitCmd(t, exitUsage, "--resume", stopped); !strings.Contains(stderr, "finished fit") {
		t.Errorf("--resume of a finished fit: stderr %q, want it refused as finished", stderr)
	}
}

// sameFitFolders fails t unless the fit folders a and b hold the same
// files, byte for byte, but for the command line fit.json records (and
// the proposals a sharded fit keeps).
func sameFitFolders(t *testing.T, a, b string) {
	t.Helper()
	names := func(dir string) map[string][]byte {
		files := map[string][]byte{}
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(dir, path)
			if strings.HasPrefix(filepath.ToSlash(rel), runs.FitProposalsDir+"/") {
				return nil
			}
			files[rel], err = os.ReadFile(path)
			if rel == runs.FitName {
				var m map[string]any
				if err := json.Unmarshal(files[rel], &m); err != nil {
					t.Fatal(err)
				}
				delete(m, "command")
				files[rel], _ = json.Marshal(m)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	fa, fb := names(a), names(b)
	if len(fa) != len(fb) {
		t.Errorf("%s holds %d files, %s %d", a, len(fa), b, len(fb))
	}
	for rel, x := range fa {
		if y, ok := fb[rel]; !ok {
			t.Errorf("%s: missing in %s", rel, b)
		} else if !bytes.Equal(x, y) {
			t.Errorf("%s differs between %s and %s", rel, a, b)
		}
	}
}

// TestFitInShardsIsTheSameFit runs a fit in one process, then as three
// shards per generation run at once (each process ends when the
// generation it works on is done, as the tasks of a job array do), and
// checks that
// the two folders hold the same files, byte for byte. A fourth process
// that starts after the fit is finished has nothing to do.
func TestFitInShardsIsTheSameFit(t *testing.T) {
	fixFitClock(t)
	dir := t.TempDir()
	fitFlags := twoParamFit(t, dir)
	args := func(out string) []string {
		return append([]string{smallScenario}, append(clone(fitFlags),
			"--particles", "9", "--generations", "3", "--replications", "2", "--workers", "1", "--out", out, "--quiet")...)
	}
	whole, sharded := filepath.Join(dir, "whole"), filepath.Join(dir, "sharded")
	runFitCmd(t, 0, args(whole)...)
	if _, err := os.Stat(filepath.Join(whole, runs.FitProposalsDir)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the finished fit kept its proposals: %v", err)
	}
	for g := range 3 {
		codes := make([]int, 3)
		stderrs := make([]bytes.Buffer, 3)
		var wg sync.WaitGroup
		for i := range codes {
			wg.Go(func() {
				a := []string{"fit", "--resume", sharded, "--shard", fmt.Sprintf("%d/3", i), "--quiet"}
				if g == 0 {
					a = append(append([]string{"fit"}, args(sharded)...), "--shard", fmt.Sprintf("%d/3", i))
				}
				var stdout bytes.Buffer
				codes[i] = run(context.Background(), a, &stdout, &stderrs[i])
			})
		}
		wg.Wait()
		for i, c := range codes {
			if c != 0 {
				t.Fatalf("generation %d, shard %d of 3: exit %d\n%s", g+1, i, c, stderrs[i].String())
			}
		}
		// A shard that starts after the others ended its generation works
		// on the next: the fit may end in fewer rounds.
		if runs.IsFile(filepath.Join(sharded, runs.FitName)) {
			break
		}
		if g == 2 {
			t.Fatal("three rounds of three shards did not finish the fit of three generations")
		}
	}
	sameFitFolders(t, whole, sharded)
	if stdout, _ := runFitCmd(t, 0, "--resume", sharded, "--shard", "1/3"); !strings.Contains(stdout, "nothing to do") {
		t.Errorf("a shard of a finished fit: stdout %q, want nothing to do", stdout)
	}
	// A task of the first generation's array that starts that late (one
	// at a time on a small node) has nothing to do either; a shard of
	// another fit is refused.
	late := append(args(sharded), "--shard", "2/3")
	if stdout, _ := runFitCmd(t, 0, slices.DeleteFunc(late, func(a string) bool { return a == "--quiet" })...); !strings.Contains(stdout, "nothing to do") {
		t.Errorf("a late first shard of a finished fit: stdout %q, want nothing to do", stdout)
	}
	other := append(args(sharded), "--shard", "2/3")
	other[slices.Index(other, "9")] = "10"
	if _, stderr := runFitCmd(t, exitUsage, other...); !strings.Contains(stderr, sharded+" holds another, finished fit: --shard joins an unfinished one; choose another folder with --out\n") {
		t.Errorf("a shard of another fit: stderr %q", stderr)
	}
}

// TestFitStoppedMidGenerationGoesOn stops a fit once a few of its first
// generation's proposals are saved, and checks that --resume takes them
// up (its folder keeps them) and ends with the files of a fit that never
// stopped.
func TestFitStoppedMidGenerationGoesOn(t *testing.T) {
	fixFitClock(t)
	dir := t.TempDir()
	fitFlags := twoParamFit(t, dir)
	args := func(out string) []string {
		return append([]string{smallScenario}, append(clone(fitFlags),
			"--particles", "12", "--generations", "2", "--replications", "2", "--workers", "1", "--out", out, "--quiet")...)
	}
	whole, stopped := filepath.Join(dir, "whole"), filepath.Join(dir, "stopped")
	runFitCmd(t, 0, args(whole)...)

	// Stop the fit once it has saved 3 of the 12 proposals of its first
	// generation: from the save itself, since a clock cannot catch a
	// generation that takes milliseconds.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var saved atomic.Int32
	fit.AfterSave = func(g, i int) {
		if saved.Add(1) == 3 {
			cancel()
		}
	}
	defer func() { fit.AfterSave = nil }()
	var stdout, stderr bytes.Buffer
	if c := run(ctx, append([]string{"fit"}, args(stopped)...), &stdout, &stderr); c != exitInterrupt {
		t.Fatalf("the stopped fit: exit %d, want %d\n%s", c, exitInterrupt, stderr.String())
	}
	fit.AfterSave = nil
	st, err := os.ReadFile(filepath.Join(stopped, runs.FitStateName))
	if err != nil || !bytes.Contains(st, []byte(`"generations": null`)) {
		t.Fatalf("the fit stopped in its first generation keeps no state of none done: %v\n%s", err, st)
	}
	runFitCmd(t, 0, "--resume", stopped, "--quiet")
	sameFitFolders(t, whole, stopped)
}

// fakeSbatch is an sbatch that runs a job array's tasks at once, one after
// the other, with the variables Slurm sets, and answers the job's number
// (--parsable); an array whose dependency failed is not run, as
// --kill-on-invalid-dep=yes asks.
const fakeSbatch = `#!/usr/bin/env bash
set -u
state=$(dirname "$0")
id=$(( $(cat "$state/next" 2>/dev/null || echo 100) + 1 ))
echo "$id" > "$state/next"
array=0-0 out=/dev/null dep=""
while [ $# -gt 0 ]; do
  case $1 in
    --array=*) array=${1#--array=} ;;
    --output=*) out=${1#--output=} ;;
    --dependency=afterok:*) dep=${1#--dependency=afterok:} ;;
    --*) ;;
    *) break ;;
  esac
  shift
done
echo "$id" >> "$state/submitted"
if [ -n "$dep" ] && grep -qx "$dep" "$state/failed" 2>/dev/null; then
  echo "$id" >> "$state/failed"; echo "$id"; exit 0
fi
for i in $(seq "${array%-*}" "${array#*-}"); do
  log=${out//%x/job}; log=${log//%A/$id}; log=${log//%a/$i}
  SLURM_ARRAY_TASK_ID=$i SLURM_CPUS_PER_TASK=1 bash "$@" >> "$log" 2>&1 || echo "$id" >> "$state/failed"
done
echo "$id"
`

// TestFitSlurmRecipe runs cluster/slurm/fit-submit.sh against an sbatch
// that runs each job array at once: three tasks a generation, one array a
// generation, each after the one before. The folder it leaves holds the
// files of the same fit in one process, byte for byte; arrays submitted
// again to go on find the fit finished and do nothing.
func TestFitSlurmRecipe(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a fit through the cluster scripts")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	fixFitClock(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// triad is this test binary (see TestMain); the fit's date is not
	// fixed there, so the test compares the fitted scenario without it.
	wrapper := "#!/usr/bin/env bash\nIFS=$'\\n'\nTRIAD_TEST_ARGS=\"$*\" exec " + strconv.Quote(self) + " -test.run=^$\n"
	for name, text := range map[string]string{"sbatch": fakeSbatch, "triad": wrapper} {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(text), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	flags := append(twoParamFit(t, dir), "--particles", "8", "--replications", "2")
	whole, sharded := filepath.Join(dir, "whole"), filepath.Join(dir, "sharded")
	scenario, err := filepath.Abs(smallScenario)
	if err != nil {
		t.Fatal(err)
	}
	runFitCmd(t, 0, append([]string{scenario, "--generations", "3", "--workers", "1", "--out", whole, "--quiet"}, flags...)...)

	submit, err := filepath.Abs(filepath.Join("..", "..", "cluster", "slurm", "fit-submit.sh"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", append([]string{submit, "3", "3", sharded, scenario}, flags...)...)
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "TRIAD="+filepath.Join(bin, "triad"))
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "submitted 3 generation(s) of 3 task(s)") {
		t.Fatalf("fit-submit.sh: %v\n%s", err, out)
	}
	if failed, _ := os.ReadFile(filepath.Join(bin, "failed")); len(failed) > 0 {
		logs, _ := filepath.Glob(filepath.Join(sharded, "logs", "*"))
		for _, l := range logs {
			b, _ := os.ReadFile(l)
			t.Logf("%s:\n%s", l, b)
		}
		t.Fatalf("jobs failed: %s", failed)
	}
	// The fitted scenario records the day: the child processes' is today.
	for _, d := range []string{whole, sharded} {
		p := filepath.Join(d, "scenario.yaml")
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		b = regexp.MustCompile(`\d{4}-\d\d-\d\d`).ReplaceAll(b, []byte("DATE"))
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{whole, sharded} {
		// fit.json lists the fitted scenario's hash, and its date.
		var m map[string]any
		b, err := os.ReadFile(filepath.Join(d, runs.FitName))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		delete(m, "date")
		delete(m["files"].(map[string]any), "scenario.yaml")
		b, _ = json.MarshalIndent(m, "", "  ")
		if err := os.WriteFile(filepath.Join(d, runs.FitName), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.RemoveAll(filepath.Join(sharded, "logs")); err != nil {
		t.Fatal(err)
	}
	sameFitFolders(t, whole, sharded)

	cmd = exec.Command("bash", submit, "3", "1", sharded)
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "TRIAD="+filepath.Join(bin, "triad"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("fit-submit.sh to go on: %v\n%s", err, out)
	}
	logs, _ := filepath.Glob(filepath.Join(sharded, "logs", "*"))
	if len(logs) != 3 {
		t.Fatalf("one more array of 3 left %d logs, want 3", len(logs))
	}
	for _, l := range logs {
		if b, _ := os.ReadFile(l); !strings.Contains(string(b), "nothing to do") {
			t.Errorf("%s: a task of a finished fit says %q, want nothing to do", l, b)
		}
	}
}

// TestFitReportAndTables runs a small fit and checks what it shows: the
// terminal tables within 100 columns, with the posterior predictive check
// and the generations; a report.html with the fit's section and a chart
// named by each parameter; the diagnostics in the tables it writes.
func TestFitReportAndTables(t *testing.T) {
	fixFitClock(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	stdout, _ := runFitCmd(t, 0, append(append([]string{smallScenario}, twoParamFit(t, dir)...),
		"--particles", "8", "--generations", "2", "--replications", "1", "--out", out)...)
	for _, line := range strings.Split(stdout, "\n") {
		if n := utf8.RuneCountInString(line); n > 100 {
			t.Errorf("a line of %d columns: %q", n, line)
		}
	}
	for _, want := range []string{"pred. p", "generation  tolerance", "2  ", "report.html"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the terminal output lacks %q:\n%s", want, stdout)
		}
	}
	page, err := os.ReadFile(filepath.Join(out, runs.ReportName))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"What the fit says", "predictive 95 % band", "effective sample size", "Posterior of regions.south.pull", "Posterior of cities.alpha.transform"} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	for _, p := range []string{"regions.south.pull", "cities.alpha.transform"} {
		if _, err := os.Stat(filepath.Join(out, runs.PlotsDir, "posterior-"+p+".svg")); err != nil {
			t.Errorf("the chart of %s: %v", p, err)
		}
	}
	for file, want := range map[string]string{"targets.csv": "predictive_low,predictive_high,predictive_p", "generations.csv": "accepted,acceptance,ess"} {
		if b, err := os.ReadFile(filepath.Join(out, file)); err != nil || !bytes.Contains(b, []byte(want)) {
			t.Errorf("%s lacks %q: %v", file, want, err)
		}
	}
}

// TestPosteriorPredictiveRun fits a small scenario, then runs it with
// --posterior: the manifest records the posterior and names the fit, the
// report and the terminal say what the runs drew, the summary differs
// from the plain run's on the same seeds, and the same command gives the
// same summary again, with any number of workers. A folder that holds no
// finished fit is refused as bad input.
func TestPosteriorPredictiveRun(t *testing.T) {
	fixFitClock(t)
	dir := t.TempDir()
	fitDir := filepath.Join(dir, "fit")
	runFitCmd(t, 0, append(append([]string{smallScenario}, twoParamFit(t, dir)...),
		"--particles", "8", "--generations", "2", "--replications", "1", "--out", fitDir, "--quiet")...)
	runCmd := func(want int, args ...string) (string, string) {
		t.Helper()
		var out, errb bytes.Buffer
		if code := run(context.Background(), append([]string{"run"}, args...), &out, &errb); code != want {
			t.Fatalf("triad run %s: exit %d, want %d\n%s", strings.Join(args, " "), code, want, errb.String())
		}
		return out.String(), errb.String()
	}
	post1, post2, plain := filepath.Join(dir, "post1"), filepath.Join(dir, "post2"), filepath.Join(dir, "plain")
	_, stderr := runCmd(0, smallScenario, "--posterior", fitDir, "--replications", "6", "--workers", "1", "--out", post1)
	if !strings.Contains(stderr, "posterior predictive run") || !strings.Contains(stderr, "the fit fit (triad fit of small") {
		t.Errorf("the run does not say what it drew: %q", stderr)
	}
	runCmd(0, smallScenario, "--posterior", fitDir, "--replications", "6", "--workers", "3", "--out", post2, "--quiet")
	runCmd(0, smallScenario, "--replications", "6", "--out", plain, "--quiet")
	read := func(d, name string) []byte {
		b, err := os.ReadFile(filepath.Join(d, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if !bytes.Equal(read(post1, "summary.json"), read(post2, "summary.json")) {
		t.Error("two posterior runs of the same seed differ")
	}
	if bytes.Equal(read(post1, "summary.json"), read(plain, "summary.json")) {
		t.Error("the posterior run is the plain run")
	}
	var man struct {
		Scenario struct {
			Posterior *struct {
				Fit     string    `json:"fit"`
				Weights []float64 `json:"weights"`
			} `json:"posterior"`
		} `json:"scenario"`
	}
	if err := json.Unmarshal(read(post1, runs.ManifestName), &man); err != nil {
		t.Fatal(err)
	}
	if p := man.Scenario.Posterior; p == nil || len(p.Weights) != 8 || !strings.HasPrefix(p.Fit, "fit (triad fit of small") {
		t.Errorf("the manifest's posterior: %+v, want the fit's 8 particles named", p)
	}
	if !bytes.Contains(read(post1, runs.ReportName), []byte("A posterior predictive run")) {
		t.Error("the report does not say it is a posterior predictive run")
	}
	if _, stderr := runCmd(exitUsage, smallScenario, "--posterior", plain, "--out", filepath.Join(dir, "bad")); !strings.Contains(stderr, "--posterior") {
		t.Errorf("a folder without a fit: %q", stderr)
	}
}

// TestResumeSetsTheFlagsGiven checks how --resume goes on with the
// command line a fit or an optimization started with: the flags that
// never change the numbers take the values given with --resume when
// given (--shard always, so that a shard's command goes on unshared), the
// others keep the command's; a shard that finds the work finished does
// nothing; a flag that changes the numbers is refused before the state is
// read.
func TestResumeSetsTheFlagsGiven(t *testing.T) {
	finished := t.TempDir()
	if err := os.WriteFile(filepath.Join(finished, "done.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	started := []string{"optimize", "tiny.yaml", "--workers", "1", "--quiet", "--shard", "0/2", "--seed", "7"}
	cases := []struct {
		name  string
		given []string
		// want is the flags the command ran with (workers quiet shard
		// seed), or "" when it did not run; stdout is what was printed.
		want, stdout string
		refused      bool
	}{
		{"nothing given", nil, "1 true  7", "", false},
		{"workers given", []string{"--workers", "3"}, "3 true  7", "", false},
		{"quiet given false", []string{"--quiet=false", "--shard", "1/2"}, "1 false 1/2 7", "", false},
		{"a shard of finished work", []string{"--shard", "1/2", "--resume", finished}, "", "the optimization in " + finished + " is finished; nothing to do\n", false},
		{"a flag that changes the numbers", []string{"--seed", "8"}, "", "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout bytes.Buffer
			e := &env{ctx: context.Background(), stdout: &stdout, stderr: io.Discard}
			var o struct {
				resume, shard string
				seed          uint64
				execFlags
			}
			fs := newFlags("optimize")
			fs.StringVar(&o.resume, "resume", "", "")
			fs.StringVar(&o.shard, "shard", "", "")
			fs.Uint64Var(&o.seed, "seed", 0, "")
			o.execFlags.addFlags(fs)
			if err := fs.Parse(append([]string{"--resume", "somewhere"}, c.given...)); err != nil {
				t.Fatal(err)
			}
			got := ""
			read := func(dir string) (string, []string, error) { return "state of " + dir, started, nil }
			with := func(e *env, args []string, st string, dir string, adjust func(*pflag.FlagSet)) error {
				var r struct {
					shard string
					seed  uint64
					execFlags
				}
				rfs := newFlags("optimize")
				rfs.StringVar(&r.shard, "shard", "", "")
				rfs.Uint64Var(&r.seed, "seed", 0, "")
				r.execFlags.addFlags(rfs)
				if err := rfs.Parse(args); err != nil || st != "state of somewhere" || dir != "somewhere" {
					t.Fatalf("ran %q from %q in %s: %v", args, st, dir, err)
				}
				adjust(rfs)
				got = fmt.Sprintf("%d %v %s %d", r.workers, r.quiet, r.shard, r.seed)
				return nil
			}
			err := resume(e, fs, "optimize", "optimization", "done.json", []string{"workers", "quiet", "shard"}, read, with)
			refused := errors.As(err, new(*usageError))
			if refused != c.refused || (err != nil && !refused) || got != c.want || stdout.String() != c.stdout {
				t.Errorf("got %v, ran with %q, printed %q; want refused %v, %q, %q", err, got, stdout.String(), c.refused, c.want, c.stdout)
			}
		})
	}
}
