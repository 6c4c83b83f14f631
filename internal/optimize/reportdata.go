package optimize

import (
	"fmt"
	"math"
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
func (r *Report) Answer() string { return r.document().answer() }

// fromJSON is the estimate e records (NaN for null).
func fromJSON(e jsonEstimate) Estimate {
	num := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	out := Estimate{Mean: num(e.Mean), Lo: math.NaN(), Hi: math.NaN(), N: e.N}
	if len(e.CI) == 2 {
		out.Lo, out.Hi = num(e.CI[0]), num(e.CI[1])
	}
	return out
}

// describe is the allocation in words, as Report.Describe says it.
func (a jsonAllocation) describe() string {
	var parts []string
	for _, l := range a.Levers {
		if l.Share > 0 {
			parts = append(parts, fmt.Sprintf("%s %.0f %%", l.Lever, float64(100*l.Share)))
		}
	}
	if len(parts) == 0 {
		return "nothing spent"
	}
	return strings.Join(parts, ", ")
}

// answer says the honest answer in one sentence.
func (d *document) answer() string {
	best := d.Best
	curse := math.NaN()
	if d.WinnersCurse != nil {
		curse = *d.WinnersCurse
	}
	id := -1
	if best.Candidate != nil {
		id = *best.Candidate
	}
	effect := fromJSON(best.Effect[0])
	return fmt.Sprintf("Chosen: %s (#%d). On %d fresh runs that the search never saw, it changes %s by %s against the scenario as it is (paired mean difference, 95 %% interval); "+
		"the search's own runs had put the improvement %s higher (the winner's curse; positive when the search overrated it).",
		best.describe(), id, effect.N, d.Objectives[0], signed(effect), g3(curse))
}

// reportData is the report's section on the optimization, from what
// optimize.json records, so that triad report writes it again to the
// byte.
func (d *document) reportData() *report.Optimize {
	var goals []string
	for o, name := range d.Objectives {
		goals = append(goals, d.Goals[o]+" "+name)
	}
	out := &report.Optimize{
		Lede: fmt.Sprintf("How to share a budget of %s among %d levers to %s. The search raced %d allocations over %d rounds (%d runs, every candidate of a round on the same seeds); "+
			"the chosen allocation and the next best were then run again on %d fresh seeds, with the scenario as it is on the same seeds.",
			g3(d.Budget), len(d.Levers), strings.Join(goals, " and "), len(d.Candidates), len(d.Rounds), d.SearchRuns, d.Fresh),
		Answer: d.answer(),
	}
	out.Head = []string{"allocation"}
	for _, l := range d.Levers {
		out.Head = append(out.Head, l.Name)
	}
	for _, name := range d.Objectives {
		out.Head = append(out.Head, name, "effect")
	}
	out.Head = append(out.Head, "as good as the best")
	row := func(name string, f jsonFresh, effect bool, good string) []string {
		cells := []string{name}
		for _, l := range f.Levers {
			cells = append(cells, fmt.Sprintf("%s → %s", g3(l.Spent), g3(l.Value)))
		}
		for o := range d.Objectives {
			e := "—"
			if effect {
				e = signed(fromJSON(f.Effect[o]))
			}
			cells = append(cells, ci(fromJSON(f.Value[o])), e)
		}
		return append(cells, good)
	}
	out.Rows = append(out.Rows, row("as it is", d.Baseline, false, ""))
	for k, f := range d.Reruns {
		good := standing(k, f.EquallyGood)
		id := -1
		if f.Candidate != nil {
			id = *f.Candidate
		}
		out.Rows = append(out.Rows, row(fmt.Sprintf("#%d (%s)", id, f.Role), f, true, good))
	}
	out.Notes = []string{
		"Each lever's cell is the money spent on it → the value it buys. Figures are means over the fresh runs with their 95 % t intervals; effect is the paired difference to the scenario as it is on the same seeds. " +
			"Allocations whose effect interval overlaps the chosen one's are as good as the best as far as these runs can tell.",
		"A group of regions' figure is the mean of its regions' figures weighted by their firms; a time never reached in a run counts as the run's last step (censored).",
		"Method: successive halving (racing) over allocations in whole multiples of a share of the budget, refined around the leaders; every table is in optimize.csv, fresh.csv, rounds.csv and optimize.json.",
	}
	return out
}
