package output

import (
	"testing"

	"github.com/triad-sim/triad/sim"
)

// TestCatalogueDescribesEveryMetric holds the catalogue whole: every
// figure sim reports is in it once, every figure a chart or table shows
// has the words that chart or table needs, and the rest are counts.
func TestCatalogueDescribesEveryMetric(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range catalogue {
		if seen[m.Name] {
			t.Errorf("%s is in the catalogue twice", m.Name)
		}
		seen[m.Name] = true
		if m.Label == "" || m.Floor <= 0 {
			t.Errorf("%s: got label %q, floor %v; want a label and a positive floor", m.Name, m.Label, m.Floor)
		}
		if (m.Kind == KindSteps) != (m.Unit == "steps") {
			t.Errorf("%s: kind %v with unit %q; want steps and only steps in steps", m.Name, m.Kind, m.Unit)
		}
		if m.Fallback != "" && Metric(m.Fallback).Name != m.Fallback {
			t.Errorf("%s falls back to %s, which the catalogue lacks", m.Name, m.Fallback)
		}
	}
	for _, name := range []string{
		sim.MetricDiscovered, sim.MetricCommercialized, sim.MetricCommercialShare, sim.MetricLost,
		sim.MetricFinalAdoption, sim.MetricAdoptionAt24, sim.MetricAdoptionAt60, sim.MetricT50,
		sim.MetricT50KM, sim.MetricReached50, sim.MetricCommercialRate, sim.MetricLagMedian,
	} {
		if !seen[name] {
			t.Errorf("sim's %s is not in the catalogue", name)
		}
	}
	for _, name := range SweepFigures {
		if m := Metric(name); m.Title == "" || m.Axis == "" || m.ChartTitle() == "" {
			t.Errorf("sweep figure %s: got title %q, axis %q; want both", name, m.Title, m.Axis)
		}
	}
	t.Run("a transfer is a count labelled by its name", func(t *testing.T) {
		m := Metric(sim.MetricTransferToPrefix + "gba")
		if m.Kind != KindCount || m.Label != "transfer to gba" || m.HeadingLabel() != "transfer to gba" {
			t.Errorf("got %+v, want a count labelled \"transfer to gba\"", m)
		}
	})
	t.Run("a heading falls back to the label and its unit", func(t *testing.T) {
		if got, want := Metric(sim.MetricT50).HeadingLabel(), "t50 (steps)"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
		if got, want := Metric(sim.MetricAdoptionAt24).HeadingLabel(), "adoption 24 steps after launch (% of firms)"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}
