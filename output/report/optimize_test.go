package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/triad-sim/triad/output/chart"
)

// TestOptimizeSection: an optimization's section holds its lede, answer,
// table and notes, and its charts (named optimize-*) move from the
// general charts into it, titled.
func TestOptimizeSection(t *testing.T) {
	draw := func(d chart.Drawing) []byte {
		var b bytes.Buffer
		if err := d.Write(&b, "svg"); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	d := Data{
		Version: "test",
		Optimize: &Optimize{
			Lede:   "How to share a budget of 10.",
			Answer: "Chosen: reach 60 %, pull 40 %.",
			Head:   []string{"allocation", "reach", "pull", "effect"},
			Rows:   [][]string{{"as it is", "0 → 0.2", "0 → 1", "—"}, {"#3 (best)", "6 → 0.5", "4 → 1.8", "+0.1 [+0.05, +0.15]"}},
			Notes:  []string{"A note on the method."},
		},
		Plots: []Plot{{Name: "optimize-allocation", SVG: draw(chart.OptimizeAllocationDrawing("optimize-allocation", []string{"reach", "pull"},
			[]chart.OptimizeAllocation{{Label: "#3", Shares: []float64{0.6, 0.4}}}))}},
	}
	var b bytes.Buffer
	if err := Write(&b, d); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	section := page[strings.Index(page, `<section id="optimize"`):]
	section = section[:strings.Index(section, "</section>")]
	for _, want := range []string{"Which allocation of the budget?", "How to share a budget of 10.", "Chosen: reach 60 %, pull 40 %.",
		"<th class=\"l\">allocation</th>", "#3 (best)", "A note on the method.", `id="plot-optimize-allocation"`, "How the re-run allocations share the budget"} {
		if !strings.Contains(section, want) {
			t.Errorf("the optimization's section lacks %q", want)
		}
	}
	if strings.Count(page, `id="plot-optimize-allocation"`) != 1 {
		t.Errorf("the allocation chart is on the page %d times, want once, in the section", strings.Count(page, `id="plot-optimize-allocation"`))
	}
	if !strings.Contains(page, `href="#optimize"`) {
		t.Error("the page's navigation does not link the optimization")
	}
}
