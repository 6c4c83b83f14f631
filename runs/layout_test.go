package runs

import (
	"testing"

	"github.com/triad-sim/triad/output/report"
	"github.com/triad-sim/triad/sim"
)

func TestPlotOfTellsTheReportWhatEachChartIs(t *testing.T) {
	for _, tt := range []struct {
		name string
		want report.Plot
	}{
		{"adoption", report.Plot{Kind: report.Adoption}},
		{"pipeline", report.Plot{Kind: report.Pipeline}},
		{"transfer", report.Plot{Kind: report.Transfer}},
		{pointChartName(7), report.Plot{Kind: report.PointAdoption, Point: 7}},
		{"p12-adoption", report.Plot{Kind: report.PointAdoption, Point: 12}},
		{"p-1-adoption", report.Plot{Kind: report.Other}},
		{"p+1-adoption", report.Plot{Kind: report.Other}},
		{"sweep-" + sim.MetricT50 + "-regions.gba.p", report.Plot{Kind: report.SweepFigure, Metric: sim.MetricT50, Path: "regions.gba.p"}},
		{"sweep-" + sim.MetricCommercialShare + "-diffusion.q", report.Plot{Kind: report.SweepFigure, Metric: sim.MetricCommercialShare, Path: "diffusion.q"}},
		{"sweep-unknown-x", report.Plot{Kind: report.SweepFigure}},
		{"compare", report.Plot{Kind: report.CompareCurves}},
		{"compare-diff", report.Plot{Kind: report.CompareDiff}},
		{"compare-effects", report.Plot{Kind: report.CompareEffects}},
		{"compare-old", report.Plot{Kind: report.CompareCurves}},
		{"mine", report.Plot{Kind: report.Other}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := plotOf(tt.name)
			tt.want.Name = tt.name
			if got.Kind != tt.want.Kind || got.Name != tt.want.Name || got.Point != tt.want.Point || got.Metric != tt.want.Metric || got.Path != tt.want.Path {
				t.Errorf("plotOf(%q) = %+v, want %+v", tt.name, got, tt.want)
			}
		})
	}
}
