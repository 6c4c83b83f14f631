package optimize

import (
	"math"
	"strings"
	"testing"
)

// printedReport is a finished optimization of testLevers with chosen
// figures: three candidates re-run on four fresh runs, #2 chosen, #0 as
// good and #1 not, and #2 and #1 on the front of two objectives.
func printedReport(t *testing.T, objectives int) *Report {
	t.Helper()
	ev := testEvaluator(t, 1)
	est := func(mean, lo, hi float64) Estimate { return Estimate{Mean: mean, Lo: lo, Hi: hi, N: 4} }
	res := &Result{
		Settings: Settings{Levers: 2, Signs: []float64{-1, 1}[:objectives], Evaluations: 100, Replications: 2, Fresh: 4, Top: 2},
		Candidates: []*Candidate{
			{ID: 0, Alloc: Allocation{Units: []int{1, 1}, Grid: 2}},
			{ID: 1, Alloc: Allocation{Units: []int{0, 1}, Grid: 1}},
			{ID: 2, Alloc: Allocation{Units: []int{1, 3}, Grid: 4}},
		},
		Rounds: make([]Round, 5),
		Best:   2, Top: []int{2, 0}, Front: []int{2, 1},
		SearchRuns:    54,
		FreshBaseline: [][]float64{{0.3, 40}, {0.3, 41}, {0.31, 40}, {0.29, 39}},
		Fresh: []Fresh{
			{ID: 2, Value: []Estimate{est(0.35, 0.2731, 0.4282), est(38, 36.5, 39.5)}, Effect: []Estimate{est(0.0192, -0.1414, 0.1798), est(-2, -3, -1)}},
			{ID: 0, Value: []Estimate{est(0.3642, 0.2509, 0.4776), est(37, 35, 39)}, Effect: []Estimate{est(0.03318, -0.09584, 0.1622), est(-3, -5, -1)}, EquallyGood: true},
			{ID: 1, Value: []Estimate{est(0.1, 0.05, 0.15), est(30, 29, 31)}, Effect: []Estimate{est(-0.2, -0.25, -0.15), est(-10, -11, -9)}},
		},
		Curse: 0.0018035,
	}
	return &Report{Scenario: ev.Config, Levers: ev.Levers, Objectives: ev.Objectives[:objectives], Result: res}
}

func TestPrint(t *testing.T) {
	answer := "Chosen: reach 25 %, pull 75 % (#2). On 4 fresh runs that the search never saw, it changes final_adoption@south by +0.0192 [-0.141, +0.18] " +
		"against the scenario as it is (paired mean difference, 95 % interval); the search's own runs had put the improvement 0.0018 higher " +
		"(the winner's curse; positive when the search overrated it).\n\n"
	table := "" +
		"allocation  shares                 final_adoption@south (fresh)  effect [95 % CI]           as good as the best\n" +
		"#2          reach 25 %, pull 75 %  0.35 [0.273, 0.428]           +0.0192 [-0.141, +0.18]    chosen\n" +
		"#0          reach 50 %, pull 50 %  0.364 [0.251, 0.478]          +0.0332 [-0.0958, +0.162]  yes\n" +
		"#1          pull 100 %             0.1 [0.05, 0.15]              -0.2 [-0.25, -0.15]        \n"
	footer := "\nsearch: 3 allocations, 5 rounds, 54 runs; re-run: 4 fresh runs each, with the scenario as it is.\n" +
		"Written to out/x: optimize.csv, optimize.json, fresh.csv, rounds.csv, plots/optimize-*.png, report.html, manifest.json\n"
	front := "\nThe Pareto front of the search (no allocation better in both), re-run on the fresh seeds:\n" +
		"allocation  shares                 final_adoption@south  t50@north+south\n" +
		"#2          reach 25 %, pull 75 %  0.35 [0.273, 0.428]   38 [36.5, 39.5]\n" +
		"#1          pull 100 %             0.1 [0.05, 0.15]      30 [29, 31]\n"
	for _, c := range []struct {
		name       string
		objectives int
		front      []int
		want       string
	}{
		{"one objective has no front", 1, []int{2, 1}, answer + table + footer},
		{"two objectives print their front", 2, []int{2, 1}, answer + table + front + footer},
		{"an empty front is not printed", 2, nil, answer + table + footer},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := printedReport(t, c.objectives)
			r.Result.Front = c.front
			var b strings.Builder
			if err := r.Print(&b, "out/x"); err != nil {
				t.Fatal(err)
			}
			if got := b.String(); got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

// TestPrintSaysNaN: an allocation whose runs the scenario refused prints
// NaN for its value and, signed as every effect, +NaN for its effect.
func TestPrintSaysNaN(t *testing.T) {
	r := printedReport(t, 1)
	nan := Estimate{Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), N: 4}
	r.Result.Fresh[2].Value[0], r.Result.Fresh[2].Effect[0] = nan, nan
	var b strings.Builder
	if err := r.Print(&b, "out/x"); err != nil {
		t.Fatal(err)
	}
	if want := "#1          pull 100 %             NaN [NaN, NaN]                +NaN [+NaN, +NaN]          \n"; !strings.Contains(b.String(), want) {
		t.Errorf("got\n%s\nwant a line %q", b.String(), want)
	}
}
