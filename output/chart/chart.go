package chart

import (
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strings"

	"git.sr.ht/~sbinet/gg"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// ChartWidth and ChartHeight are the default chart size: a page-wide figure
// in an essay.
const (
	ChartWidth  = 16 * vg.Centimeter
	ChartHeight = 10 * vg.Centimeter
)

// chartMargin is the blank space at the right edge of a chart.
const chartMargin = 4 * vg.Millimeter

// PNGDPI is the resolution of PNG charts, enough for print.
const PNGDPI = 200

// lineStyle returns the style of series i: a colour, and dashes once the
// colours run out.
func lineStyle(i int) draw.LineStyle {
	s := draw.LineStyle{Color: output.RegionColors[i%len(output.RegionColors)], Width: vg.Points(1.5)}
	if k := i / len(output.RegionColors); k > 0 {
		s.Dashes = []vg.Length{vg.Points(float64(2 + 2*k)), vg.Points(2)}
	}
	return s
}

// PlotFormat returns the chart format for a file name from its extension:
// "png" or "svg" (in any case).
func PlotFormat(name string) (string, error) {
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".png", ".svg":
		return ext[1:], nil
	default:
		return "", fmt.Errorf("chart %s: unsupported format %q (want .png or .svg)", name, ext)
	}
}

// WritePlot draws p at the given size and writes it to w as format, "png"
// (at PNGDPI) or "svg" (fonts referenced, not embedded). The same plot
// gives the same bytes.
func WritePlot(w io.Writer, format string, p *plot.Plot, width, height vg.Length) error {
	var c vg.CanvasSizer
	var img *image.RGBA
	switch strings.ToLower(strings.TrimPrefix(format, ".")) {
	case "png":
		// The canvas draws straight into img: vgimg.NewWith alone would
		// draw into a copy of its own image (gg.NewContextForImage copies),
		// a tenth of the time of a whole small run.
		img = newImage(pixels(width), pixels(height))
		defer images.Put(img)
		ctx := gg.NewContextForRGBA(img)
		ctx.SetLineCapButt()
		ctx.InvertY()
		c = vgimg.NewWith(vgimg.UseImageWithContext(img, ctx), vgimg.UseDPI(PNGDPI))
	case "svg":
		c = vgsvg.New(width, height)
	default:
		return fmt.Errorf("write chart: unsupported format %q (want png or svg)", format)
	}
	dc := draw.New(c)
	if img == nil { // vgimg has painted img white already; a fill would rasterize it again
		dc.SetColor(color.White)
		dc.Fill(dc.Rectangle.Path())
	}
	// gonum/plot lets the last tick label of the x axis stick out of the
	// canvas; a small right margin keeps it whole.
	p.Draw(draw.Crop(dc, 0, -chartMargin, 0, -chartMargin/2))
	if img != nil {
		if err := encodePNG(w, img); err != nil {
			return fmt.Errorf("write chart: %w", err)
		}
		return nil
	}
	if _, err := c.(vg.CanvasWriterTo).WriteTo(w); err != nil {
		return fmt.Errorf("write chart: %w", err)
	}
	return nil
}

// pixels is a length in PNG pixels at PNGDPI, rounded as vgimg rounds it.
func pixels(l vg.Length) int {
	return int(vg.Length(l/vg.Inch*vg.Length(PNGDPI)) + 0.5)
}

// newPlot returns a plot with a title and axis labels.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil // WritePlot paints the whole canvas white first
	p.Title.Text = title
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	return p
}

// addGrid adds a light grid behind the data of a line chart.
func addGrid(p *plot.Plot) {
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 0xe0}
	g.Horizontal.Color = color.Gray{Y: 0xe0}
	p.Add(g)
}

// regionLabel returns a region's legend text: its id and, when it has one,
// its name.
func regionLabel(cfg *sim.Config, i int, id string) string {
	if i < len(cfg.Regions) && cfg.Regions[i].Name != "" {
		return id + " (" + cfg.Regions[i].Name + ")"
	}
	return id
}

// legendHeadroom returns the share of the data area that p's legend takes
// at the top of a chart ChartHeight tall, so that the y axis can be
// stretched to keep the data below the legend. A taller chart leaves more
// room; a much shorter one may let the legend touch the data.
func legendHeadroom(p *plot.Plot) float64 { return headroom(p, &p.Legend) }

// headroom is legendHeadroom for a legend l drawn at the top of p's data
// area, p's own or another.
func headroom(p *plot.Plot, l *plot.Legend) float64 {
	r := l.Rectangle(draw.Canvas{})
	legend := r.Max.Y - r.Min.Y - l.YOffs + vg.Points(4)
	title := p.Title.TextStyle.Height(p.Title.Text) + p.Title.Padding
	xAxis := p.X.Label.TextStyle.Height(p.X.Label.Text) + p.X.Label.Padding +
		p.X.Tick.Label.Height("0") + p.X.Tick.Length + p.X.Padding + p.X.Width
	data := ChartHeight - chartMargin/2 - title - xAxis - p.Y.Padding
	return math.Min(float64(legend/data), 0.6)
}

// shareTicks marks a 0..1 axis every 0.2, with minor ticks between.
var shareTicks = plot.ConstantTicks{
	{Value: 0, Label: "0"}, {Value: 0.1}, {Value: 0.2, Label: "0.2"}, {Value: 0.3},
	{Value: 0.4, Label: "0.4"}, {Value: 0.5}, {Value: 0.6, Label: "0.6"}, {Value: 0.7},
	{Value: 0.8, Label: "0.8"}, {Value: 0.9}, {Value: 1, Label: "1"},
}

// AdoptionChart plots each region's adoption share over time (the Bands of
// res): the mean over runs as a line and its 95 % confidence interval as a
// shaded band, one colour per region, with the region id and name in the
// legend. Each timed policy of res.Config is marked by a dashed vertical
// line at its step, labelled with its name above the data.
func AdoptionChart(res *sim.Result) (*plot.Plot, error) {
	bands := output.Bands(res)
	if bands == nil {
		return nil, fmt.Errorf("adoption chart: %w", output.ErrNoRuns)
	}
	p := newPlot(
		"Adoption share by region\nmean and 95% confidence band over "+output.RunsNote(len(output.SortedRuns(res.Runs))),
		output.UnitsOf(&res.Config).One, "adoption share")
	addGrid(p)
	steps := bands[0].Steps
	addPolicyMarks(p, configMarks(&res.Config, float64(steps[0]), float64(steps[len(steps)-1])), nil)
	p.Y.Tick.Marker = shareTicks
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(8), -vg.Points(4)
	lines := make([]*plotter.Line, len(bands))
	for i, b := range bands {
		ls := lineStyle(i)
		poly, err := plotter.NewPolygon(b.Envelope())
		if err != nil {
			return nil, fmt.Errorf("adoption chart: region %s: %w", b.Region, err)
		}
		fill := output.RegionColors[i%len(output.RegionColors)]
		fill.A = 0x40
		poly.Color = fill
		poly.LineStyle.Width = 0
		p.Add(poly)
		l, err := plotter.NewLine(b)
		if err != nil {
			return nil, fmt.Errorf("adoption chart: region %s: %w", b.Region, err)
		}
		l.LineStyle = ls
		lines[i] = l
		p.Legend.Add(regionLabel(&res.Config, i, b.Region), poly, l)
	}
	for _, l := range lines {
		p.Add(l)
	}
	// The y axis is marked from 0 to 1; the legend sits above 1.
	p.Y.Min, p.Y.Max = 0, 1/(1-legendHeadroom(p))
	return p, nil
}

// PipelineChart plots the lab-to-market pipeline (MeanPipeline of res):
// breakthroughs discovered, commercialized and lost per step, summed over
// regions and averaged over runs, as three lines, with the timed policies
// marked as in AdoptionChart.
func PipelineChart(res *sim.Result) (*plot.Plot, error) {
	n := len(output.SortedRuns(res.Runs))
	if n == 0 {
		return nil, fmt.Errorf("pipeline chart: %w", output.ErrNoRuns)
	}
	pl := output.MeanPipeline(res)
	p := newPlot(
		"Lab-to-market pipeline, all regions\nmean over "+output.RunsNote(n),
		output.UnitsOf(&res.Config).One, "breakthroughs per "+output.UnitsOf(&res.Config).One)
	addGrid(p)
	if steps := pl.Discovered.Steps; len(steps) > 0 {
		addPolicyMarks(p, configMarks(&res.Config, float64(steps[0]), float64(steps[len(steps)-1])), nil)
	}
	p.Legend.Top = true
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(8), -vg.Points(4)
	styles := []draw.LineStyle{lineStyle(0), lineStyle(2), lineStyle(1)}
	top := 0.0
	for i, s := range []output.Series{pl.Discovered, pl.Commercialized, pl.Lost} {
		l, err := plotter.NewLine(s)
		if err != nil {
			return nil, fmt.Errorf("pipeline chart: %s: %w", s.Name, err)
		}
		l.LineStyle = styles[i]
		p.Add(l)
		p.Legend.Add(s.Name, l)
		for _, v := range s.Values {
			top = math.Max(top, v)
		}
	}
	if top == 0 {
		top = 1
	}
	// Leave room above the data for the legend.
	p.Y.Min, p.Y.Max = 0, top/(1-legendHeadroom(p))
	return p, nil
}

// TransferChart draws the transfer matrix of res (MeanTransfer) as a heat
// map: origin region down the side, commercializing region along the
// bottom, the mean count over runs written in each cell.
func TransferChart(res *sim.Result) (*plot.Plot, error) {
	g := output.MeanTransfer(res)
	if g.Runs == 0 {
		return nil, fmt.Errorf("transfer chart: %w", output.ErrNoRuns)
	}
	n := len(g.Regions)
	maxV := 0.0
	for _, row := range g.Mean {
		for _, v := range row {
			maxV = math.Max(maxV, v)
		}
	}
	if maxV == 0 {
		maxV = 1 // an all-zero matrix is drawn in the palette's first colour
	}
	cm := transferColors()
	hm := plotter.NewHeatMap(g, cm.Palette(256))
	hm.Min, hm.Max = 0, maxV

	p := newPlot(
		"Where breakthroughs are commercialized\nmean count over "+output.RunsNote(g.Runs),
		"commercialized in", "origin (lab region)")
	p.Add(hm)
	labels, err := plotter.NewLabels(cellLabels{g, maxV})
	if err != nil {
		return nil, fmt.Errorf("transfer chart: %w", err)
	}
	for i := range labels.TextStyle {
		c, r := i%n, i/n
		ts := &labels.TextStyle[i]
		ts.XAlign, ts.YAlign = text.XCenter, text.YCenter
		ts.Color = color.Black
		if g.Z(c, r)/maxV > 0.55 {
			ts.Color = color.White
		}
	}
	p.Add(labels)
	ids := g.Regions
	rev := make([]string, n)
	for r := range n {
		rev[r] = ids[n-1-r]
	}
	p.NominalX(ids...)
	p.NominalY(rev...)
	// Let the cells meet the axes.
	p.X.Padding, p.Y.Padding = 0, 0
	return p, nil
}

// transferColors is the heat map's colour map: from a pale blue (still
// distinct from the white background) for zero to
// dark blue for the largest count, with luminance linear in the value.
func transferColors() palette.ColorMap {
	cm, err := moreland.NewLuminance([]color.Color{
		color.NRGBA{0x08, 0x30, 0x6b, 0xff},
		color.NRGBA{0x21, 0x71, 0xb5, 0xff},
		color.NRGBA{0x6b, 0xae, 0xd6, 0xff},
		color.NRGBA{0xc6, 0xdb, 0xef, 0xff},
		color.NRGBA{0xe8, 0xf1, 0xfa, 0xff},
	})
	if err != nil {
		panic("output: transfer colour map: " + err.Error())
	}
	cm.SetMin(0)
	cm.SetMax(1)
	return palette.Reverse(cm)
}

// cellLabels are the numbers written in the transfer heat map's cells; it
// implements plotter.XYLabeller, cell i being column i%n and row i/n.
type cellLabels struct {
	g   output.TransferGrid
	max float64
}

func (l cellLabels) Len() int { c, r := l.g.Dims(); return c * r }

func (l cellLabels) XY(i int) (x, y float64) {
	n, _ := l.g.Dims()
	return l.g.X(i % n), l.g.Y(i / n)
}

func (l cellLabels) Label(i int) string {
	n, _ := l.g.Dims()
	v := l.g.Z(i%n, i/n)
	if l.max >= 100 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}
