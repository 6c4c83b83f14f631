package output

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/triad-sim/triad/sim"
)

// SensitivityChart is one chart of a sensitivity analysis: its file name
// (without extension), its height and a function that draws it (a plot
// is drawn once per format, so it is made anew each time).
type SensitivityChart struct {
	Name   string
	Height vg.Length
	Make   func() (*plot.Plot, error)
}

// figureRows are the rows of one figure of a sensitivity analysis.
type figureRows struct {
	Metric, Region string
	// Index[name][param] is the estimate of an index for each parameter,
	// in the order of SensitivityResult.Params.
	Index map[string][]Estimate
}

// figures groups r's rows by figure, in the order of the rows.
func (r SensitivityResult) figures() []figureRows {
	at := map[string]int{}
	for i, p := range r.Params {
		at[p.Path] = i
	}
	var out []figureRows
	for _, row := range r.Rows {
		if n := len(out); n == 0 || out[n-1].Metric != row.Metric || out[n-1].Region != row.Region {
			out = append(out, figureRows{Metric: row.Metric, Region: row.Region, Index: map[string][]Estimate{}})
		}
		f := &out[len(out)-1]
		es := f.Index[row.Index]
		if es == nil {
			es = make([]Estimate, len(r.Params))
			for i := range es {
				es[i] = Estimate{math.NaN(), math.NaN(), math.NaN()}
			}
			f.Index[row.Index] = es
		}
		es[at[row.Param]] = row.Estimate
	}
	return out
}

// SensitivityCharts returns a chart per analysed figure of r: for Morris,
// σ against μ* of every parameter, the five largest named, with μ*'s 95 % interval as a
// whisker and the line σ = μ* (above it a parameter's effect depends
// more on the others than it adds on average); for Sobol, S1 and ST of
// every parameter as bars with their 95 % intervals. Files are named
// sensitivity-METRIC or sensitivity-METRIC-REGION.
func SensitivityCharts(cfg *sim.Config, r SensitivityResult) []SensitivityChart {
	var out []SensitivityChart
	for _, f := range r.figures() {
		name := "sensitivity-" + f.Metric
		what := Metric(f.Metric).Label
		if f.Region != "" {
			name += "-" + f.Region
			what += " of " + regionLabel(cfg, regionIndex(cfg, f.Region), f.Region)
		}
		if r.Method == sim.DesignSobol {
			h := max(ChartHeight, vg.Length(len(r.Params))*1.2*vg.Centimeter+4*vg.Centimeter)
			out = append(out, SensitivityChart{name, h, func() (*plot.Plot, error) { return sobolChart(r, f, what, h) }})
			continue
		}
		out = append(out, SensitivityChart{name, ChartHeight, func() (*plot.Plot, error) { return morrisChart(r, f, what) }})
	}
	return out
}

// regionIndex returns the index of region id in cfg, or -1.
func regionIndex(cfg *sim.Config, id string) int {
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
	MuStar, Sigma []Estimate
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
func morrisSeries(r SensitivityResult, f figureRows) morrisPoints {
	var m morrisPoints
	for i, p := range r.Params {
		ms, sd := f.Index[IndexMuStar][i], f.Index[IndexSigma][i]
		if math.IsNaN(ms.Value) || math.IsNaN(sd.Value) {
			continue
		}
		m.MuStar, m.Sigma, m.Labels = append(m.MuStar, ms), append(m.Sigma, sd), append(m.Labels, p.Path)
	}
	return m
}

func morrisChart(r SensitivityResult, f figureRows, what string) (*plot.Plot, error) {
	unit := Metric(f.Metric).Unit
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
	Est   []Estimate
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

func sobolChart(r SensitivityResult, f figureRows, what string, height vg.Length) (*plot.Plot, error) {
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
		{IndexS1, "S1 (alone)", 0.18, color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}},
		{IndexST, "ST (with interactions)", -0.18, color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}},
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
