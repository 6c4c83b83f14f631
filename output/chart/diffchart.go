package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/triad-sim/triad/output"
)

// DiffChart plots, for each set after the first and each region, the
// difference of the adoption share to the first set over time (see
// DiffBands): the mean difference as a line and its 95 % confidence
// interval (paired where the runs pair) as a shaded band, with a line at
// zero. A band that leaves zero is a difference the runs show; the policies
// of every set are marked. Colours stand for regions and dash patterns for
// the later sets. It returns an error when there are fewer than two sets,
// when a set has no finished run (wrapping ErrNoRuns) or when the sets'
// regions or steps differ.
func DiffChart(sets []output.RunSet) (*plot.Plot, error) {
	if len(sets) < 2 {
		return nil, errors.New("difference chart: need at least two sets")
	}
	if err := output.SameRegions(sets); err != nil {
		return nil, fmt.Errorf("difference chart: %w", err)
	}
	var tests []string
	all := make([][]output.Band, len(sets)-1)
	for j, s := range sets[1:] {
		if len(output.SortedRuns(s.Runs)) == 0 || len(output.SortedRuns(sets[0].Runs)) == 0 {
			return nil, fmt.Errorf("difference chart: %w", output.ErrNoRuns)
		}
		bands, pr := output.DiffBands(sets[0], s)
		if bands == nil {
			return nil, fmt.Errorf("difference chart: sets %q and %q have different steps", sets[0].Label, s.Label)
		}
		all[j] = bands
		test := "Welch"
		if pr.Paired {
			test = "paired"
		}
		if !slices.Contains(tests, test) {
			tests = append(tests, test)
		}
	}
	steps := all[0][0].Steps
	xMin, xMax := float64(steps[0]), float64(steps[len(steps)-1])
	p := newPlot(
		fmt.Sprintf("Adoption share: difference to %s\nmean and 95%% confidence band (%s)", sets[0].Label, strings.Join(tests, ", ")),
		output.UnitsOf(&sets[0].Config).One, "difference in adoption share")
	addGrid(p)
	nr := len(sets[0].Regions)
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(8), -vg.Points(4)
	addPolicyMarks(p, compareMarks(sets, xMin, xMax), func(c draw.Canvas, _ *plot.Plot) []vg.Rectangle {
		if b, ok := legendBox(c, &p.Legend); ok {
			return []vg.Rectangle{b}
		}
		return nil
	})
	zero, err := plotter.NewLine(plotter.XYs{{X: xMin, Y: 0}, {X: xMax, Y: 0}})
	if err != nil {
		return nil, fmt.Errorf("difference chart: %w", err)
	}
	zero.LineStyle = draw.LineStyle{Color: color.Gray{Y: 0x60}, Width: vg.Points(0.75)}
	p.Add(zero)
	lo, hi := 0.0, 0.0
	var lines []*plotter.Line
	for j, bands := range all {
		for r, b := range bands {
			ls := compareLine(r, j, nr)
			if nr == 1 {
				ls = lineStyle(j)
			}
			poly, err := plotter.NewPolygon(b.DiffEnvelope())
			if err != nil {
				return nil, fmt.Errorf("difference chart: region %s: %w", b.Region, err)
			}
			fill := color.NRGBAModel.Convert(ls.Color).(color.NRGBA)
			fill.A = 0x30
			poly.Color = fill
			poly.LineStyle.Width = 0
			p.Add(poly)
			l, err := plotter.NewLine(b)
			if err != nil {
				return nil, fmt.Errorf("difference chart: region %s: %w", b.Region, err)
			}
			l.LineStyle = ls
			lines = append(lines, l)
			label := b.Region
			if len(all) > 1 {
				label = sets[j+1].Label + " / " + b.Region
			}
			p.Legend.Add(label, poly, l)
			for k := range b.Steps {
				for _, v := range []float64{b.Mean[k], b.Low[k], b.High[k]} {
					if !math.IsNaN(v) {
						lo, hi = math.Min(lo, v), math.Max(hi, v)
					}
				}
			}
		}
	}
	for _, l := range lines {
		p.Add(l)
	}
	// Room for the legend above the data.
	span := math.Max(hi-lo, 1e-3)
	top := legendHeadroom(p)
	p.Y.Min = lo - float64(0.05*span)
	p.Y.Max = p.Y.Min + (hi+float64(0.05*span)-p.Y.Min)/(1-top)
	return p, nil
}

// EffectChart draws the differences of a comparison as dots with
// whiskers: one row per figure, region and later set, the difference to
// the first set as a share of the first set's mean (in %, so that steps,
// counts and shares share one axis) with its 95 % confidence interval,
// and a line at zero. A row whose whisker misses zero is a difference the
// runs show; a filled dot marks an adjusted p below 0.05. Rows without a
// difference or with a reference mean of 0 are left out. It returns an
// error when no row can be drawn.
func EffectChart(c output.Comparison) (*plot.Plot, error) {
	type row struct {
		label          string
		mean, low, hig float64
		sig            bool
		set            int
	}
	var rows []row
	for _, r := range c.Rows {
		ref := r.Stats[0].Mean
		if ref == 0 || math.IsNaN(ref) {
			continue
		}
		region := r.Region
		if region == "" {
			region = "all"
		}
		for j, d := range r.Diffs {
			if math.IsNaN(d.Mean) {
				continue
			}
			label := output.Metric(r.Metric).Label + " " + region
			if len(r.Diffs) > 1 {
				label = c.Sets[j+1] + ": " + label
			}
			scale := 100 / math.Abs(ref)
			rows = append(rows, row{label, d.Mean * scale, d.CILow * scale, d.CIHigh * scale, d.PAdj < output.Significance, j})
		}
	}
	if len(rows) == 0 {
		return nil, errors.New("effect chart: no difference to draw")
	}
	n := len(rows)
	title := fmt.Sprintf("Differences to %s, in %% of its mean\n95%% confidence intervals; filled: adjusted p < %g", c.Sets[0], output.Significance)
	p := newPlot(title, "difference (% of "+c.Sets[0]+"'s mean)", "")
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 0xe0}
	g.Horizontal.Width = 0
	p.Add(g)
	lo, hi := 0.0, 0.0
	var ticks []plot.Tick
	for i, r := range rows {
		y := float64(n - 1 - i) // the first row on top
		ticks = append(ticks, plot.Tick{Value: y, Label: r.label})
		ls := lineStyle(r.set)
		if !math.IsNaN(r.low) && !math.IsNaN(r.hig) {
			w, err := plotter.NewLine(plotter.XYs{{X: r.low, Y: y}, {X: r.hig, Y: y}})
			if err != nil {
				return nil, fmt.Errorf("effect chart: %s: %w", r.label, err)
			}
			w.LineStyle = ls
			p.Add(w)
			lo, hi = math.Min(lo, r.low), math.Max(hi, r.hig)
		}
		dot, err := plotter.NewScatter(plotter.XYs{{X: r.mean, Y: y}})
		if err != nil {
			return nil, fmt.Errorf("effect chart: %s: %w", r.label, err)
		}
		dot.GlyphStyle = draw.GlyphStyle{Color: ls.Color, Radius: vg.Points(3), Shape: draw.RingGlyph{}}
		if r.sig {
			dot.GlyphStyle.Shape = draw.CircleGlyph{}
		}
		p.Add(dot)
		lo, hi = math.Min(lo, r.mean), math.Max(hi, r.mean)
	}
	zero, err := plotter.NewLine(plotter.XYs{{X: 0, Y: -0.5}, {X: 0, Y: float64(n) - 0.5}})
	if err != nil {
		return nil, fmt.Errorf("effect chart: %w", err)
	}
	zero.LineStyle = draw.LineStyle{Color: color.Gray{Y: 0x60}, Width: vg.Points(0.75)}
	p.Add(zero)
	span := math.Max(hi-lo, 1)
	p.X.Min, p.X.Max = lo-float64(0.05*span), hi+float64(0.05*span)
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	return p, nil
}

// EffectChartHeight returns a height for EffectChart with n rows: room
// for each row, at least ChartHeight.
func EffectChartHeight(c output.Comparison) vg.Length {
	n := 0
	for _, r := range c.Rows {
		n += len(r.Diffs)
	}
	return max(ChartHeight, vg.Length(vg.Length(n)*vg.Points(15))+3*vg.Centimeter)
}
