package output

import (
	"fmt"
	"io"
	"math"
	"text/tabwriter"

	"triad/sim"
)

// Headline writes a short table for the terminal: per region its role, the
// mean breakthroughs discovered and commercialized (with the region's share
// of all commercialization), the diffusion time t50 and the final adoption
// share, each "± half-width of the 95 % confidence interval"; then the
// median lab-to-market lag. s is the Summary of res. A figure that does not
// exist is shown as "-", and the "±" is left out when there are too few
// runs for an interval; t50 says in how many runs it exists when not in all.
func Headline(w io.Writer, res *sim.Result, s Summary) error {
	runs := len(sortedRuns(res.Runs))
	name := res.Config.Name
	if name == "" {
		name = "scenario"
	}
	bw := &errWriter{w: w}
	fmt.Fprintf(bw, "%s: %s, %d steps\n\n", name, runsNote(runs), res.Config.Steps)
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "region\trole\tdiscovered\tcommercialized\tt50 (steps)\tfinal adoption")
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", id, role,
			fmtMean(get(sim.MetricDiscovered), "%.1f"),
			comm,
			fmtT50(get(sim.MetricT50), runs),
			fmtPM(get(sim.MetricFinalAdoption), "%.3f"),
		)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write headline: %w", err)
	}
	lag, _ := s.Get(sim.MetricLagMedian, "")
	fmt.Fprintf(bw, "\nmedian lab-to-market lag: %s steps (mean over runs of each run's median)\n", fmtPM(lag, "%.1f"))
	if bw.err != nil {
		return fmt.Errorf("write headline: %w", bw.err)
	}
	return nil
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
