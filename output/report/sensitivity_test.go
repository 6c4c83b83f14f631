package report

import (
	"bytes"
	"testing"

	"gonum.org/v1/plot"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/output/chart"
	"github.com/triad-sim/triad/output/internal/fixture"
	"github.com/triad-sim/triad/sim"
)

// TestReportSensitivitySection checks that the report says in words which
// parameters drive each figure, lists what was censored, and titles each
// sensitivity chart by its figure and region in the section.
func TestReportSensitivitySection(t *testing.T) {
	r, err := output.ReadSensitivityJSON(bytes.NewReader(fixture.MorrisJSON))
	if err != nil {
		t.Fatal(err)
	}
	cfg := &sim.Config{Name: "toy", Regions: []sim.Region{{ID: "src", Name: "Source Hub"}, {ID: "acc", Name: "Accelerator Hub"}}}
	var svg []byte
	for _, d := range chart.SensitivityDrawings(cfg, r)[:1] {
		var b bytes.Buffer
		if err := d.Write(&b, "svg"); err != nil {
			t.Fatal(err)
		}
		svg = b.Bytes()
	}
	for _, tt := range []struct {
		method string
		title  string
	}{
		{sim.DesignMorris, "What moves t50 of Source Hub"},
		{sim.DesignSobol, "What explains the variance of t50 of Source Hub"},
	} {
		t.Run(tt.method, func(t *testing.T) {
			r := r
			r.Method = tt.method
			page := renderReport(t, Data{Scenario: cfg, Sensitivity: &r, Plots: []Plot{
				{Kind: SensitivityFigure, Name: "sensitivity-t50-src", Metric: "t50", Region: "src", SVG: svg},
				{Kind: Adoption, Name: "adoption", SVG: svgOf(t, func() (*plot.Plot, error) { return plot.New(), nil })},
			}})
			mustContain(t, page,
				`<section id="sensitivity"`, "Which assumption drives the answer?",
				`<figure id="plot-sensitivity-t50-src">`, "<strong>"+tt.title+"</strong>",
				"t50 of Accelerator Hub was not reached at 2 of 40 points",
				"diffusion.q from 0.1 to 0.4",
			)
			if tt.method == sim.DesignMorris {
				mustContain(t, page, "t50 of Source Hub: driven by diffusion.q (μ* 40.0 steps) and links.src-acc.friction (12.0)")
			}
		})
	}
}

// TestReportSensitivityChartsWithoutAnalysis checks that a sensitivity
// chart given without its analysis is still shown, with the run's charts.
func TestReportSensitivityChartsWithoutAnalysis(t *testing.T) {
	page := renderReport(t, Data{Plots: []Plot{
		{Kind: SensitivityFigure, Name: "sensitivity-t50", Metric: "t50", SVG: svgOf(t, func() (*plot.Plot, error) { return plot.New(), nil })},
	}})
	mustContain(t, page, `<figure id="plot-sensitivity-t50">`)
	if bytes.Contains([]byte(page), []byte(`<section id="sensitivity"`)) {
		t.Error("the page has a sensitivity section without an analysis")
	}
}
