package output

import (
	"strings"

	"github.com/triad-sim/triad/sim"
)

// Kind is what a metric's numbers are, which decides how they are written
// and how far they may move by default in a check.
type Kind int

const (
	// KindCount is a number of things per run (breakthroughs, transfers).
	KindCount Kind = iota
	// KindShare is a share in [0, 1].
	KindShare
	// KindSteps is a time in steps.
	KindSteps
)

// MetricInfo describes one per-run metric: every piece of per-metric
// knowledge of tables, charts, the report and checks comes from here.
type MetricInfo struct {
	Name string
	// Label names the metric in tables and charts, Unit its unit ("" for
	// counts and shares).
	Label, Unit string
	Kind        Kind
	// Decimals is the number of decimals in the terminal.
	Decimals int
	// Floor is the smallest move a check treats as a change when the
	// baseline has (almost) no spread: one step, one innovation, one
	// percentage point.
	Floor float64
	// Headline marks the figures compare reports by default.
	Headline bool
	// Fallback is the figure compare reports by default instead of this
	// one when no run has a value of it ("" for none).
	Fallback string
	// ByAccelerator marks a figure that compare and the sweep charts show,
	// by default, for the regions of RoleAccelerator only (every region
	// when none has it).
	ByAccelerator bool
	// Heading names the figure, with its unit, in the report's comparison
	// table ("" for TableLabel).
	Heading string
	// Title names the figure in the report's chart titles, PlotTitle in
	// the charts' own ("" for Title), Axis on a chart's vertical axis, and
	// PointsTitle over the report's table of a sweep's points.
	Title, PlotTitle, Axis, PointsTitle string
}

// catalogue lists the metrics triad knows, in the order compare reports
// the headline ones. The transfer_to_ metrics, and metrics not listed (a
// new one of sim), are counts described from their name (see Metric).
var catalogue = []MetricInfo{
	{Name: sim.MetricT50, Label: "t50", Unit: "steps", Kind: KindSteps, Decimals: 1, Floor: 1, Headline: true,
		Title: "Time to 50 % adoption", PlotTitle: "Time to 50% adoption (t50)", Axis: "t50 (steps from commercialization)",
		PointsTitle: "Time to 50 % adoption (t50, steps, among products that got there)"},
	{Name: sim.MetricReached50, Label: "reached 50% share", Kind: KindShare, Decimals: 3, Floor: 0.01, Headline: true,
		Heading: "innovations reaching 50 % (%)", PointsTitle: "Products reaching 50 % adoption (%)"},
	{Name: sim.MetricAdoptionAt24, Label: "adoption at 24 steps", Kind: KindShare, Decimals: 3, Floor: 0.01, Headline: true,
		Fallback: sim.MetricFinalAdoption, Heading: "adoption 24 steps after launch (% of firms)",
		Title: "Adoption 24 steps after launch", Axis: "adoption share 24 steps after launch",
		PointsTitle: "Adoption 24 steps after launch (% of firms)"},
	{Name: sim.MetricCommercialShare, Label: "commercialized share", Kind: KindShare, Decimals: 3, Floor: 0.01, Headline: true,
		ByAccelerator: true, Heading: "share of commercialization (%)",
		Title: "Share of commercialization", Axis: "share of all commercialization",
		PointsTitle: "Share of commercialization (%)"},
	{Name: sim.MetricLagMedian, Label: "median lag", Unit: "steps", Kind: KindSteps, Decimals: 1, Floor: 1, Headline: true},
	{Name: sim.MetricAdoptionAt60, Label: "adoption at 60 steps", Kind: KindShare, Decimals: 3, Floor: 0.01,
		Heading: "adoption 60 steps after launch (% of firms)"},
	{Name: sim.MetricT50KM, Label: "t50 (Kaplan–Meier)", Unit: "steps", Kind: KindSteps, Decimals: 1, Floor: 1},
	{Name: sim.MetricCommercialRate, Label: "commercialization rate", Kind: KindShare, Decimals: 3, Floor: 0.01,
		Heading: "settled breakthroughs commercialized (%)"},
	{Name: sim.MetricFinalAdoption, Label: "final adoption", Kind: KindShare, Decimals: 3, Floor: 0.01,
		Heading: "adoption at the last step, over products of every age (% of firms)"},
	{Name: sim.MetricDiscovered, Label: "discovered", Kind: KindCount, Decimals: 1, Floor: 1},
	{Name: sim.MetricCommercialized, Label: "commercialized", Kind: KindCount, Decimals: 1, Floor: 1},
	{Name: sim.MetricLost, Label: "lost", Kind: KindCount, Decimals: 1, Floor: 1},
}

// Metric returns the description of a metric. A name not in the catalogue
// (transfer_to_gba, or a metric of a newer sim) is a count, labelled with
// its name in words.
func Metric(name string) MetricInfo {
	for _, m := range catalogue {
		if m.Name == name {
			return m
		}
	}
	return MetricInfo{Name: name, Label: strings.ReplaceAll(name, "_", " "), Kind: KindCount, Decimals: 1, Floor: 1}
}

// HeadingLabel is Heading, or TableLabel when the metric has none.
func (m MetricInfo) HeadingLabel() string {
	if m.Heading != "" {
		return m.Heading
	}
	return m.TableLabel()
}

// ChartTitle is PlotTitle, or Title when the metric has none.
func (m MetricInfo) ChartTitle() string {
	if m.PlotTitle != "" {
		return m.PlotTitle
	}
	return m.Title
}

// TableLabel is the label with its unit in brackets, for table heads.
func (m MetricInfo) TableLabel() string {
	if m.Unit == "" {
		return m.Label
	}
	return m.Label + " (" + m.Unit + ")"
}

// verb is the printf verb of the metric's numbers.
func (m MetricInfo) verb() string { return "%." + string(rune('0'+m.Decimals)) + "f" }
