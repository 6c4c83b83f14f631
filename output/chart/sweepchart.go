package chart

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// NamedPlot is a chart with the base name of its file (the command adds
// the extension).
type NamedPlot struct {
	Name string
	Plot *plot.Plot
}

// sweepTitle returns the chart title of figure f for the swept path. A
// figure shown by accelerator (see output.MetricInfo) says whose share it
// is: the accelerator's, the accelerators' or every region's.
func sweepTitle(f output.MetricInfo, cfg *sim.Config, regions []int, path string) string {
	title := f.ChartTitle()
	switch {
	case title == "":
		return f.Name + " against " + path
	case !f.ByAccelerator:
	case len(regions) == 1 && len(cfg.Regions) > 1:
		title = "Accelerator's " + lowerFirst(title)
	case len(regions) < len(cfg.Regions):
		title = "Accelerators' " + lowerFirst(title)
	default:
		title += " by region"
	}
	return title + " against " + path
}

// lowerFirst returns s with its first letter in lower case.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// pointSeries is one region's figure across sweep points: x the swept
// parameter's value, y the mean over the point's runs, with the bounds of
// its 95 % confidence interval. It implements plotter.XYer and
// plotter.YErrorer (errors relative to the mean).
type pointSeries struct {
	Region string
	// X, Mean, Low and High hold one entry per point with a mean.
	X, Mean, Low, High []float64
}

// Len returns the number of points.
func (s pointSeries) Len() int { return len(s.X) }

// XY returns the parameter value and the mean at index i.
func (s pointSeries) XY(i int) (x, y float64) { return s.X[i], s.Mean[i] }

// YError returns the distances from the mean down to the lower bound and up
// to the upper one.
func (s pointSeries) YError(i int) (float64, float64) {
	return s.Mean[i] - s.Low[i], s.High[i] - s.Mean[i]
}

// withCI returns the points that have a confidence interval.
func (s pointSeries) withCI() pointSeries {
	out := pointSeries{Region: s.Region}
	for i := range s.X {
		if !math.IsNaN(s.Low[i]) && !math.IsNaN(s.High[i]) {
			out.X = append(out.X, s.X[i])
			out.Mean = append(out.Mean, s.Mean[i])
			out.Low = append(out.Low, s.Low[i])
			out.High = append(out.High, s.High[i])
		}
	}
	return out
}

// sweepSeries returns, for each region index in regions, the metric across
// the points of ps against swept parameter d, ordered by the parameter's
// value (then point). Points without runs or without a mean are left out.
// When clip is set, interval bounds are clipped to [0, 1], which a share
// cannot leave though its t interval may.
func sweepSeries(cfg *sim.Config, ps []output.PointSummary, d int, metric string, regions []int, clip bool) []pointSeries {
	order := slices.Clone(ps)
	slices.SortStableFunc(order, func(a, b output.PointSummary) int {
		return cmpFloat(a.Point.Values[d], b.Point.Values[d])
	})
	out := make([]pointSeries, len(regions))
	for k, r := range regions {
		s := pointSeries{Region: cfg.Regions[r].ID}
		for _, p := range order {
			st, ok := p.Summary.Get(metric, s.Region)
			if p.Runs == 0 || !ok || math.IsNaN(st.Mean) {
				continue
			}
			lo, hi := st.CILow, st.CIHigh
			if clip {
				lo, hi = output.Clip01(lo), output.Clip01(hi)
			}
			s.X = append(s.X, p.Point.Values[d])
			s.Mean = append(s.Mean, st.Mean)
			s.Low = append(s.Low, lo)
			s.High = append(s.High, hi)
		}
		out[k] = s
	}
	return out
}

// cmpFloat orders floats, NaN first.
func cmpFloat(a, b float64) int {
	switch {
	case a < b || math.IsNaN(a) && !math.IsNaN(b):
		return -1
	case a > b || math.IsNaN(b) && !math.IsNaN(a):
		return 1
	}
	return 0
}

// SweepCharts draws the headline figures of a sweep against each swept
// parameter of cfg, from the summaries of its points: the time to 50 %
// adoption (t50) and the final adoption share of every region, and the
// share of commercialization of the accelerator-role regions (of every
// region when none has that role). Each chart shows, at the parameter's
// value of each point, the mean over the point's runs with its 95 %
// confidence interval as an error bar (none when a point has fewer than two
// values), one colour per region in the colours of AdoptionChart; a region
// without a value at any point is listed in the legend as having none.
// With one swept parameter the points are joined by lines in order of the
// value; with several the chart is a scatter of the design, since the
// other parameters vary too, and its subtitle says so.
//
// Charts are named sweep-<metric>-<path>, such as
// sweep-t50-regions.yrd.reach, and come by parameter, then figure. A figure
// with no value at any point (t50 when no innovation reached 50 % anywhere)
// gets no chart. It returns an error when cfg has no sweep or no point has
// a finished run (wrapping ErrNoRuns), and panics if a point does not have
// one value per swept parameter.
func SweepCharts(cfg *sim.Config, ps []output.PointSummary) ([]NamedPlot, error) {
	paths := cfg.SweepPaths()
	if len(paths) == 0 {
		return nil, errors.New("sweep charts: the scenario has no sweep")
	}
	lo, hi := math.MaxInt, 0
	for _, p := range ps {
		output.CheckPoint(paths, p.Point)
		if p.Runs > 0 {
			lo, hi = min(lo, p.Runs), max(hi, p.Runs)
		}
	}
	if hi == 0 {
		return nil, fmt.Errorf("sweep charts: %w", output.ErrNoRuns)
	}
	runs := output.RunsNote(hi)
	if lo < hi {
		runs = fmt.Sprintf("%d–%d runs", lo, hi)
	}
	subtitle := "mean and 95% CI over " + runs + " per point"
	if len(paths) > 1 {
		subtitle += "\nthe other swept parameters vary too (a scatter of the design)"
	}
	all := make([]int, len(cfg.Regions))
	for i := range all {
		all[i] = i
	}
	var out []NamedPlot
	for d, path := range paths {
		for _, name := range output.SweepFigures {
			f := output.Metric(name).In(output.UnitsOf(cfg))
			regions := all
			if f.ByAccelerator {
				regions = output.AcceleratorRegions(cfg)
			}
			series := sweepSeries(cfg, ps, d, f.Name, regions, f.Kind == output.KindShare)
			if !slices.ContainsFunc(series, func(s pointSeries) bool { return s.Len() > 0 }) {
				continue
			}
			p, err := sweepChart(cfg, f, path, subtitle, regions, series, len(paths) == 1)
			if err != nil {
				return nil, fmt.Errorf("sweep charts: %s against %s: %w", f.Name, path, err)
			}
			out = append(out, NamedPlot{Name: "sweep-" + f.Name + "-" + path, Plot: p})
		}
	}
	return out, nil
}

// sweepChart draws one figure's series against one swept path.
func sweepChart(cfg *sim.Config, f output.MetricInfo, path, subtitle string, regions []int, series []pointSeries, lines bool) (*plot.Plot, error) {
	p := newPlot(sweepTitle(f, cfg, regions, path)+"\n"+subtitle, path, f.Axis)
	addGrid(p)
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(8), -vg.Points(4)
	bottom, top := math.Inf(1), math.Inf(-1)
	for k, s := range series {
		if s.Len() == 0 {
			// Say so rather than leave the reader looking for it.
			p.Legend.Add(regionLabel(cfg, regions[k], s.Region) + ": no value")
			continue
		}
		ls := lineStyle(regions[k])
		var thumbs []plot.Thumbnailer
		if ci := s.withCI(); ci.Len() > 0 {
			eb, err := plotter.NewYErrorBars(ci)
			if err != nil {
				return nil, fmt.Errorf("region %s: %w", s.Region, err)
			}
			eb.LineStyle = ls
			eb.LineStyle.Width = vg.Points(1)
			eb.LineStyle.Dashes = nil
			eb.CapWidth = vg.Points(5)
			p.Add(eb)
			for i := range ci.X {
				bottom, top = math.Min(bottom, ci.Low[i]), math.Max(top, ci.High[i])
			}
		}
		if lines {
			l, err := plotter.NewLine(s)
			if err != nil {
				return nil, fmt.Errorf("region %s: %w", s.Region, err)
			}
			l.LineStyle = ls
			p.Add(l)
			thumbs = append(thumbs, l)
		}
		sc, err := plotter.NewScatter(s)
		if err != nil {
			return nil, fmt.Errorf("region %s: %w", s.Region, err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: ls.Color, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
		p.Add(sc)
		thumbs = append(thumbs, sc)
		for _, v := range s.Mean {
			bottom, top = math.Min(bottom, v), math.Max(top, v)
		}
		p.Legend.Add(regionLabel(cfg, regions[k], s.Region), thumbs...)
	}
	if lines {
		p.X.Tick.Marker = valueTicks(series)
	}
	p.Y.Min, p.Y.Max = fitAxis(bottom, top, legendHeadroom(p))
	return p, nil
}

// fitAxis returns the range of a vertical axis that fits data from bottom
// to top, with a margin of a tenth of their span on either side (none
// below 0 when the data are not negative) and room for the legend, which
// takes the share headroom of the axis at the top. The axis fits the data
// rather than start at 0, so that an effect of two months on a t50 of 50
// is not a flat line; the tick labels say where it starts. Without data
// it is [0, 1].
func fitAxis(bottom, top, headroom float64) (lo, hi float64) {
	if math.IsInf(bottom, 0) || math.IsInf(top, 0) {
		return 0, 1 / (1 - headroom)
	}
	span := top - bottom
	if span <= 0 {
		span = math.Max(math.Abs(top)/10, 1e-9)
	}
	margin := span / 10
	lo, hi = bottom-margin, top+margin
	if bottom >= 0 && lo < 0 {
		lo = 0
	}
	return lo, lo + (hi-lo)/(1-headroom)
}

// maxValueTicks is the largest number of swept values that valueTicks
// marks one by one.
const maxValueTicks = 10

// valueTicks returns the x axis ticks of a chart of one swept parameter: a
// labelled tick at each swept value when there are at most maxValueTicks
// of them, spread enough for their labels (no gap below a twentieth of the
// range), or else gonum/plot's default ticks.
func valueTicks(series []pointSeries) plot.Ticker {
	var xs []float64
	for _, s := range series {
		xs = append(xs, s.X...)
	}
	slices.Sort(xs)
	xs = slices.Compact(xs)
	if len(xs) < 2 || len(xs) > maxValueTicks {
		return plot.DefaultTicks{}
	}
	span := xs[len(xs)-1] - xs[0]
	ticks := make(plot.ConstantTicks, len(xs))
	for i, x := range xs {
		if i > 0 && x-xs[i-1] < span/20 {
			return plot.DefaultTicks{}
		}
		ticks[i] = plot.Tick{Value: x, Label: strconv.FormatFloat(x, 'g', -1, 64)}
	}
	return ticks
}
