package chart

import (
	"bytes"
	"slices"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/triad-sim/triad/output/internal/fixture"
	"github.com/triad-sim/triad/sim"
)

// The marks and the legend columns draw on a plot without touching its axes.
var (
	_ plot.Plotter = policyPlotter{}
	_ plot.Plotter = &legendColumns{}
)

// withPolicies returns the fixture with timed policies.
func withPolicies(ps ...sim.Policy) *sim.Result {
	res := fixture.Result()
	res.Config.Policies = ps
	return res
}

func TestPolicyMarks(t *testing.T) {
	set := map[string]float64{"diffusion.q": 0.5}
	tests := []struct {
		name     string
		policies []sim.Policy
		want     []policyMark
	}{
		{"no policies give no marks", nil, []policyMark{}},
		{"marks come by step whatever the scenario's order",
			[]sim.Policy{{At: 3, Name: "late", Set: set}, {At: 0, Name: "early", Set: set}},
			[]policyMark{{At: 0, Name: "early"}, {At: 3, Name: "late"}}},
		// On a 0..3 axis one step is about 4 cm: two long names one step
		// apart fit side by side, but not at the same step.
		{"labels that would overlap go up a row",
			[]sim.Policy{
				{At: 1, Name: "open the border", Set: set},
				{At: 1, Name: "subsidy", Set: set},
				{At: 2, Name: "customs reform", Set: set},
			},
			[]policyMark{{At: 1, Name: "open the border"}, {At: 1, Name: "subsidy", Row: 1}, {At: 2, Name: "customs reform"}}},
		// Two labels about 105 pt wide one step apart: centred they would
		// leave a gap, but the one at the right edge is moved left to stay
		// inside the data area and then overlaps.
		{"a label kept inside at the right edge may overlap its neighbour",
			[]sim.Policy{
				{At: 2, Name: "a policy with a rather long name", Set: set},
				{At: 3, Name: "and another one with a long name", Set: set},
			},
			[]policyMark{{At: 2, Name: "a policy with a rather long name"}, {At: 3, Name: "and another one with a long name", Row: 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := withPolicies(tt.policies...).Config
			got := configMarks(&cfg, 0, 3)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestLabelSpan(t *testing.T) {
	tests := []struct {
		name         string
		x, w         vg.Length
		wantL, wantR vg.Length
	}{
		{"a label in the middle is centred", 50, 20, 40, 60},
		{"a label at the left edge is moved right", 2, 20, 0, 20},
		{"a label at the right edge is moved left", 99, 20, 80, 100},
		{"a label wider than the area starts at its left", 50, 120, 0, 120},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, r := labelSpan(tt.x, tt.w, 0, 100)
			if l != tt.wantL || r != tt.wantR {
				t.Errorf("got [%v, %v], want [%v, %v]", l, r, tt.wantL, tt.wantR)
			}
		})
	}
}

func TestLineSegments(t *testing.T) {
	box := vg.Rectangle{Min: vg.Point{X: 10, Y: 60}, Max: vg.Point{X: 50, Y: 80}}
	tests := []struct {
		name string
		x    vg.Length
		want [][2]vg.Length
	}{
		{"a line beside the legend is whole", 70, [][2]vg.Length{{0, 100}}},
		{"a line through the legend goes around it", 30, [][2]vg.Length{{0, 60 - boxMargin}, {80 + boxMargin, 100}}},
		{"a line grazing the legend keeps its margin", 50 + boxMargin, [][2]vg.Length{{0, 60 - boxMargin}, {80 + boxMargin, 100}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lineSegments(tt.x, 0, 100, []vg.Rectangle{box})
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLegendBox(t *testing.T) {
	c := draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{X: 400, Y: 300}}}
	l := plot.NewLegend()
	if _, ok := legendBox(c, &l); ok {
		t.Error("got a box for an empty legend, want none")
	}
	l.Add("entry")
	w := l.Rectangle(c).Size().X
	l.Top, l.Left, l.XOffs, l.YOffs = true, true, 8, -4
	b, _ := legendBox(c, &l)
	if b.Min.X != 8 || b.Max.X != 8+w || b.Max.Y != 296 {
		t.Errorf("got top-left box %v, want x from 8 to %v and top at 296", b, 8+w)
	}
	l.Left, l.XOffs = false, -8
	b, _ = legendBox(c, &l)
	if b.Max.X != 392 || b.Min.X != 392-w {
		t.Errorf("got top-right box %v, want x from %v to 392", b, 392-w)
	}
}

func TestTimeChartsMarkPolicies(t *testing.T) {
	set := map[string]float64{"diffusion.q": 0.5}
	res := withPolicies(sim.Policy{At: 1, Name: "open the border", Set: set}, sim.Policy{At: 2, Name: "subsidy", Set: set})
	plain := fixture.Result()
	for _, c := range charts[:2] { // adoption and pipeline
		t.Run(c.name+" chart labels each policy above the data", func(t *testing.T) {
			p, err := c.make(res)
			if err != nil {
				t.Fatal(err)
			}
			q, err := c.make(plain)
			if err != nil {
				t.Fatal(err)
			}
			if p.Title.Padding <= q.Title.Padding {
				t.Errorf("got title padding %v, want more than %v to make room for the labels", p.Title.Padding, q.Title.Padding)
			}
			drawPlot(t, p, "png")
			svg := drawPlot(t, p, "svg")
			for _, name := range []string{"open the border", "subsidy"} {
				if !bytes.Contains(svg, []byte(">"+name+"</text>")) {
					t.Errorf("got no label %q in the SVG, want one", name)
				}
			}
			if b := drawPlot(t, p, "svg"); !bytes.Equal(svg, b) {
				t.Error("got different SVG drawing the same chart twice, want identical")
			}
		})
	}
}
