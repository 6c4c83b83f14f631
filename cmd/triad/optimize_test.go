package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/triad-sim/triad/internal/optimize"
	"github.com/triad-sim/triad/runs"
)

// smallLevers are the levers of the optimize tests on smallScenario.
var smallLevers = filepath.Join("testdata", "optimize", "small-levers.yaml")

func runOptimizeCmd(t *testing.T, want int, args ...string) (stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), append([]string{"optimize"}, args...), &out, &errb); code != want {
		t.Fatalf("triad optimize %s: exit %d, want %d\nstderr: %s", strings.Join(args, " "), code, want, errb.String())
	}
	return out.String(), errb.String()
}

// smallOptimize is the command line of a small optimization into out.
func smallOptimize(out, workers string) []string {
	return []string{smallScenario, "--levers", smallLevers, "--evaluations", "150", "--replications", "2", "--fresh", "4", "--top", "2",
		"--workers", workers, "--out", out, "--quiet"}
}

// sameFolders reports every file of a that b lacks or holds other bytes
// of, but the manifest (which records the command line and workers).
func sameFolders(t *testing.T, a, b string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(a, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, path)
		if rel == "manifest.json" {
			return nil
		}
		n++
		x, _ := os.ReadFile(path)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil {
			t.Errorf("%s: missing from %s: %v", rel, b, err)
			return nil
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between %s and %s", rel, a, b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 8 {
		t.Errorf("%s holds %d files, want the tables, JSON, charts and report", a, n)
	}
}

// TestOptimizeIsTheSameForAnyNumberOfWorkers: every file but the manifest
// is byte-identical with 1 and 2 workers.
func TestOptimizeIsTheSameForAnyNumberOfWorkers(t *testing.T) {
	dir := t.TempDir()
	one, two := filepath.Join(dir, "one"), filepath.Join(dir, "two")
	runOptimizeCmd(t, 0, smallOptimize(one, "1")...)
	runOptimizeCmd(t, 0, smallOptimize(two, "2")...)
	sameFolders(t, one, two)
	for _, name := range []string{"optimize.csv", "fresh.csv", "rounds.csv", "optimize.json", "report.html", "manifest.json", "plots/optimize-front.svg", "plots/optimize-allocation.png"} {
		if _, err := os.Stat(filepath.Join(one, name)); err != nil {
			t.Errorf("%s is missing: %v", name, err)
		}
	}
}

// TestOptimizeResumesToTheSameFiles interrupts an optimization after its
// second round, continues it with --resume, and checks that every file
// but the manifest is byte for byte that of the same optimization run
// without a stop; the unfinished folder refuses a new optimization
// without --force, naming --resume, and --resume of a finished one is
// refused.
func TestOptimizeResumesToTheSameFiles(t *testing.T) {
	dir := t.TempDir()
	whole, stopped := filepath.Join(dir, "whole"), filepath.Join(dir, "stopped")
	runOptimizeCmd(t, 0, smallOptimize(whole, "2")...)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	optimizeAfterRound = func(k int) {
		if k == 2 {
			cancel()
		}
	}
	var stdout, stderr bytes.Buffer
	code := run(ctx, append([]string{"optimize"}, smallOptimize(stopped, "2")...), &stdout, &stderr)
	optimizeAfterRound = nil
	if code != exitInterrupt || !strings.Contains(stderr.String(), "triad optimize --resume "+stopped) {
		t.Fatalf("exit %d, stderr %q: want %d and the --resume advice", code, stderr.String(), exitInterrupt)
	}
	if _, err := os.Stat(filepath.Join(stopped, optimize.StateName)); err != nil {
		t.Fatalf("the interrupted optimization kept no state: %v", err)
	}
	if _, stderr := runOptimizeCmd(t, exitUsage, smallOptimize(stopped, "2")...); !strings.Contains(stderr, "--resume") {
		t.Errorf("a new optimization into the unfinished folder: stderr %q does not mention --resume", stderr)
	}
	runOptimizeCmd(t, 0, "--resume", stopped, "--workers", "1", "--quiet")
	if _, err := os.Stat(filepath.Join(stopped, optimize.StateName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the finished optimization still has its state file: %v", err)
	}
	sameFolders(t, whole, stopped)
	if _, stderr := runOptimizeCmd(t, exitUsage, "--resume", stopped); !strings.Contains(stderr, "finished optimization") {
		t.Errorf("--resume of a finished optimization: stderr %q, want it refused as finished", stderr)
	}
}

// TestOptimizeAnswersInJSON: --json prints the chosen allocation with its
// fresh effect and interval, and the winner's curse.
func TestOptimizeAnswersInJSON(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	args := smallOptimize(out, "2")
	stdout, _ := runOptimizeCmd(t, 0, append(args[:len(args)-1], "--json")...)
	var v struct {
		Folder string `json:"folder"`
		Best   struct {
			Role   string `json:"role"`
			Levers []struct {
				Share float64 `json:"share"`
			} `json:"levers"`
			Effect []struct {
				Mean *float64   `json:"mean"`
				CI   []*float64 `json:"ci95"`
				N    int        `json:"n"`
			} `json:"effect"`
		} `json:"best"`
		Curse      *float64 `json:"winners_curse"`
		SearchRuns int      `json:"search_runs"`
	}
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	sum := 0.0
	for _, l := range v.Best.Levers {
		sum += l.Share
	}
	if v.Folder != out || v.Best.Role != "best" || len(v.Best.Levers) != 3 || math.Abs(sum-1) > 1e-12 || len(v.Best.Effect) != 2 || v.Best.Effect[0].N != 4 ||
		v.Best.Effect[0].CI[0] == nil || v.Curse == nil || v.SearchRuns < 100 {
		t.Errorf("got %s", stdout)
	}
}

func TestOptimizeRejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("budget: 10\nlevers:\n  - name: x\n    path: regions.south.reech\n    to: 1\n    cost_per_unit: 1\nobjective:\n  metric: t50\n  region: south\n  goal: minimize\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no levers", []string{smallScenario}, "--levers FILE is required"},
		{"no scenario", []string{"--levers", smallLevers}, "one scenario"},
		{"a bad levers file", []string{smallScenario, "--levers", bad}, bad + ":4:11: levers[0].path: small has no parameter"},
		{"too few evaluations", []string{smallScenario, "--levers", smallLevers, "--evaluations", "5"}, "too few evaluations"},
		{"one fresh run", []string{smallScenario, "--levers", smallLevers, "--fresh", "1"}, "--fresh must be"},
		{"no top", []string{smallScenario, "--levers", smallLevers, "--top", "0"}, "--top must be"},
		{"resume with a scenario", []string{smallScenario, "--resume", out}, "--resume OUT takes no scenario"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, stderr := runOptimizeCmd(t, exitUsage, append(c.args, "--out", out)...)
			if !strings.Contains(stderr, c.want) {
				t.Errorf("stderr %q, want %q", stderr, c.want)
			}
		})
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused optimization left %s: %v", out, err)
	}
}

// TestOptimizeInShardsIsTheSame runs an optimization as three concurrent
// shards sharing its folder and checks that every file but the manifest
// is byte for byte that of the one-process optimization; a shard that
// starts after the end has nothing to do.
func TestOptimizeInShardsIsTheSame(t *testing.T) {
	dir := t.TempDir()
	whole, sharded := filepath.Join(dir, "whole"), filepath.Join(dir, "sharded")
	runOptimizeCmd(t, 0, smallOptimize(whole, "2")...)
	if runs.IsFile(filepath.Join(whole, optimize.EvaluationsDir)) {
		t.Errorf("the one-process optimization kept its runs in %s", optimize.EvaluationsDir)
	}
	codes := make([]int, 3)
	stderrs := make([]bytes.Buffer, 3)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Go(func() {
			var stdout bytes.Buffer
			codes[i] = run(context.Background(), append([]string{"optimize"}, append(smallOptimize(sharded, "1"), "--shard", fmt.Sprintf("%d/3", i))...), &stdout, &stderrs[i])
		})
	}
	wg.Wait()
	for i, c := range codes {
		if c != 0 {
			t.Fatalf("shard %d of 3: exit %d\n%s", i, c, stderrs[i].String())
		}
	}
	sameFolders(t, whole, sharded)
	if stored, err := os.ReadDir(filepath.Join(sharded, optimize.EvaluationsDir)); err != nil || len(stored) == 0 {
		t.Errorf("the shards shared no runs in %s: %v", optimize.EvaluationsDir, err)
	}
	if stdout, _ := runOptimizeCmd(t, 0, append(smallOptimize(sharded, "1")[:len(smallOptimize(sharded, "1"))-1], "--shard", "1/3")...); !strings.Contains(stdout, "finished; nothing to do") {
		t.Errorf("a shard after the end: stdout %q, want nothing to do", stdout)
	}
	other := append(smallOptimize(sharded, "1"), "--shard", "1/3")
	other[slices.Index(other, "--fresh")+1] = "5"
	if _, stderr := runOptimizeCmd(t, exitUsage, other...); !strings.Contains(stderr, "holds another optimization") {
		t.Errorf("a shard of another optimization after the end: stderr %q", stderr)
	}
	if _, stderr := runOptimizeCmd(t, exitUsage, append(smallOptimize(sharded, "1"), "--shard", "1/3", "--force")...); !strings.Contains(stderr, "cannot take --force") {
		t.Errorf("--shard with --force: stderr %q", stderr)
	}
	// --force replaces the folder, its runs with it.
	runOptimizeCmd(t, 0, append(smallOptimize(sharded, "1"), "--force")...)
	if runs.IsFile(filepath.Join(sharded, optimize.EvaluationsDir)) {
		t.Errorf("--force kept the shards' runs")
	}
	sameFolders(t, whole, sharded)
}

// TestOptimizeShardJoinsAStoppedOne stops a shard after its first round;
// a shard of another optimization is refused from its folder, one of the
// same joins it and finishes it, to the one-process bytes.
func TestOptimizeShardJoinsAStoppedOne(t *testing.T) {
	dir := t.TempDir()
	whole, sharded := filepath.Join(dir, "whole"), filepath.Join(dir, "sharded")
	runOptimizeCmd(t, 0, smallOptimize(whole, "2")...)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	optimizeAfterRound = func(k int) { cancel() }
	var stdout, stderr bytes.Buffer
	code := run(ctx, append([]string{"optimize"}, append(smallOptimize(sharded, "2"), "--shard", "0/2")...), &stdout, &stderr)
	optimizeAfterRound = nil
	if code != exitInterrupt {
		t.Fatalf("exit %d, want %d\n%s", code, exitInterrupt, stderr.String())
	}
	other := append(smallOptimize(sharded, "2"), "--shard", "1/2")
	other[slices.Index(other, "--fresh")+1] = "5"
	if _, stderr := runOptimizeCmd(t, exitUsage, other...); !strings.Contains(stderr, "holds another optimization") {
		t.Errorf("a shard of another optimization: stderr %q", stderr)
	}
	if _, stderr := runOptimizeCmd(t, 0, append(smallOptimize(sharded, "2"), "--shard", "1/2")...); stderr != "" {
		t.Errorf("the joining shard printed %q with --quiet", stderr)
	}
	sameFolders(t, whole, sharded)
}

// TestOptimizeSlurmRecipe runs cluster/slurm/optimize.sbatch as the three
// tasks of a job array would, at once (the triad it runs is this test
// binary, which TestMain puts on PATH), into a folder that holds their
// logs, and finds the one-process optimization's files; a task requeued
// after the end has nothing to do.
func TestOptimizeSlurmRecipe(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	whole, out := filepath.Join(dir, "whole"), filepath.Join(dir, "out")
	runOptimizeCmd(t, 0, smallOptimize(whole, "2")...)
	if err := os.MkdirAll(filepath.Join(out, "logs"), 0o755); err != nil {
		t.Fatal(err)
	}
	flags := smallOptimize(out, "1")[1:]
	flags = slices.Delete(flags, slices.Index(flags, "--workers"), slices.Index(flags, "--workers")+2)
	flags = slices.Delete(flags, slices.Index(flags, "--out"), slices.Index(flags, "--out")+2)
	task := func(i int) *exec.Cmd {
		cmd := exec.Command(bash, append([]string{filepath.Join("..", "..", "cluster", "slurm", "optimize.sbatch"), "3", smallScenario, out}, flags...)...)
		cmd.Env = append(os.Environ(), fmt.Sprintf("SLURM_ARRAY_TASK_ID=%d", i), "SLURM_CPUS_PER_TASK=1", "TRIAD=triad")
		return cmd
	}
	outs := make([][]byte, 3)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range outs {
		wg.Go(func() { outs[i], errs[i] = task(i).CombinedOutput() })
	}
	wg.Wait()
	for i := range outs {
		if errs[i] != nil {
			t.Fatalf("task %d: %v\n%s", i, errs[i], outs[i])
		}
	}
	sameFolders(t, whole, out)
	if b, err := task(1).CombinedOutput(); err != nil || len(b) != 0 {
		t.Errorf("a task requeued after the end: %v, printed %q with --quiet", err, b)
	}
}
