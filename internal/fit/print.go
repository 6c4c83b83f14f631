package fit

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"
	"time"
)

// ProgressLine is the line that tells of generation g (from 0) of a fit
// of the given generations once it is done, elapsed after the fit
// started.
func ProgressLine(g, generations int, gen Generation, elapsed time.Duration) string {
	return fmt.Sprintf("generation %d/%d: tolerance %s, %d accepted of %d proposals (%d simulated), effective size %.0f, %s",
		g+1, generations, fmtTol(gen.Tolerance), gen.Accepted, gen.Proposals, gen.Simulated, gen.ESS, elapsed.Round(time.Second))
}

// ProposalWarning returns the warning for generation g (from 0) of a fit
// of the given generations and particles that needed the given proposals,
// or "": a generation that needed half of the proposals a generation may
// make (ProposalCap) warns when another follows, since the next one, with
// a tighter tolerance, may not fill its population within the cap (and a
// fit that fails so keeps nothing). The caller adds how to stop before
// that in its own words (fewer generations, a higher quantile).
func ProposalWarning(g, generations, proposals, particles int) string {
	limit := ProposalCap(particles)
	if proposals*2 < limit || g+1 >= generations {
		return ""
	}
	return fmt.Sprintf("generation %d needed %d proposals, half or more of the %d a generation may make; "+
		"the next may not fill its %d particles", g+1, proposals, limit, particles)
}

// fmtTol prints a tolerance ("∞" for the first generation's).
func fmtTol(t float64) string {
	if math.IsInf(t, 1) {
		return "∞"
	}
	return strconv.FormatFloat(t, 'g', 3, 64)
}

// Print prints the fit's posterior, its fit of each target with the
// posterior predictive check, and its generations, in tables that fit 100
// columns but for very long parameter or target names, and says what it
// wrote in its folder dir.
func (r *Result) Print(w io.Writer, dir string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	fmt.Fprintf(tw, "parameter\tprior\twas\tposterior\t95 %% interval\tsd/prior\tfitted\n")
	for j, p := range r.Spec.Params {
		s := r.Posterior(j)
		fmt.Fprintf(tw, "%s\t[%s, %s]\t%s\t%.3g ± %.2g\t[%.3g, %.3g]\t%.2f\t%s\n", shortLabel(p.Paths), ff(p.Lo), ff(p.Hi), ff(p.Original),
			s.Mean, s.SD, s.Lo, s.Hi, r.Identifiability(j), ff(r.Fitted(j)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "target\tobserved\tfitted mean\t95 %% interval\tz\tpred. p\n")
	misses := 0
	for i, t := range r.Spec.Targets {
		s := r.Figure(i)
		c := r.Check(i)
		mark := ""
		if !c.Inside {
			mark, misses = " !", misses+1
		}
		fmt.Fprintf(tw, "%s\t%s ± %s\t%.3g\t[%.3g, %.3g]\t%+.2f\t%.2f%s\n", t.Name(), ff(*t.Value), ff(*t.Uncertainty), s.Mean, s.Lo, s.Hi, r.Z(i), c.P, mark)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "generation\ttolerance\taccepted\tacceptance\teffective size\n")
	for g, gen := range r.Generations() {
		fmt.Fprintf(tw, "%d\t%s\t%d of %d\t%.1f %%\t%.0f\n", g+1, fmtTol(gen.Tolerance), gen.Accepted, gen.Proposals, 100*Acceptance(gen), gen.ESS)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	check := "Every observed figure lies within its 95 % predictive band"
	if misses > 0 {
		check = fmt.Sprintf("%d observed figure(s) lie outside their 95 %% predictive band (!)", misses)
	}
	_, err := fmt.Fprintf(w, "\nposterior: mean ± sd; sd/prior: its sd over the prior's (near 1: the targets say little);\n"+
		"fitted: the value the fitted scenario takes, where the posterior is densest.\n"+
		"pred. p: the share of the figures the fitted model predicts, measurement error included,\n"+
		"at or below the observed one (near 0 or 1: it cannot reproduce it).\n"+
		"%s.\n"+
		"Written to %s:\n"+
		"report.html, fit.csv, fit.json, targets.csv, posterior.csv, generations.csv,\n"+
		"scenario.yaml (the fitted scenario), plots/posterior-PARAMETER.png\n", check, dir)
	return err
}

// shortLabel names a parameter of one or more paths in a terminal table:
// the path, or the first path and how many more share its value.
func shortLabel(paths []string) string {
	if len(paths) == 1 {
		return paths[0]
	}
	return fmt.Sprintf("%s (+%d)", paths[0], len(paths)-1)
}
