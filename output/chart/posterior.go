package chart

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Posterior describes one fitted parameter's posterior for PosteriorChart:
// the particles' values and weights, the prior range and the summary that
// triad fit reports.
type Posterior struct {
	Label            string
	Values, Weights  []float64
	Lo, Hi           float64 // the prior range, the chart's x axis
	Mean, CILo, CIHi float64
}

// PosteriorChart draws a parameter's posterior as a weighted histogram of
// its particles (20 bins, area one) over the prior range, with dashed
// lines at the mean and the ends of the 95 % interval.
func PosteriorChart(post Posterior) (*plot.Plot, error) {
	if len(post.Values) == 0 || len(post.Values) != len(post.Weights) {
		return nil, fmt.Errorf("posterior of %s: %d values and %d weights", post.Label, len(post.Values), len(post.Weights))
	}
	xys := make(plotter.XYs, len(post.Values))
	for i, v := range post.Values {
		xys[i] = plotter.XY{X: v, Y: post.Weights[i]}
	}
	h, err := plotter.NewHistogram(xys, 20)
	if err != nil {
		return nil, err
	}
	h.Normalize(1)
	top := 0.0
	for _, b := range h.Bins {
		top = max(top, b.Weight)
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("posterior of %s: %.3g [%.3g, %.3g]", post.Label, post.Mean, post.CILo, post.CIHi)
	p.X.Label.Text = post.Label
	p.Y.Label.Text = "density"
	p.X.Min, p.X.Max = post.Lo, post.Hi
	p.Add(h)
	for _, x := range []float64{post.CILo, post.Mean, post.CIHi} {
		l, err := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: top}})
		if err != nil {
			return nil, err
		}
		l.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
		p.Add(l)
	}
	return p, nil
}
