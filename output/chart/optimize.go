package chart

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/triad-sim/triad/output"
)

// OptimizeRound is one round of an optimization's search for
// OptimizeProgressDrawing: the runs the search had used once it was done,
// every candidate's mean over the round's replications, and the round's
// best.
type OptimizeRound struct {
	Runs  float64
	Means []float64
	Best  float64
}

// OptimizeAllocation is one allocation for OptimizeAllocationDrawing: its
// label and each lever's share of the budget.
type OptimizeAllocation struct {
	Label  string
	Shares []float64
}

// OptimizePoint is one allocation on a Pareto front for
// OptimizeFrontDrawing: its two objectives' means with their 95 %
// intervals.
type OptimizePoint struct {
	Label       string
	X, XLo, XHi float64
	Y, YLo, YHi float64
}

// OptimizeProgressDrawing draws the search's progress: each round's
// candidates as dots at the runs used so far, the best of each round as a
// line.
func OptimizeProgressDrawing(name, objective string, rounds []OptimizeRound) Drawing {
	return drawing(name, func() (*plot.Plot, error) {
		if len(rounds) == 0 {
			return nil, fmt.Errorf("no rounds")
		}
		p := newPlot("The search: "+objective+" by round", "runs used by the search", objective)
		addGrid(p)
		var dots, best plotter.XYs
		for _, r := range rounds {
			for _, m := range r.Means {
				if finite(m) {
					dots = append(dots, plotter.XY{X: r.Runs, Y: m})
				}
			}
			if finite(r.Best) {
				best = append(best, plotter.XY{X: r.Runs, Y: r.Best})
			}
		}
		s, err := plotter.NewScatter(dots)
		if err != nil {
			return nil, err
		}
		s.GlyphStyle = draw.GlyphStyle{Color: color.Gray{Y: 0x90}, Radius: vg.Points(1.5), Shape: draw.CircleGlyph{}}
		l, err := plotter.NewLine(best)
		if err != nil {
			return nil, err
		}
		l.LineStyle = lineStyle(0)
		p.Add(s, l)
		p.Legend.Add("candidates (mean over the round's runs)", s)
		p.Legend.Add("the round's best", l)
		p.Legend.Top = true
		return p, nil
	})
}

// OptimizeAllocationDrawing draws allocations as stacked bars: each bar
// one allocation, each colour a lever's share of the budget.
func OptimizeAllocationDrawing(name string, levers []string, allocs []OptimizeAllocation) Drawing {
	return drawing(name, func() (*plot.Plot, error) {
		if len(allocs) == 0 {
			return nil, fmt.Errorf("no allocations")
		}
		p := newPlot("How the best allocations share the budget", "", "share of the budget")
		w := vg.Points(min(40, 300/float64(len(allocs))))
		var below *plotter.BarChart
		labels := make([]string, len(allocs))
		for k, a := range allocs {
			labels[k] = a.Label
		}
		for i, lever := range levers {
			vals := make(plotter.Values, len(allocs))
			for k, a := range allocs {
				vals[k] = a.Shares[i]
			}
			b, err := plotter.NewBarChart(vals, w)
			if err != nil {
				return nil, err
			}
			b.Color = output.RegionColors[i%len(output.RegionColors)]
			b.LineStyle.Width = 0
			if below != nil {
				b.StackOn(below)
			}
			below = b
			p.Add(b)
			p.Legend.Add(lever, b)
		}
		p.NominalX(labels...)
		p.Y.Min, p.Y.Max = 0, 1+legendHeadroomFor(len(levers))
		p.Legend.Top = true
		return p, nil
	})
}

// legendHeadroomFor leaves room above the bars for a legend of n rows.
func legendHeadroomFor(n int) float64 { return float64(0.08 * float64(n)) }

// optimizePoints are the points of a front with their intervals.
type optimizePoints []OptimizePoint

func (o optimizePoints) Len() int                        { return len(o) }
func (o optimizePoints) XY(i int) (x, y float64)         { return o[i].X, o[i].Y }
func (o optimizePoints) XError(i int) (float64, float64) { return o[i].X - o[i].XLo, o[i].XHi - o[i].X }
func (o optimizePoints) YError(i int) (float64, float64) { return o[i].Y - o[i].YLo, o[i].YHi - o[i].Y }
func (o optimizePoints) Label(i int) string              { return o[i].Label }

// OptimizeFrontDrawing draws a Pareto front re-run on fresh seeds: each
// allocation at its two objectives' means with their 95 % intervals as
// error bars, and the scenario as it is.
func OptimizeFrontDrawing(name, xLabel, yLabel string, front []OptimizePoint, baseline OptimizePoint) Drawing {
	return drawing(name, func() (*plot.Plot, error) {
		if len(front) == 0 {
			return nil, fmt.Errorf("no front")
		}
		p := newPlot("The trade-off: the Pareto front on fresh runs", xLabel, yLabel)
		addGrid(p)
		for k, pts := range []optimizePoints{front, {baseline}} {
			s, err := plotter.NewScatter(pts)
			if err != nil {
				return nil, err
			}
			var c color.Color = output.RegionColors[0]
			if k == 1 {
				c = color.Gray{Y: 0x40}
			}
			s.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
			if k == 1 {
				s.GlyphStyle.Shape = draw.SquareGlyph{}
			}
			xe, err := plotter.NewXErrorBars(pts)
			if err != nil {
				return nil, err
			}
			ye, err := plotter.NewYErrorBars(pts)
			if err != nil {
				return nil, err
			}
			xe.Color, ye.Color = c, c
			lab, err := plotter.NewLabels(pts)
			if err != nil {
				return nil, err
			}
			p.Add(xe, ye, s, lab)
			if k == 0 {
				p.Legend.Add("front (fresh runs, 95 % intervals)", s)
			} else {
				p.Legend.Add("the scenario as it is", s)
			}
		}
		p.Legend.Top = true
		return p, nil
	})
}

func finite(v float64) bool { return v == v && v-v == 0 }
