package optimize

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
)

const testLevers = `budget: 10
levers:
  - name: reach
    path: regions.south.reach
    to: 0.5
    cost_per_unit: 20
  - name: pull
    path: regions.south.pull
    to: 3
    cost_per_unit: 5
objective:
  metric: final_adoption
  region: south
  goal: maximize
second:
  metric: t50
  regions: [north, south]
  goal: minimize
`

// testEvaluator is a SimEvaluator of the small scenario of the command's
// tests, cut to 30 steps.
func testEvaluator(t *testing.T, workers int) *SimEvaluator {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "cmd", "triad", "testdata", "fit", "small.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := scenarios.Load("small.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Steps = 30
	lv, err := scenarios.LoadLevers("l.yaml", []byte(testLevers), &cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &SimEvaluator{Config: cfg, Levers: lv, Objectives: []scenarios.Objective{*lv.Objective, *lv.Second}, Workers: workers}
}

// TestSimEvaluatorIsTheSameForAnyWorkers: the figures of several jobs do
// not depend on the workers, and an allocation's values are those its
// spend buys.
func TestSimEvaluatorIsTheSameForAnyWorkers(t *testing.T) {
	jobs := []Job{
		{Alloc: Baseline(2), Replicates: []int{0, 1, 2}},
		{Alloc: Allocation{Units: []int{1, 1}, Grid: 2}, Replicates: []int{2, 0, FreshOffset}},
		{Alloc: Allocation{Units: []int{0, 1}, Grid: 1}, Replicates: []int{1}},
	}
	one, err := testEvaluator(t, 1).Evaluate(t.Context(), jobs)
	if err != nil {
		t.Fatal(err)
	}
	three, err := testEvaluator(t, 3).Evaluate(t.Context(), jobs)
	if err != nil {
		t.Fatal(err)
	}
	for j := range jobs {
		for k := range jobs[j].Replicates {
			if !slices.EqualFunc(one[j][k], three[j][k], func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }) {
				t.Errorf("job %d replicate %d: %v with 1 worker, %v with 3", j, k, one[j][k], three[j][k])
			}
		}
	}
	if one[0][0][0] == one[0][1][0] && one[0][1][0] == one[0][2][0] {
		t.Errorf("replications 0, 1, 2 of the baseline give the same figure %v: the seeds do not differ", one[0][0][0])
	}
	ev := testEvaluator(t, 1)
	c, ok := ConfigFor(ev.Config, &ev.Levers, Allocation{Units: []int{1, 1}, Grid: 2})
	// 5 on reach buys 0.25 (capped at 0.5 - 0.1 = 0.4: 0.35); 5 on pull 1.
	if reach, _ := c.ParamValue("regions.south.reach"); !ok || math.Abs(reach-0.35) > 1e-12 {
		t.Errorf("reach with half the budget: got %v (valid %v), want 0.35", reach, ok)
	}
	if pull, _ := c.ParamValue("regions.south.pull"); math.Abs(pull-2.5) > 1e-12 {
		t.Errorf("pull with half the budget: got %v, want 2.5", pull)
	}
}

func TestStateKeepsEveryFigure(t *testing.T) {
	dir := t.TempDir()
	memo := Memo{"1,1/2": {0: {0.1, math.NaN()}, 7: {1e-300, 3}}, "none": {FreshOffset: {2, 5}}}
	st := State{SchemaVersion: schemaVersion, Command: []string{"optimize", "x"}}.WithMemo(memo)
	if err := WriteState(dir, st); err != nil {
		t.Fatal(err)
	}
	back, err := ReadState(dir, "optimize")
	if err != nil {
		t.Fatal(err)
	}
	got, err := back.Memo(2, 2)
	if err != nil {
		t.Fatal(err)
	}
	for key, reps := range memo {
		for rep, figs := range reps {
			if !slices.EqualFunc(figs, got[key][rep], func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }) {
				t.Errorf("%s replicate %d: got %v, want %v", key, rep, got[key][rep], figs)
			}
		}
	}
	if _, err := back.Memo(3, 2); err == nil {
		t.Error("a memo of two levers read as three: got no error")
	}
	if _, err := ReadState(dir, "fit"); err == nil {
		t.Error("the state of an optimization read as a fit's: got no error")
	}
}

func TestPrepare(t *testing.T) {
	write := func(t *testing.T, dir string, names ...string) {
		t.Helper()
		for _, n := range names {
			p := filepath.Join(dir, n)
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Run("a new folder is made", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "a", "b")
		if err := Prepare(dir, false); err != nil || !runs.IsFile(dir) {
			t.Errorf("got %v", err)
		}
	})
	t.Run("a folder of other files is never replaced", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, "notes.txt")
		if err := Prepare(dir, true); err == nil || !errors.Is(err, runs.ErrNotOurFolder) {
			t.Errorf("got %v, want ErrNotOurFolder", err)
		}
	})
	t.Run("an optimization with a file of the user's is not replaced", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, Name, "optimize.csv", "notes.txt")
		if err := Prepare(dir, true); err == nil || !errors.Is(err, runs.ErrNotOurFolder) {
			t.Errorf("got %v, want ErrNotOurFolder", err)
		}
	})
	t.Run("an optimization needs force", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, Name)
		if err := Prepare(dir, false); err == nil || !errors.Is(err, runs.ErrExists) {
			t.Errorf("got %v, want ErrExists", err)
		}
	})
	t.Run("force removes what triad wrote and keeps the rest", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, Name, "optimize.csv", "plots/optimize-progress.png", "plots/mine.png", ".git/config")
		if err := Prepare(dir, true); err != nil {
			t.Fatal(err)
		}
		for name, want := range map[string]bool{Name: false, "optimize.csv": false, "plots/optimize-progress.png": false, "plots/mine.png": true, ".git/config": true} {
			if got := runs.IsFile(filepath.Join(dir, name)); got != want {
				t.Errorf("%s there: %v, want %v", name, got, want)
			}
		}
	})
	t.Run("force removes the shards' runs and keeps the job logs", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, StateName, "evaluations/"+EvaluationName("1,1/2", 3), "evaluations/"+EvaluationName("none", 1<<30), "logs/triad-1_0.out")
		if err := Prepare(dir, true); err != nil {
			t.Fatal(err)
		}
		for name, want := range map[string]bool{StateName: false, EvaluationsDir: false, "logs/triad-1_0.out": true} {
			if got := runs.IsFile(filepath.Join(dir, name)); got != want {
				t.Errorf("%s there: %v, want %v", name, got, want)
			}
		}
	})
	t.Run("a thesis among the shards' runs is never replaced", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, StateName, "evaluations/"+EvaluationName("1,1/2", 3), "evaluations/ch1.tex")
		if err := Prepare(dir, true); !errors.Is(err, runs.ErrNotOurFolder) {
			t.Errorf("got %v, want ErrNotOurFolder", err)
		}
	})
	t.Run("a folder of job logs alone is empty", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, "logs/triad-1_0.out", ".hidden")
		if err := Prepare(dir, false); err != nil {
			t.Errorf("got %v, want the folder taken", err)
		}
	})
}
