package output

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/triad-sim/triad/sim"
)

// HeadlineFigures are the per-region figures of the headline table, in
// its order: the terminal, the report and the explorer show these, each
// labelled from the catalogue (Metric). The terminal shows the share of
// commercialization beside the number commercialized.
var HeadlineFigures = []string{sim.MetricDiscovered, sim.MetricCommercialized, sim.MetricCommercialShare,
	sim.MetricAdoptionAt24, sim.MetricT50, sim.MetricReached50, sim.MetricT50KM}

// HeadlineOverall are the whole-scenario figures under the headline table.
var HeadlineOverall = []string{sim.MetricLagMedian, sim.MetricCommercialRate}

// Headline writes a short table for the terminal: per region its role and
// the HeadlineFigures: the mean breakthroughs discovered and commercialized
// (with the region's share of all commercialization), the share of its
// firms that had adopted a product 24 steps after its launch (the headline
// figure of diffusion, fair whatever the number and age of products), the
// diffusion time t50 with the share of products that got to 50 %, and the
// Kaplan–Meier t50 that counts the others too; each "± half-width of the
// 95 % confidence interval", which a line under the table explains. Then
// the median lab-to-market lag and the commercialization rate of settled
// breakthroughs. s is the Summary of res. Times are in the scenario's
// step unit (months for a scenario with step_unit: month). A figure that
// does not exist is shown as "-", and the "±" is left out when there are
// too few runs for an interval; t50 says in how many runs it exists when
// not in all.
func Headline(w io.Writer, res *sim.Result, s Summary) error {
	runs := len(SortedRuns(res.Runs))
	name := res.Config.Name
	if name == "" {
		name = "scenario"
	}
	u := UnitsOf(&res.Config)
	bw := &errWriter{w: w}
	fmt.Fprintf(bw, "%s: %s, %d %s\n\n", name, RunsNote(runs), res.Config.Steps, u.Many)
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	head := []string{"region", "role"}
	for _, m := range HeadlineFigures {
		if m != sim.MetricCommercialShare {
			head = append(head, Metric(m).In(u).TableLabel())
		}
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for i, id := range res.Regions {
		role := "-"
		if i < len(res.Config.Regions) && res.Config.Regions[i].Role != "" {
			role = res.Config.Regions[i].Role
		}
		cells := []string{id, role}
		for _, m := range HeadlineFigures {
			st, _ := s.Get(m, id)
			switch m {
			case sim.MetricCommercialShare:
				continue
			case sim.MetricDiscovered:
				cells = append(cells, fmtMean(st, "%.1f"))
			case sim.MetricCommercialized:
				comm := fmtMean(st, "%.1f")
				if sh, _ := s.Get(sim.MetricCommercialShare, id); !math.IsNaN(sh.Mean) {
					comm += fmt.Sprintf(" (%.1f%%)", 100*sh.Mean)
				}
				cells = append(cells, comm)
			default:
				cell := Metric(m).FormatPM(st)
				if Metric(m).Kind == KindSteps && st.N < runs {
					cell += fmt.Sprintf(" (%d of %d runs)", st.N, runs)
				}
				cells = append(cells, cell)
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write headline: %w", err)
	}
	fmt.Fprintln(bw, PMNote(runs))
	lag, _ := s.Get(sim.MetricLagMedian, "")
	fmt.Fprintf(bw, "\nmedian lab-to-market lag: %s %s (mean over runs of each run's median)\n", fmtPM(lag, "%.1f"), u.Many)
	if rate, ok := s.Get(sim.MetricCommercialRate, ""); ok && !math.IsNaN(rate.Mean) {
		fmt.Fprintf(bw, "breakthroughs commercialized, of those whose fate is settled: %s\n", fmtPercent(rate))
	}
	a24, t50 := Metric(sim.MetricAdoptionAt24).In(u), Metric(sim.MetricT50KM).In(u)
	fmt.Fprintf(bw, "%s: share of firms using a product %s after its launch; t50: %s to 50 %%\n"+
		"among the products that got there (reached 50 %%); %s: Kaplan–Meier, counting the rest as not yet\n",
		a24.Label, strings.TrimPrefix(a24.Label, "adoption at "), u.Many, t50.Label)
	if bw.err != nil {
		return fmt.Errorf("write headline: %w", bw.err)
	}
	return nil
}

// PMNote is the line under a terminal table that says what its "±" is.
func PMNote(runs int) string {
	return fmt.Sprintf("± is half the 95 %% confidence interval of the mean over the %s (replications).", RunsNote(runs))
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

// maxSweepRows is the number of sweep points SweepHeadline shows; the
// others are in the folder's tables.
const maxSweepRows = 12

// SweepHeadline writes a sweep's headline figures per point for the
// terminal, one line per point and region: the swept values, then the
// SweepFigures, each as mean ± half the 95 % interval over the point's
// runs, labelled from the catalogue in the scenario's step unit. It shows
// the first maxSweepRows points and says how many more summary.csv holds.
// The table fits in 100 columns for one or two swept parameters.
func SweepHeadline(w io.Writer, cfg *sim.Config, ps []PointSummary) error {
	u := UnitsOf(cfg)
	paths := cfg.SweepPaths()
	bw := &errWriter{w: w}
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	head := append([]string{"point"}, paths...)
	head = append(head, "region")
	for _, m := range SweepFigures {
		head = append(head, Metric(m).In(u).TableLabel())
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	runs := 0
	for k, p := range ps {
		if k == maxSweepRows {
			break
		}
		runs = max(runs, p.Runs)
		for i, id := range cfg.RegionIDs() {
			cells := make([]string, 0, len(head))
			if i == 0 {
				cells = append(cells, strconv.Itoa(k))
				for _, v := range p.Point.Values {
					cells = append(cells, strconv.FormatFloat(v, 'g', 4, 64))
				}
			} else {
				cells = append(cells, make([]string, 1+len(paths))...)
			}
			cells = append(cells, id)
			for _, m := range SweepFigures {
				st, ok := p.Summary.Get(m, id)
				cell := "-"
				if ok {
					cell = Metric(m).FormatPM(st)
					if st.N < p.Runs {
						cell += fmt.Sprintf(" (%d/%d)", st.N, p.Runs)
					}
				}
				cells = append(cells, cell)
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write sweep headline: %w", err)
	}
	if len(ps) > maxSweepRows {
		fmt.Fprintf(bw, "... and %d more points, in summary.csv and points.csv\n", len(ps)-maxSweepRows)
	}
	fmt.Fprintln(bw, PMNote(runs))
	fmt.Fprintln(bw, "(k/n): the figure exists in k of the point's n runs.")
	if bw.err != nil {
		return fmt.Errorf("write sweep headline: %w", bw.err)
	}
	return nil
}
