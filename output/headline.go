package output

import (
	"fmt"
	"io"
	"math"
	"text/tabwriter"

	"github.com/triad-sim/triad/sim"
)

// Headline writes a short table for the terminal: per region its role, the
// mean breakthroughs discovered and commercialized (with the region's share
// of all commercialization), the share of its firms that had adopted a
// product 24 steps after its launch (the headline figure of diffusion, fair
// whatever the number and age of products), the diffusion time t50 with the
// share of products that got to 50 %, and the Kaplan–Meier t50 that counts
// the others too; each "± half-width of the 95 % confidence interval". Then
// the median lab-to-market lag and the commercialization rate of settled
// breakthroughs. s is the Summary of res. A figure that does not exist is
// shown as "-", and the "±" is left out when there are too few runs for an
// interval; t50 says in how many runs it exists when not in all.
func Headline(w io.Writer, res *sim.Result, s Summary) error {
	runs := len(SortedRuns(res.Runs))
	name := res.Config.Name
	if name == "" {
		name = "scenario"
	}
	bw := &errWriter{w: w}
	fmt.Fprintf(bw, "%s: %s, %d steps\n\n", name, RunsNote(runs), res.Config.Steps)
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "region\trole\tdiscovered\tcommercialized\tadoption at age 24\tt50 (steps)\treached 50 %\tt50 all (KM)")
	for i, id := range res.Regions {
		role := "-"
		if i < len(res.Config.Regions) && res.Config.Regions[i].Role != "" {
			role = res.Config.Regions[i].Role
		}
		get := func(metric string) Stat {
			st, _ := s.Get(metric, id)
			return st
		}
		comm := fmtMean(get(sim.MetricCommercialized), "%.1f")
		if sh := get(sim.MetricCommercialShare); !math.IsNaN(sh.Mean) {
			comm += fmt.Sprintf(" (%.1f%%)", 100*sh.Mean)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", id, role,
			fmtMean(get(sim.MetricDiscovered), "%.1f"),
			comm,
			fmtPercent(get(sim.MetricAdoptionAt24)),
			fmtT50(get(sim.MetricT50), runs),
			fmtPercent(get(sim.MetricReached50)),
			fmtT50(get(sim.MetricT50KM), runs),
		)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write headline: %w", err)
	}
	lag, _ := s.Get(sim.MetricLagMedian, "")
	fmt.Fprintf(bw, "\nmedian lab-to-market lag: %s steps (mean over runs of each run's median)\n", fmtPM(lag, "%.1f"))
	if rate, ok := s.Get(sim.MetricCommercialRate, ""); ok && !math.IsNaN(rate.Mean) {
		fmt.Fprintf(bw, "breakthroughs commercialized, of those whose fate is settled: %s\n", fmtPercent(rate))
	}
	fmt.Fprintf(bw, "adoption at age 24: share of firms using a product 24 steps after its launch; t50: steps to 50 %%\n"+
		"among the products that got there (reached 50 %%); t50 all (KM): Kaplan–Meier, counting the rest as not yet\n")
	if bw.err != nil {
		return fmt.Errorf("write headline: %w", bw.err)
	}
	return nil
}

// fmtPercent formats a share as "mean ± half-width" in percent.
func fmtPercent(st Stat) string {
	if math.IsNaN(st.Mean) {
		return "-"
	}
	m := fmt.Sprintf("%.1f%%", 100*st.Mean)
	if h := st.HalfWidth(); !math.IsNaN(h) {
		m += fmt.Sprintf(" ± %.1f", 100*h)
	}
	return m
}

// fmtMean formats a Stat's mean with verb, or "-" when it is NaN.
func fmtMean(st Stat, verb string) string {
	if math.IsNaN(st.Mean) {
		return "-"
	}
	return fmt.Sprintf(verb, st.Mean)
}

// fmtPM formats a Stat as "mean ± half-width" with verb for both numbers,
// leaving out the "±" part when there is no interval.
func fmtPM(st Stat, verb string) string {
	m := fmtMean(st, verb)
	if h := st.HalfWidth(); !math.IsNaN(h) {
		m += " ± " + fmt.Sprintf(verb, h)
	}
	return m
}

// fmtT50 formats t50 like fmtPM and, when fewer than all runs had an
// innovation reach 50 % adoption, says in how many.
func fmtT50(st Stat, runs int) string {
	m := fmtPM(st, "%.1f")
	if st.N < runs {
		m += fmt.Sprintf(" (%d of %d runs)", st.N, runs)
	}
	return m
}

// errWriter remembers the first write error so that a sequence of prints
// needs one check.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
