package chart

import (
	"bytes"
	"testing"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/output/internal/fixture"
)

func TestDiffAndEffectChartsRender(t *testing.T) {
	sets := fixture.CompareSets[output.RunSet]()
	p, err := DiffChart(sets)
	if err != nil {
		t.Fatal(err)
	}
	drawPlot(t, p, "png")
	a := drawPlot(t, p, "svg")
	if b := drawPlot(t, p, "svg"); !bytes.Equal(a, b) {
		t.Error("got different SVG drawing the difference chart twice, want identical")
	}
	if !bytes.Contains(a, []byte(">slow / acc</text>")) {
		t.Error("got no legend entry \"slow / acc\", want one")
	}
	if _, err := DiffChart(sets[:1]); err == nil {
		t.Error("got a difference chart of one set, want an error")
	}
	c, err := output.Compare(sets, nil)
	if err != nil {
		t.Fatal(err)
	}
	e, err := EffectChart(c)
	if err != nil {
		t.Fatal(err)
	}
	svg := drawPlot(t, e, "svg")
	if !bytes.Contains(svg, []byte(">slow: t50 acc</text>")) {
		t.Error("got no row \"slow: t50 acc\", want one")
	}
	if h := EffectChartHeight(c); h < ChartHeight {
		t.Errorf("got height %v, want at least %v", h, ChartHeight)
	}
}
