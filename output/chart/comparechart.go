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
	"github.com/triad-sim/triad/sim"
)

// setDashes are the dash patterns of the sets of CompareChart, in order:
// solid, dashed, dotted, dash-dot, long dashes; then they repeat.
var setDashes = [][]vg.Length{
	nil,
	{vg.Points(6), vg.Points(3)},
	{vg.Points(1.5), vg.Points(2.5)},
	{vg.Points(6), vg.Points(2.5), vg.Points(1.5), vg.Points(2.5)},
	{vg.Points(12), vg.Points(4)},
}

// compareLine returns the line style of region r in set j when there are
// nr regions: with one region a colour per set, otherwise the region's
// colour (as in AdoptionChart) with the set's dashes.
func compareLine(r, j, nr int) draw.LineStyle {
	if nr == 1 {
		return lineStyle(j)
	}
	ls := lineStyle(r)
	ls.Dashes = setDashes[j%len(setDashes)]
	return ls
}

// compareMarks returns the policy marks of all sets on a time axis from
// xMin to xMax: one per distinct step and name. A policy that not every
// set has is labelled with the sets that have it, as "open: subsidy".
func compareMarks(sets []output.RunSet, xMin, xMax float64) []policyMark {
	type key struct {
		at   int
		name string
	}
	var keys []key
	in := map[key][]string{}
	for _, s := range sets {
		for _, p := range s.Config.Policies {
			k := key{p.At, p.Name}
			if _, ok := in[k]; !ok {
				keys = append(keys, k)
			}
			if !slices.Contains(in[k], s.Label) {
				in[k] = append(in[k], s.Label)
			}
		}
	}
	marks := make([]policyMark, len(keys))
	for i, k := range keys {
		name := k.name
		if len(in[k]) < len(sets) {
			name = strings.Join(in[k], ", ") + ": " + name
		}
		marks[i] = policyMark{At: float64(k.at), Name: name}
	}
	return layoutMarks(marks, xMin, xMax)
}

// CompareChart overlays the adoption curves of the sets (the Bands of each,
// as in AdoptionChart): for each region and set the mean share as a line
// and its 95 % confidence interval as a shaded band. Colours stand for
// regions and dash patterns for sets (solid for the first); with one region
// each set has its own colour instead. The legend reads "set / region",
// one column per set. The policies of every set are marked; one that not
// every set has is labelled with the sets that have it. It returns an
// error when there is no set, when the sets' regions differ or when a set
// has no finished run (wrapping ErrNoRuns).
func CompareChart(sets []output.RunSet) (*plot.Plot, error) {
	if len(sets) == 0 {
		return nil, errors.New("compare chart: no sets")
	}
	if err := output.SameRegions(sets); err != nil {
		return nil, fmt.Errorf("compare chart: %w", err)
	}
	bands := make([][]output.Band, len(sets))
	runs := make([]int, len(sets))
	xMin, xMax := math.Inf(1), math.Inf(-1)
	for j, s := range sets {
		res := &sim.Result{Config: s.Config, Regions: s.Regions, Runs: s.Runs}
		bands[j] = output.Bands(res)
		if bands[j] == nil {
			return nil, fmt.Errorf("compare chart: set %q: %w", s.Label, output.ErrNoRuns)
		}
		runs[j] = len(output.SortedRuns(s.Runs))
		steps := bands[j][0].Steps
		xMin = math.Min(xMin, float64(steps[0]))
		xMax = math.Max(xMax, float64(steps[len(steps)-1]))
	}
	labels := make([]string, len(sets))
	for j, s := range sets {
		labels[j] = s.Label
	}
	p := newPlot(
		"Adoption share by region: "+strings.Join(labels, " vs ")+"\nmean and 95% confidence band over "+runsList(runs),
		output.UnitsOf(&sets[0].Config).One, "adoption share")
	addGrid(p)
	p.Y.Tick.Marker = shareTicks

	nr := len(sets[0].Regions)
	// The legend has a column per set, or one column when there is one
	// region (and so a colour per set).
	ncol := len(sets)
	if nr == 1 {
		ncol = 1
	}
	legend := &legendColumns{cols: make([]plot.Legend, ncol), gap: vg.Points(12)}
	addPolicyMarks(p, compareMarks(sets, xMin, xMax), func(c draw.Canvas, _ *plot.Plot) []vg.Rectangle {
		return legend.boxes(c)
	})
	for k := range legend.cols {
		col := plot.NewLegend()
		col.Top, col.Left = true, true
		col.XOffs, col.YOffs = vg.Points(8), -vg.Points(4)
		legend.cols[k] = col
	}
	var lines []*plotter.Line
	for j, s := range sets {
		for r, b := range bands[j] {
			ls := compareLine(r, j, nr)
			poly, err := plotter.NewPolygon(b.Envelope())
			if err != nil {
				return nil, fmt.Errorf("compare chart: set %q: region %s: %w", s.Label, b.Region, err)
			}
			fill := color.NRGBAModel.Convert(ls.Color).(color.NRGBA)
			fill.A = 0x30
			poly.Color = fill
			poly.LineStyle.Width = 0
			p.Add(poly)
			l, err := plotter.NewLine(b)
			if err != nil {
				return nil, fmt.Errorf("compare chart: set %q: region %s: %w", s.Label, b.Region, err)
			}
			l.LineStyle = ls
			lines = append(lines, l)
			legend.cols[min(j, ncol-1)].Add(s.Label+" / "+b.Region, poly, l)
		}
	}
	for _, l := range lines {
		p.Add(l)
	}
	p.Add(legend)
	top := 0.0
	for _, col := range legend.cols {
		top = math.Max(top, headroom(p, &col))
	}
	p.Y.Min, p.Y.Max = 0, 1/(1-top)
	return p, nil
}

// runsList describes the numbers of runs of the sets for a title: "20
// runs each", or "20, 20 and 10 runs" when they differ.
func runsList(runs []int) string {
	if slices.Min(runs) == slices.Max(runs) {
		if len(runs) == 1 {
			return output.RunsNote(runs[0])
		}
		return output.RunsNote(runs[0]) + " each"
	}
	parts := make([]string, len(runs))
	for i, n := range runs {
		parts[i] = fmt.Sprint(n)
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1] + " runs"
}

// legendColumns implements plot.Plotter for several legends side by side,
// from the top left of the data area, each drawn as plot.Legend draws
// itself there. It has no data range, so it never changes the axes.
type legendColumns struct {
	cols []plot.Legend
	gap  vg.Length
}

// Plot draws the columns left to right.
func (lc *legendColumns) Plot(c draw.Canvas, _ *plot.Plot) {
	lc.each(c, func(l *plot.Legend, _ vg.Rectangle) { l.Draw(c) })
}

// boxes returns the box of each column on c.
func (lc *legendColumns) boxes(c draw.Canvas) []vg.Rectangle {
	var out []vg.Rectangle
	lc.each(c, func(_ *plot.Legend, b vg.Rectangle) { out = append(out, b) })
	return out
}

// each calls f with each column that has entries, moved to its place, and
// its box on c. The columns themselves are not changed, so the plot can be
// drawn again.
func (lc *legendColumns) each(c draw.Canvas, f func(*plot.Legend, vg.Rectangle)) {
	x := vg.Length(0)
	for _, l := range lc.cols {
		l.XOffs += x
		b, ok := legendBox(c, &l)
		if !ok {
			continue
		}
		f(&l, b)
		x += b.Size().X + lc.gap
	}
}
