package optimize

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
)

// Print prints the honest answer for a terminal: the answer in a
// sentence, the re-run allocations with their fresh values and effects
// and whether each is as good as the chosen one, with two objectives the
// Pareto front re-run, the search's size and the files written to the
// folder dir.
func (r *Report) Print(w io.Writer, dir string) error {
	res := r.Result
	fmt.Fprintln(w, r.Answer())
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "allocation\tshares\t%s (fresh)\teffect [95 %% CI]\tas good as the best\n", r.Objectives[0].Name())
	for k, f := range res.Fresh {
		good := standing(k, f.EquallyGood)
		v, d := f.Value[0], f.Effect[0]
		fmt.Fprintf(tw, "#%d\t%s\t%.3g [%.3g, %.3g]\t%+.3g [%+.3g, %+.3g]\t%s\n", f.ID, r.Describe(res.Candidates[f.ID].Alloc), v.Mean, v.Lo, v.Hi, d.Mean, d.Lo, d.Hi, good)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Objectives) == 2 && len(res.Front) > 0 {
		fmt.Fprintf(w, "\nThe Pareto front of the search (no allocation better in both), re-run on the fresh seeds:\n")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "allocation\tshares\t%s\t%s\n", r.Objectives[0].Name(), r.Objectives[1].Name())
		for _, f := range res.Fresh {
			if slices.Contains(res.Front, f.ID) {
				a, b := f.Value[0], f.Value[1]
				fmt.Fprintf(tw, "#%d\t%s\t%.3g [%.3g, %.3g]\t%.3g [%.3g, %.3g]\n", f.ID, r.Describe(res.Candidates[f.ID].Alloc), a.Mean, a.Lo, a.Hi, b.Mean, b.Lo, b.Hi)
			}
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "\nsearch: %d allocations, %d rounds, %d runs; re-run: %d fresh runs each, with the scenario as it is.\n"+
		"Written to %s: optimize.csv, optimize.json, fresh.csv, rounds.csv, plots/optimize-*.png, report.html, manifest.json\n",
		len(res.Candidates), len(res.Rounds), res.SearchRuns, r.Result.Settings.Fresh, dir)
	return err
}

// standing is what the answer's column "as good as the best" says of the
// k-th allocation re-run on fresh seeds (k = 0 the chosen one): "chosen",
// "yes" when its interval overlaps the chosen one's, or nothing.
func standing(k int, equallyGood bool) string {
	switch {
	case k == 0:
		return "chosen"
	case equallyGood:
		return "yes"
	}
	return ""
}
