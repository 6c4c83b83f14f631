package chart

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// SensitivityName names the chart of figure metric of region (""
// for the whole scenario) of a sensitivity analysis: sensitivity-METRIC or
// sensitivity-METRIC-REGION.
func SensitivityName(metric, region string) string {
	if region == "" {
		return "sensitivity-" + metric
	}
	return "sensitivity-" + metric + "-" + region
}

// SensitivityDrawings returns a chart per analysed figure of r, named by
// SensitivityName: for Morris, σ against μ* of every parameter, the five
// largest named, with μ*'s 95 % interval as a whisker and the line
// σ = μ* (above it a parameter's effect depends more on the others than
// it adds on average); for Sobol, S1 and ST of every parameter as bars
// with their 95 % intervals, as tall as the parameters need.
func SensitivityDrawings(cfg *sim.Config, r output.SensitivityResult) []Drawing {
	var out []Drawing
	for _, f := range r.Figures() {
		name := SensitivityName(f.Metric, f.Region)
		what := output.Metric(f.Metric).Label
		if f.Region != "" {
			label := f.Region
			if i := regionIndex(cfg, f.Region); i >= 0 {
				label = regionLabel(cfg, i, f.Region)
			}
			what += " of " + label
		}
		if r.Method == sim.DesignSobol {
			h := max(ChartHeight, vg.Length(vg.Length(len(r.Params))*1.2*vg.Centimeter)+4*vg.Centimeter)
			out = append(out, Drawing{Name: name, height: h, make: func() (*plot.Plot, error) { return sobolChart(r, f, what, h) }})
			continue
		}
		out = append(out, drawing(name, func() (*plot.Plot, error) { return morrisChart(r, f, what) }))
	}
	return out
}

// regionIndex returns the index of region id in cfg, or -1 (also when cfg
// is nil).
func regionIndex(cfg *sim.Config, id string) int {
	if cfg == nil {
		return -1
	}
	for i, r := range cfg.Regions {
		if r.ID == id {
			return i
		}
	}
	return -1
}

// maxMorrisLabels is the number of parameters a Morris chart names: those
// with the largest μ*.
const maxMorrisLabels = 5

// morrisPoints is the series of a Morris chart: μ* (x, with its
// interval) and σ (y) of every parameter, labelled with its path.
type morrisPoints struct {
	MuStar, Sigma []output.Estimate
	Labels        []string
}

func (m morrisPoints) Len() int                    { return len(m.MuStar) }
func (m morrisPoints) XY(i int) (float64, float64) { return m.MuStar[i].Value, m.Sigma[i].Value }
func (m morrisPoints) Label(i int) string          { return m.Labels[i] }

// XError returns the distances from μ* to the ends of its interval.
func (m morrisPoints) XError(i int) (float64, float64) {
	e := m.MuStar[i]
	if math.IsNaN(e.CILow) {
		return 0, 0
	}
	return e.Value - e.CILow, e.CIHigh - e.Value
}

// morrisSeries returns the points of a Morris chart, leaving out
// parameters whose μ* or σ is missing.
func morrisSeries(r output.SensitivityResult, f output.SensitivityFigure) morrisPoints {
	var m morrisPoints
	for i, p := range r.Params {
		ms, sd := f.Index[output.IndexMuStar][i], f.Index[output.IndexSigma][i]
		if math.IsNaN(ms.Value) || math.IsNaN(sd.Value) {
			continue
		}
		m.MuStar, m.Sigma, m.Labels = append(m.MuStar, ms), append(m.Sigma, sd), append(m.Labels, p.Path)
	}
	return m
}

func morrisChart(r output.SensitivityResult, f output.SensitivityFigure, what string) (*plot.Plot, error) {
	unit := output.Metric(f.Metric).Unit
	if unit == "" {
		unit = "per whole range"
	} else {
		unit += " per whole range"
	}
	p := newPlot(fmt.Sprintf("What moves %s (Morris, %d trajectories)", what, r.Samples),
		"μ*, mean absolute effect ("+unit+")", "σ, spread of the effect")
	addGrid(p)
	pts := morrisSeries(r, f)
	if pts.Len() == 0 {
		return p, nil
	}
	top := 0.0
	for i := range pts.Len() {
		x, y := pts.XY(i)
		_, hi := pts.XError(i)
		top = max(top, x+hi, y)
	}
	if top > 0 {
		diag, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: top, Y: top}})
		if err != nil {
			return nil, err
		}
		diag.Color = color.Gray{Y: 0x99}
		diag.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(diag)
		p.Legend.Add("σ = μ*", diag)
	}
	eb, err := plotter.NewXErrorBars(pts)
	if err != nil {
		return nil, err
	}
	eb.Color = color.Gray{Y: 0x66}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle.Shape = draw.CircleGlyph{}
	sc.GlyphStyle.Radius = vg.Points(3)
	sc.GlyphStyle.Color = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	// Only the leading parameters are named: the crowd near the origin
	// would print over itself, and sensitivity.csv names every one.
	named := pts
	named.Labels = make([]string, pts.Len())
	order := make([]int, pts.Len())
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return -cmpFloat(pts.MuStar[a].Value, pts.MuStar[b].Value) })
	for _, i := range order[:min(maxMorrisLabels, len(order))] {
		named.Labels[i] = pts.Labels[i]
	}
	labels, err := plotter.NewLabels(named)
	if err != nil {
		return nil, err
	}
	for i := range labels.TextStyle {
		labels.TextStyle[i].Font.Size = vg.Points(7)
		labels.TextStyle[i].XAlign = draw.XLeft
	}
	labels.Offset = vg.Point{X: vg.Points(4), Y: vg.Points(2)}
	p.Add(eb, sc, labels)
	p.X.Min, p.Y.Min = 0, 0
	p.X.Max = math.Max(p.X.Max, top) * 1.25
	p.Legend.Top = true
	p.Legend.Left = true
	return p, nil
}

// sobolBars is one index (S1 or ST) of every parameter, at category
// positions shifted by Shift, for bars and their whiskers.
type sobolBars struct {
	Est   []output.Estimate
	Shift float64
}

func (s sobolBars) Len() int { return len(s.Est) }
func (s sobolBars) Value(i int) float64 {
	if math.IsNaN(s.Est[i].Value) {
		return 0
	}
	return s.Est[i].Value
}
func (s sobolBars) XY(i int) (float64, float64) { return s.Value(i), float64(i) + s.Shift }

// XError returns the distances from the index to the ends of its interval.
func (s sobolBars) XError(i int) (float64, float64) {
	e := s.Est[i]
	if math.IsNaN(e.CILow) || math.IsNaN(e.Value) {
		return 0, 0
	}
	return e.Value - e.CILow, e.CIHigh - e.Value
}

func sobolChart(r output.SensitivityResult, f output.SensitivityFigure, what string, height vg.Length) (*plot.Plot, error) {
	p := newPlot(fmt.Sprintf("What explains the variance of %s (Sobol, N = %d)", what, r.Samples), "share of the variance", "")
	addGrid(p)
	names := make([]string, len(r.Params))
	for i, pr := range r.Params {
		names[i] = pr.Path
	}
	// The bars of a category take 0.7 of its height, split between S1 and ST.
	data := height - 4*vg.Centimeter
	width := data / vg.Length(len(names)+1) * 0.35
	for _, b := range []struct {
		index, label string
		shift        float64
		color        color.Color
	}{
		{output.IndexS1, "S1 (alone)", 0.18, color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}},
		{output.IndexST, "ST (with interactions)", -0.18, color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}},
	} {
		s := sobolBars{Est: f.Index[b.index], Shift: b.shift}
		if s.Est == nil {
			continue
		}
		bars, err := plotter.NewBarChart(s, width)
		if err != nil {
			return nil, err
		}
		bars.Horizontal = true
		bars.XMin = b.shift
		bars.Color = b.color
		bars.LineStyle.Width = 0
		eb, err := plotter.NewXErrorBars(s)
		if err != nil {
			return nil, err
		}
		p.Add(bars, eb)
		p.Legend.Add(b.label, bars)
	}
	p.NominalY(names...)
	p.X.Min = math.Min(0, p.X.Min)
	p.X.Max = math.Max(1, p.X.Max)
	p.Legend.Top = true
	return p, nil
}
