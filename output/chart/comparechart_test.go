package chart

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/output/internal/fixture"
	"github.com/triad-sim/triad/sim"
)

// oneRegion returns set narrowed to its first region.
func oneRegion(set output.RunSet) output.RunSet {
	n := len(set.Regions)
	set.Regions = set.Regions[:1]
	runs := make([]*sim.RunResult, len(set.Runs))
	for i, r := range set.Runs {
		c := *r
		c.Rows = nil
		for k := 0; k < len(r.Rows); k += n {
			c.Rows = append(c.Rows, r.Rows[k])
		}
		runs[i] = &c
	}
	set.Runs = runs
	return set
}

func TestCompareLine(t *testing.T) {
	tests := []struct {
		name       string
		r, j, nr   int
		wantColour int
		wantDashes []vg.Length
	}{
		{"the first set is solid in the region's colour", 2, 0, 3, 2, nil},
		{"the second set is dashed in the region's colour", 2, 1, 3, 2, setDashes[1]},
		{"dash patterns repeat after the last", 0, len(setDashes), 3, 0, nil},
		{"with one region each set has its own colour", 0, 1, 1, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := compareLine(tt.r, tt.j, tt.nr)
			if got.Color != output.RegionColors[tt.wantColour] {
				t.Errorf("got colour %v, want %v", got.Color, output.RegionColors[tt.wantColour])
			}
			if !slices.Equal(got.Dashes, tt.wantDashes) {
				t.Errorf("got dashes %v, want %v", got.Dashes, tt.wantDashes)
			}
		})
	}
}

func TestCompareMarks(t *testing.T) {
	set := map[string]float64{"diffusion.q": 0.5}
	sets := fixture.CompareSets[output.RunSet]()
	for i := range sets {
		sets[i].Config.Policies = []sim.Policy{{At: 2, Name: "shared", Set: set}}
	}
	sets[1].Config.Policies = append(sets[1].Config.Policies, sim.Policy{At: 1, Name: "subsidy", Set: set})
	sets[2].Config.Policies = append(sets[2].Config.Policies, sim.Policy{At: 1, Name: "subsidy", Set: set})
	got := compareMarks(sets, 0, 3)
	want := []policyMark{{At: 1, Name: "slow, same: subsidy"}, {At: 2, Name: "shared"}}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v, want %+v: a policy of every set plain, others with their sets", got, want)
	}
}

func TestCompareChart(t *testing.T) {
	t.Run("the title names the sets and the runs", func(t *testing.T) {
		p, err := CompareChart(fixture.CompareSets[output.RunSet]()[:2])
		if err != nil {
			t.Fatal(err)
		}
		want := "Adoption share by region: base vs slow\nmean and 95% confidence band over 3 runs each"
		if p.Title.Text != want {
			t.Errorf("got title %q, want %q", p.Title.Text, want)
		}
	})
	t.Run("runs that differ are listed", func(t *testing.T) {
		sets := fixture.CompareSets[output.RunSet]()
		sets[1].Runs = sets[1].Runs[:2]
		p, err := CompareChart(sets)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(p.Title.Text, "over 3, 2 and 3 runs") {
			t.Errorf("got title %q, want it to end \"over 3, 2 and 3 runs\"", p.Title.Text)
		}
	})
	t.Run("the legend reads set / region for every set and region", func(t *testing.T) {
		p, err := CompareChart(fixture.CompareSets[output.RunSet]())
		if err != nil {
			t.Fatal(err)
		}
		svg := drawPlot(t, p, "svg")
		for _, set := range []string{"base", "slow", "same"} {
			for _, r := range []string{"src", "acc"} {
				if !bytes.Contains(svg, []byte(">"+set+" / "+r+"</text>")) {
					t.Errorf("got no legend entry %q, want one", set+" / "+r)
				}
			}
		}
	})
	t.Run("sets over different regions are refused", func(t *testing.T) {
		sets := fixture.CompareSets[output.RunSet]()[:2]
		sets[1] = oneRegion(sets[1])
		_, err := CompareChart(sets)
		want := `compare chart: sets "base" and "slow" have different regions: [src acc] and [src]; only runs over the same regions can be compared`
		if got := fixture.ErrText(err); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("a set without runs is an error", func(t *testing.T) {
		sets := fixture.CompareSets[output.RunSet]()[:2]
		sets[1].Runs = nil
		if _, err := CompareChart(sets); !errors.Is(err, output.ErrNoRuns) {
			t.Errorf("got %v, want %v", err, output.ErrNoRuns)
		}
	})
	t.Run("no sets is an error", func(t *testing.T) {
		if _, err := CompareChart(nil); fixture.ErrText(err) != "compare chart: no sets" {
			t.Errorf("got %v, want compare chart: no sets", err)
		}
	})
}

func TestLegendColumns(t *testing.T) {
	c := draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: 400, Y: 300}}}
	col := func(entries ...string) plot.Legend {
		l := plot.NewLegend()
		l.Top, l.Left, l.XOffs, l.YOffs = true, true, 8, -4
		for _, e := range entries {
			l.Add(e)
		}
		return l
	}
	lc := &legendColumns{cols: []plot.Legend{col("base / src", "base / acc"), col(), col("a longer label / src")}, gap: 12}
	boxes := lc.boxes(c)
	if len(boxes) != 2 {
		t.Fatalf("got %d boxes, want 2 (the empty column has none)", len(boxes))
	}
	w0 := lc.cols[0].Rectangle(c).Size().X
	if boxes[0].Min.X != 8 || boxes[0].Max.X != 8+w0 {
		t.Errorf("got first column from %v to %v, want 8 to %v", boxes[0].Min.X, boxes[0].Max.X, 8+w0)
	}
	if got, want := boxes[1].Min.X, boxes[0].Max.X+12; got != want {
		t.Errorf("got second column at %v, want %v (after the first and the gap)", got, want)
	}
	if boxes[0].Size().Y <= boxes[1].Size().Y {
		t.Errorf("got heights %v and %v, want the two-entry column taller", boxes[0].Size().Y, boxes[1].Size().Y)
	}
	lc.Plot(draw.New(vgsvg.New(400, 300)), plot.New())
	if lc.cols[2].XOffs != 8 {
		t.Errorf("got XOffs %v after drawing, want the columns left as they were (8)", lc.cols[2].XOffs)
	}
}

func TestCompareChartRender(t *testing.T) {
	set := map[string]float64{"diffusion.q": 0.5}
	withPolicy := fixture.CompareSets[output.RunSet]()
	withPolicy[1].Config.Policies = []sim.Policy{{At: 1, Name: "subsidy", Set: set}}
	tests := []struct {
		name string
		sets []output.RunSet
	}{
		{"three sets over two regions", fixture.CompareSets[output.RunSet]()},
		{"two sets over one region", []output.RunSet{oneRegion(fixture.CompareSets[output.RunSet]()[0]), oneRegion(fixture.CompareSets[output.RunSet]()[1])}},
		{"a policy of one set", withPolicy[:2]},
	}
	for _, tt := range tests {
		t.Run(tt.name+" render the same twice", func(t *testing.T) {
			p, err := CompareChart(tt.sets)
			if err != nil {
				t.Fatal(err)
			}
			drawPlot(t, p, "png")
			a := drawPlot(t, p, "svg")
			if b := drawPlot(t, p, "svg"); !bytes.Equal(a, b) {
				t.Error("got different SVG drawing the same chart twice, want identical")
			}
			q, err := CompareChart(tt.sets)
			if err != nil {
				t.Fatal(err)
			}
			if b := drawPlot(t, q, "svg"); !bytes.Equal(a, b) {
				t.Error("got different SVG for a fresh chart, want identical")
			}
			if !bytes.Contains(a, []byte(">"+tt.sets[0].Label+" / "+tt.sets[0].Regions[0]+"</text>")) {
				t.Errorf("got no legend entry %q, want one", tt.sets[0].Label+" / "+tt.sets[0].Regions[0])
			}
		})
	}
	t.Run("a policy of one set is labelled with it", func(t *testing.T) {
		p, err := CompareChart(withPolicy[:2])
		if err != nil {
			t.Fatal(err)
		}
		if svg := drawPlot(t, p, "svg"); !bytes.Contains(svg, []byte(">slow: subsidy</text>")) {
			t.Error("got no label \"slow: subsidy\", want one")
		}
	})
}
