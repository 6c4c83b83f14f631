package optimize

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/triad-sim/triad/output/report"
)

// g3 formats a number to three significant digits.
func g3(v float64) string { return strconv.FormatFloat(v, 'g', 3, 64) }

// ci formats an estimate as "mean [lo, hi]".
func ci(e Estimate) string {
	return fmt.Sprintf("%s [%s, %s]", g3(e.Mean), g3(e.Lo), g3(e.Hi))
}

// signed formats an effect with its sign and interval.
func signed(e Estimate) string {
	return fmt.Sprintf("%+.3g [%+.3g, %+.3g]", e.Mean, e.Lo, e.Hi)
}

// Describe is the allocation in words: each lever with money, its share.
func (r *Report) Describe(a Allocation) string {
	var parts []string
	for i, l := range r.Levers.Levers {
		if a.Units[i] > 0 {
			parts = append(parts, fmt.Sprintf("%s %.0f %%", l.Name, float64(100*a.Share(i))))
		}
	}
	if len(parts) == 0 {
		return "nothing spent"
	}
	return strings.Join(parts, ", ")
}

// Answer says the honest answer in one sentence.
func (r *Report) Answer() string {
	res := r.Result
	best := res.Fresh[0]
	o := r.Objectives[0]
	return fmt.Sprintf("Chosen: %s (#%d). On %d fresh runs that the search never saw, it changes %s by %s against the scenario as it is (paired mean difference, 95 %% interval); "+
		"the search's own runs had put the improvement %s higher (the winner's curse; positive when the search overrated it).",
		r.Describe(res.Candidates[best.ID].Alloc), best.ID, best.Effect[0].N, o.Name(), signed(best.Effect[0]), g3(res.Curse))
}

// reportData is the report's section on the optimization.
func (r *Report) reportData() *report.Optimize {
	res := r.Result
	s := res.Settings
	var goals []string
	for _, o := range r.Objectives {
		goals = append(goals, o.Goal+" "+o.Name())
	}
	d := &report.Optimize{
		Lede: fmt.Sprintf("How to share a budget of %s among %d levers to %s. The search raced %d allocations over %d rounds (%d runs, every candidate of a round on the same seeds); "+
			"the chosen allocation and the next best were then run again on %d fresh seeds, with the scenario as it is on the same seeds.",
			g3(*r.Levers.Budget), len(r.Levers.Levers), strings.Join(goals, " and "), len(res.Candidates), len(res.Rounds), res.SearchRuns, s.Fresh),
		Answer: r.Answer(),
	}
	d.Head = []string{"allocation"}
	for _, l := range r.Levers.Levers {
		d.Head = append(d.Head, l.Name)
	}
	for _, o := range r.Objectives {
		d.Head = append(d.Head, o.Name(), "effect")
	}
	d.Head = append(d.Head, "as good as the best")
	row := func(name string, a Allocation, value, effect []Estimate, good string) []string {
		cells := []string{name}
		for i, l := range r.Levers.Levers {
			sp := Spend(&r.Levers, a, i)
			cells = append(cells, fmt.Sprintf("%s → %s", g3(l.Spent(sp)), g3(l.Value(sp))))
		}
		for o := range r.Objectives {
			e := "—"
			if effect != nil {
				e = signed(effect[o])
			}
			cells = append(cells, ci(value[o]), e)
		}
		return append(cells, good)
	}
	var base []Estimate
	for o := range r.Objectives {
		base = append(base, estimate(column(res.FreshBaseline, o)))
	}
	d.Rows = append(d.Rows, row("as it is", Baseline(len(r.Levers.Levers)), base, nil, ""))
	for k, f := range res.Fresh {
		good := ""
		switch {
		case k == 0:
			good = "chosen"
		case f.EquallyGood:
			good = "yes"
		}
		d.Rows = append(d.Rows, row(fmt.Sprintf("#%d (%s)", f.ID, r.role(f.ID)), res.Candidates[f.ID].Alloc, f.Value, f.Effect, good))
	}
	d.Notes = []string{
		"Each lever's cell is the money spent on it → the value it buys. Figures are means over the fresh runs with their 95 % t intervals; effect is the paired difference to the scenario as it is on the same seeds. " +
			"Allocations whose effect interval overlaps the chosen one's are as good as the best as far as these runs can tell.",
		"A group of regions' figure is the mean of its regions' figures weighted by their firms; a time never reached in a run counts as the run's last step (censored).",
		"Method: successive halving (racing) over allocations in whole multiples of a share of the budget, refined around the leaders; every table is in optimize.csv, fresh.csv, rounds.csv and optimize.json.",
	}
	return d
}
