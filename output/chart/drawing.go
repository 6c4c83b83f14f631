package chart

import (
	"fmt"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// Drawing is a chart to write as PNG or SVG, under a file name (without
// extension) that the caller chooses. A gonum/plot plot is drawn, not
// shared, so each Write makes the plot anew.
type Drawing struct {
	Name   string
	height vg.Length
	make   func() (*plot.Plot, error)
}

// Write draws d in format ("png" or "svg") to w, ChartWidth wide.
func (d Drawing) Write(w io.Writer, format string) error {
	p, err := d.make()
	if err != nil {
		return fmt.Errorf("plot %s: %w", d.Name, err)
	}
	return WritePlot(w, format, p, ChartWidth, d.height)
}

// drawing is a Drawing of the default height.
func drawing(name string, make func() (*plot.Plot, error)) Drawing {
	return Drawing{Name: name, height: ChartHeight, make: make}
}

// AdoptionDrawing is AdoptionChart of res, named name.
func AdoptionDrawing(name string, res *sim.Result) Drawing {
	return drawing(name, func() (*plot.Plot, error) { return AdoptionChart(res) })
}

// PipelineDrawing is PipelineChart of res, named name.
func PipelineDrawing(name string, res *sim.Result) Drawing {
	return drawing(name, func() (*plot.Plot, error) { return PipelineChart(res) })
}

// TransferDrawing is TransferChart of res, named name.
func TransferDrawing(name string, res *sim.Result) Drawing {
	return drawing(name, func() (*plot.Plot, error) { return TransferChart(res) })
}

// SweepDrawings are the SweepCharts of cfg's points ps, under their names.
func SweepDrawings(cfg *sim.Config, ps []output.PointSummary) ([]Drawing, error) {
	charts, err := SweepCharts(cfg, ps)
	if err != nil {
		return nil, err
	}
	out := make([]Drawing, len(charts))
	for i, c := range charts {
		out[i] = drawing(c.Name, func() (*plot.Plot, error) { return c.Plot, nil })
	}
	return out, nil
}

// CompareDrawing is CompareChart of sets, named name.
func CompareDrawing(name string, sets []output.RunSet) Drawing {
	return drawing(name, func() (*plot.Plot, error) { return CompareChart(sets) })
}

// DiffDrawing is DiffChart of sets, named name.
func DiffDrawing(name string, sets []output.RunSet) Drawing {
	return drawing(name, func() (*plot.Plot, error) { return DiffChart(sets) })
}

// EffectDrawing is EffectChart of c, named name, as tall as its rows need
// (EffectChartHeight).
func EffectDrawing(name string, c output.Comparison) Drawing {
	return Drawing{Name: name, height: EffectChartHeight(c), make: func() (*plot.Plot, error) { return EffectChart(c) }}
}
