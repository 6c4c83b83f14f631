package chart

import (
	"fmt"
	"image/color"
	"io"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Panel is one panel of a grid of line charts, such as the scaling figure
// of docs/PERFORMANCE.md: lines with points, their legend at the top left.
type Panel struct {
	Title, XLabel, YLabel string
	// LogLog puts both axes on a log scale.
	LogLog bool
	// XTicks and YTicks, when set, are the values to mark on the axes.
	XTicks, YTicks []float64
	// YMin and YMax, when not both zero, fix the vertical axis.
	YMin, YMax float64
	Lines      []Line
}

// Line is one line of a Panel: points joined by a line in one of three
// colours (Color 0 to 2), or, when Reference is set, a grey dashed line
// without points (a limit to compare with).
type Line struct {
	Name      string
	X, Y      []float64
	Color     int
	Reference bool
}

// panelColors are the colours of a panel's lines.
var panelColors = []color.Color{color.RGBA{0, 90, 181, 255}, color.RGBA{220, 50, 32, 255}, color.RGBA{0, 140, 70, 255}}

// WritePanels draws panels, row by row, as one figure of the given size in
// inches to w in format ("png", at 96 dpi, or "svg").
func WritePanels(w io.Writer, format string, panels [][]Panel, widthIn, heightIn float64) error {
	ticks := func(xs []float64) plot.ConstantTicks {
		var ts plot.ConstantTicks
		for _, x := range xs {
			ts = append(ts, plot.Tick{Value: x, Label: strconv.FormatFloat(x, 'g', -1, 64)})
		}
		return ts
	}
	plots := make([][]*plot.Plot, len(panels))
	for i, row := range panels {
		for _, pn := range row {
			p := plot.New()
			p.Title.Text = pn.Title
			p.X.Label.Text, p.Y.Label.Text = pn.XLabel, pn.YLabel
			if pn.LogLog {
				p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
				p.X.Tick.Marker = plot.LogTicks{Prec: -1}
			}
			for _, ln := range pn.Lines {
				pts := make(plotter.XYs, len(ln.X))
				for k := range ln.X {
					pts[k] = plotter.XY{X: ln.X[k], Y: ln.Y[k]}
				}
				if ln.Reference {
					l, err := plotter.NewLine(pts)
					if err != nil {
						return fmt.Errorf("panel %q: %w", pn.Title, err)
					}
					l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
					l.Color = color.Gray{Y: 128}
					p.Add(l)
					p.Legend.Add(ln.Name, l)
					continue
				}
				l, s, err := plotter.NewLinePoints(pts)
				if err != nil {
					return fmt.Errorf("panel %q: %w", pn.Title, err)
				}
				l.Color, s.Color = panelColors[ln.Color], panelColors[ln.Color]
				p.Add(l, s)
				p.Legend.Add(ln.Name, l, s)
			}
			if pn.YMin != 0 || pn.YMax != 0 {
				p.Y.Min, p.Y.Max = pn.YMin, pn.YMax
			}
			if pn.XTicks != nil {
				p.X.Tick.Marker = ticks(pn.XTicks)
			}
			if pn.YTicks != nil {
				p.Y.Tick.Marker = ticks(pn.YTicks)
			}
			p.Legend.Top, p.Legend.Left = true, true
			plots[i] = append(plots[i], p)
		}
	}
	width, height := vg.Length(widthIn)*vg.Inch, vg.Length(heightIn)*vg.Inch
	var c vg.CanvasWriterTo
	switch strings.ToLower(format) {
	case "svg":
		c = vgsvg.New(width, height)
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(96))}
	default:
		return fmt.Errorf("panels: unknown format %q", format)
	}
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	t := draw.Tiles{Rows: len(plots), Cols: len(plots[0]), PadX: vg.Inch / 2, PadY: vg.Inch / 3,
		PadTop: vg.Inch / 8, PadBottom: vg.Inch / 8, PadLeft: vg.Inch / 8, PadRight: vg.Inch / 4}
	canvases := plot.Align(plots, t, dc)
	for i := range plots {
		for j := range plots[i] {
			plots[i][j].Draw(canvases[i][j])
		}
	}
	_, err := c.WriteTo(w)
	return err
}
