package chart

import (
	"bytes"
	"strings"
	"testing"
)

// TestOptimizeDrawings renders each chart of an optimization as SVG and
// PNG, and refuses one with nothing to draw.
func TestOptimizeDrawings(t *testing.T) {
	rounds := []OptimizeRound{{Runs: 40, Means: []float64{3, 2.5, 4}, Best: 2.5}, {Runs: 60, Means: []float64{2.4, 2.6}, Best: 2.4}}
	allocs := []OptimizeAllocation{{Label: "#3", Shares: []float64{0.6, 0.4}}, {Label: "#5", Shares: []float64{0.5, 0.5}}}
	front := []OptimizePoint{{Label: "#3", X: 1, XLo: 0.9, XHi: 1.1, Y: 5, YLo: 4, YHi: 6}, {Label: "#5", X: 1.2, XLo: 1, XHi: 1.4, Y: 6, YLo: 5, YHi: 7}}
	base := OptimizePoint{Label: "as it is", X: 2, XLo: 1.8, XHi: 2.2, Y: 3, YLo: 2, YHi: 4}
	for _, c := range []struct {
		d    Drawing
		want string
	}{
		{OptimizeProgressDrawing("optimize-progress", "t50", rounds), "candidates"},
		{OptimizeAllocationDrawing("optimize-allocation", []string{"reach", "pull"}, allocs), "pull"},
		{OptimizeFrontDrawing("optimize-front", "t50", "adoption", front, base), "as it is"},
	} {
		for _, ext := range []string{"svg", "png"} {
			var b bytes.Buffer
			if err := c.d.Write(&b, ext); err != nil {
				t.Fatalf("%s.%s: %v", c.d.Name, ext, err)
			}
			if ext == "svg" && !strings.Contains(b.String(), c.want) {
				t.Errorf("%s.svg lacks %q", c.d.Name, c.want)
			}
		}
	}
	for _, d := range []Drawing{
		OptimizeProgressDrawing("p", "t50", nil),
		OptimizeAllocationDrawing("a", []string{"reach"}, nil),
		OptimizeFrontDrawing("f", "x", "y", nil, base),
	} {
		if err := d.Write(&bytes.Buffer{}, "svg"); err == nil {
			t.Errorf("%s with nothing to draw: got no error", d.Name)
		}
	}
}
