package output

import (
	"fmt"
	"math"
	"regexp"
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
	{Name: sim.MetricReached50, Label: "reached 50 %", Kind: KindShare, Decimals: 3, Floor: 0.01, Headline: true,
		Heading: "products reaching 50 % (% of products)", PointsTitle: "Products reaching 50 % adoption (%)"},
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
	{Name: sim.MetricT50KM, Label: "t50 all (KM)", Unit: "steps", Kind: KindSteps, Decimals: 1, Floor: 1,
		Heading: "t50, all products (Kaplan–Meier, steps)"},
	{Name: sim.MetricCommercialRate, Label: "commercialization rate", Kind: KindShare, Decimals: 3, Floor: 0.01,
		Heading: "settled breakthroughs commercialized (%)"},
	{Name: sim.MetricFinalAdoption, Label: "final adoption", Kind: KindShare, Decimals: 3, Floor: 0.01,
		Heading: "adoption at the last step, over products of every age (% of firms)"},
	{Name: sim.MetricDiscovered, Label: "discovered", Kind: KindCount, Decimals: 1, Floor: 1, Heading: "breakthroughs discovered"},
	{Name: sim.MetricCommercialized, Label: "commercialized", Kind: KindCount, Decimals: 1, Floor: 1, Heading: "products commercialized"},
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

// TableLabel is the label with its unit in brackets, for table heads:
// "t50 (steps)", "t50 all (KM, steps)". Shares have none: their numbers
// carry a % sign.
func (m MetricInfo) TableLabel() string {
	switch {
	case m.Unit == "":
		return m.Label
	case strings.HasSuffix(m.Label, ")"):
		return m.Label[:len(m.Label)-1] + ", " + m.Unit + ")"
	}
	return m.Label + " (" + m.Unit + ")"
}

// FormatPM formats a figure for the terminal's tables as "mean ± half
// the 95 % interval": a share in percent ("45.8% ± 6.4"), anything else
// with the metric's decimals ("50.2 ± 0.8"); "-" when it does not exist,
// and without the "±" part when there is no interval.
func (m MetricInfo) FormatPM(st Stat) string {
	scale, verb := m.shown()
	st = st.scaled(scale)
	if math.IsNaN(st.Mean) {
		return "-"
	}
	s := fmt.Sprintf(verb, st.Mean)
	if m.Kind == KindShare {
		s += "%"
	}
	if h := st.HalfWidth(); !math.IsNaN(h) {
		s += " ± " + fmt.Sprintf(verb, h)
	}
	return s
}

// Units names a step in words, in the singular and the plural: "step" and
// "steps" unless the scenario says (sim.Config.StepUnit).
type Units struct{ One, Many string }

// StepUnits are the units of a scenario that does not name its step.
var StepUnits = Units{"step", "steps"}

// UnitsOf returns the units of cfg's steps.
func UnitsOf(cfg *sim.Config) Units {
	one, many := cfg.Units()
	return Units{one, many}
}

// stepWord matches the words step and steps in the catalogue's texts.
var stepWord = regexp.MustCompile(`\bsteps?\b`)

// In returns m with its texts counting time in u: "24 steps" becomes
// "24 months" for a scenario whose step is a month. The zero Units
// leave m as it is.
func (m MetricInfo) In(u Units) MetricInfo {
	if u.One == "" || u == StepUnits {
		return m
	}
	word := func(w string) string {
		if w == "step" {
			return u.One
		}
		return u.Many
	}
	for _, f := range []*string{&m.Label, &m.Unit, &m.Heading, &m.Title, &m.PlotTitle, &m.Axis, &m.PointsTitle} {
		*f = stepWord.ReplaceAllStringFunc(*f, word)
	}
	return m
}

// Scale is the factor from a metric's values to the numbers tables show:
// 100 for a share (shown in percent), else 1.
func (m MetricInfo) Scale() float64 {
	if m.Kind == KindShare {
		return 100
	}
	return 1
}

// shown returns how tables show the metric's numbers: the factor from its
// values (100 for a share, shown in percent with one decimal) and the
// printf verb.
func (m MetricInfo) shown() (scale float64, verb string) {
	if m.Kind == KindShare {
		return 100, "%.1f"
	}
	return 1, m.verb()
}

// verb is the printf verb of the metric's numbers.
func (m MetricInfo) verb() string { return "%." + string(rune('0'+m.Decimals)) + "f" }
