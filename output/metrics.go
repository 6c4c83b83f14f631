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

// MetricInfo describes one per-run metric for tables, charts and checks.
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
}

// catalogue lists the metrics triad knows, in the order compare reports
// the headline ones. Metrics not listed (a new one of sim, transfer_to_*)
// get a description from their name (see Metric).
var catalogue = []MetricInfo{
	{sim.MetricT50, "t50", "steps", KindSteps, 1, 1, true},
	{sim.MetricReached50, "reached 50% share", "", KindShare, 3, 0.01, true},
	{"adoption_at_24", "adoption at 24 steps", "", KindShare, 3, 0.01, true},
	{sim.MetricCommercialShare, "commercialized share", "", KindShare, 3, 0.01, true},
	{sim.MetricLagMedian, "median lag", "steps", KindSteps, 1, 1, true},
	{"adoption_at_60", "adoption at 60 steps", "", KindShare, 3, 0.01, false},
	{"t50_km", "t50 (Kaplan–Meier)", "steps", KindSteps, 1, 1, false},
	{"commercialization_rate", "commercialization rate", "", KindShare, 3, 0.01, false},
	{sim.MetricFinalAdoption, "final adoption", "", KindShare, 3, 0.01, false},
	{sim.MetricDiscovered, "discovered", "", KindCount, 1, 1, false},
	{sim.MetricCommercialized, "commercialized", "", KindCount, 1, 1, false},
	{sim.MetricLost, "lost", "", KindCount, 1, 1, false},
}

// Metric returns the description of a metric. A name not in the catalogue
// is described from its form: "..._share", "..._rate" and "adoption..."
// are shares, "t50..." and "lag..." times in steps, anything else (such as
// transfer_to_gba) a count; its label is the name with spaces.
func Metric(name string) MetricInfo {
	for _, m := range catalogue {
		if m.Name == name {
			return m
		}
	}
	m := MetricInfo{Name: name, Label: strings.ReplaceAll(name, "_", " "), Kind: KindCount, Decimals: 1, Floor: 1}
	switch {
	case strings.HasSuffix(name, "_share") || strings.HasSuffix(name, "_rate") || strings.HasPrefix(name, "adoption"):
		m.Kind, m.Decimals, m.Floor = KindShare, 3, 0.01
	case strings.HasPrefix(name, "t50") || strings.HasPrefix(name, "lag"):
		m.Kind, m.Unit = KindSteps, "steps"
	}
	return m
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
