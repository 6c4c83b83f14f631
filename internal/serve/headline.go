package serve

import (
	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// headlineView is the headline table of `triad run` as the page shows it:
// the same figures, each cell with its mean and its 95 % interval as
// numbers, and each column with a tooltip that says what it measures.
type headlineView struct {
	Runs  int `json:"runs"`
	Steps int `json:"steps"`
	// Unit names the steps in words ("months"; "steps" by default).
	Unit    string         `json:"unit"`
	Columns []columnView   `json:"columns"`
	Rows    []headlineRow  `json:"rows"`
	Totals  []headlineCell `json:"totals"` // figures of the whole scenario
	// CI explains the intervals, once for the table.
	CI string `json:"ci"`
}

// columnView is a figure of the headline table: its metric (as in
// summary.csv), its label, whether it is a share (shown in percent) and
// what it means.
type columnView struct {
	Metric  string `json:"metric"`
	Label   string `json:"label"`
	Percent bool   `json:"percent"`
	Tip     string `json:"tip"`
}

type headlineRow struct {
	Region string         `json:"region"`
	Role   string         `json:"role"`
	Cells  []headlineCell `json:"cells"`
}

// headlineCell is a figure over the runs: its mean and 95 % interval
// (null when it does not exist or has one run), and the runs it exists
// in (t50 is missing in a run where no product reached 50 %).
type headlineCell struct {
	Metric string `json:"metric"`
	Label  string `json:"label,omitempty"`
	Tip    string `json:"tip,omitempty"`
	// Percent says that a total is a share (a row's cells take their
	// column's).
	Percent bool `json:"percent,omitempty"`
	Mean    num  `json:"mean"`
	Low     num  `json:"low"`
	High    num  `json:"high"`
	N       int  `json:"n"`
}

// figureTip is a figure of the headline table and what it means; its
// label, and whether it is a share, come from output's catalogue, as the
// terminal's table and the report take them.
type figureTip struct{ metric, tip string }

// headlineColumns are the columns of output.Headline, in its order.
var headlineColumns = []figureTip{
	{sim.MetricDiscovered, "breakthroughs made by the region's labs in a run (mean over the runs)"},
	{sim.MetricCommercialized, "innovations the region's firms turned into products in a run, wherever they were discovered"},
	{sim.MetricCommercialShare, "the region's part of all the products of the run"},
	{sim.MetricAdoptionAt24, "share of the region's firms using a product 24 steps after its launch, over the products that got that old"},
	{sim.MetricT50, "steps from a product's launch until half of the region's firms use it, over the products that got there (see reached 50 %); a run where none got there has no t50"},
	{sim.MetricReached50, "share of the products that half of the region's firms used before the run ended: the products t50 is measured on"},
	{sim.MetricT50KM, "median steps to 50 % adoption over all products, by the Kaplan–Meier estimator: a product still below 50 % at the end counts as 'not yet' (censored) instead of being left out, so slow regions are not flattered"},
}

// totalColumns are the figures of the whole scenario below the table.
var totalColumns = []figureTip{
	{sim.MetricLagMedian, "steps from a breakthrough to its product, the median of each run, averaged over the runs"},
	{sim.MetricCommercialRate, "share of the breakthroughs whose fate is settled (commercialized or lost) that became products"},
}

// column is the column of f in a scenario whose steps are u: the
// catalogue's label and kind, the tip counting time in u.
func (f figureTip) column(u output.Units) columnView {
	m := output.Metric(f.metric).In(u)
	tip := output.MetricInfo{Label: f.tip}.In(u).Label
	return columnView{Metric: f.metric, Label: m.TableLabel(), Percent: m.Kind == output.KindShare, Tip: tip}
}

// ciNote explains the intervals of every figure of the page.
const ciNote = "[low, high]: the 95 % confidence interval of the mean over the runs (Student's t); it narrows with more replications. A figure of one run has none."

func cellOf(st output.Stat) headlineCell {
	return headlineCell{Metric: st.Metric, Mean: num(st.Mean), Low: num(st.CILow), High: num(st.CIHigh), N: st.N}
}

// newHeadlineView returns the headline table of res, whose summary is s.
func newHeadlineView(res *sim.Result, s output.Summary) *headlineView {
	u := output.UnitsOf(&res.Config)
	v := &headlineView{Runs: len(output.SortedRuns(res.Runs)), Steps: res.Config.Steps, Unit: u.Many, CI: ciNote}
	for _, f := range headlineColumns {
		v.Columns = append(v.Columns, f.column(u))
	}
	for i, id := range res.Regions {
		row := headlineRow{Region: id}
		if i < len(res.Config.Regions) {
			row.Role = res.Config.Regions[i].Role
		}
		for _, c := range v.Columns {
			st, _ := s.Get(c.Metric, id)
			st.Metric = c.Metric
			row.Cells = append(row.Cells, cellOf(st))
		}
		v.Rows = append(v.Rows, row)
	}
	for _, f := range totalColumns {
		t := f.column(u)
		st, ok := s.Get(t.Metric, "")
		if !ok {
			continue
		}
		c := cellOf(st)
		c.Metric, c.Label, c.Tip, c.Percent = t.Metric, t.Label, t.Tip, t.Percent
		v.Totals = append(v.Totals, c)
	}
	return v
}
