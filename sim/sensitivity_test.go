package sim

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
)

// sensitivityToy is toyConfig with a sensitivity design over three
// parameters.
func sensitivityToy(design string, samples int) Config {
	cfg := toyConfig()
	cfg.Sweep = &Sweep{Design: design, Points: samples, Params: []SweepParam{
		{Path: "diffusion.q", From: ptr(0.1), To: ptr(0.7)},
		{Path: "regions.acc.pull", From: ptr(1), To: ptr(4)},
		{Path: "cities.fast.transform", From: ptr(0.2), To: ptr(0.8)},
	}}
	return cfg
}

// unit maps a value of parameter d back into [0, 1].
func unit(cfg Config, d int, v float64) float64 {
	p := cfg.Sweep.Params[d]
	return (v - *p.From) / (*p.To - *p.From)
}

// TestMorrisTrajectories checks the shape of a Morris design: k+1 points
// per trajectory, on the grid of p levels, each step moving exactly the
// parameter MorrisMoves names by Δ = p/(2(p-1)), every parameter once per
// trajectory, and both directions used.
func TestMorrisTrajectories(t *testing.T) {
	for _, levels := range []int{0, 4, 6} {
		cfg := sensitivityToy(DesignMorris, 30)
		cfg.Sweep.Levels = levels
		mustValid(t, cfg)
		p := cfg.Sweep.morrisLevels()
		delta := float64(p) / (2 * float64(p-1))
		k := len(cfg.Sweep.Params)
		pts, moves := cfg.Points(), cfg.MorrisMoves()
		if len(pts) != 30*(k+1) || len(moves) != len(pts) {
			t.Fatalf("levels %d: got %d points and %d moves, want %d", levels, len(pts), len(moves), 30*(k+1))
		}
		ups, downs := 0, 0
		for tr := range 30 {
			seen := make([]bool, k)
			for s := range k + 1 {
				j := tr*(k+1) + s
				if pts[j].Index != j {
					t.Fatalf("point %d has index %d", j, pts[j].Index)
				}
				for d, v := range pts[j].Values {
					u := unit(cfg, d, v) * float64(p-1)
					if math.Abs(u-math.Round(u)) > 1e-9 {
						t.Errorf("point %d: %s = %v is not on the %d-level grid", j, cfg.Sweep.Params[d].Path, v, p)
					}
				}
				if s == 0 {
					if moves[j] != -1 {
						t.Errorf("point %d starts trajectory %d but moves %d", j, tr, moves[j])
					}
					continue
				}
				m := moves[j]
				if m < 0 || seen[m] {
					t.Fatalf("point %d: move %d is not a new parameter of its trajectory", j, m)
				}
				seen[m] = true
				for d := range k {
					du := unit(cfg, d, pts[j].Values[d]) - unit(cfg, d, pts[j-1].Values[d])
					switch {
					case d != m && du != 0:
						t.Errorf("point %d: %s moved although move is %d", j, cfg.Sweep.Params[d].Path, m)
					case d == m && math.Abs(math.Abs(du)-delta) > 1e-9:
						t.Errorf("point %d: %s moved by %v, want ±%v", j, cfg.Sweep.Params[d].Path, du, delta)
					case d == m && du > 0:
						ups++
					case d == m:
						downs++
					}
				}
			}
		}
		if ups == 0 || downs == 0 {
			t.Errorf("levels %d: %d steps up and %d down, want both", levels, ups, downs)
		}
	}
}

// TestSaltelliDesign checks the Saltelli design: rows of k+2 points A, B,
// A_B(1..k), where A_B(i) is A with column i from B, all within range.
func TestSaltelliDesign(t *testing.T) {
	cfg := sensitivityToy(DesignSobol, 16)
	mustValid(t, cfg)
	k := len(cfg.Sweep.Params)
	pts := cfg.Points()
	if len(pts) != 16*(k+2) {
		t.Fatalf("got %d points, want %d", len(pts), 16*(k+2))
	}
	for row := range 16 {
		a, b := pts[row*(k+2)].Values, pts[row*(k+2)+1].Values
		for d := range k {
			if a[d] == b[d] {
				t.Errorf("row %d: A and B share %s = %v", row, cfg.Sweep.Params[d].Path, a[d])
			}
			for _, v := range []float64{a[d], b[d]} {
				if u := unit(cfg, d, v); u < 0 || u > 1 {
					t.Errorf("row %d: %s = %v is outside its range", row, cfg.Sweep.Params[d].Path, v)
				}
			}
		}
		for i := range k {
			ab := pts[row*(k+2)+2+i].Values
			for d := range k {
				want := a[d]
				if d == i {
					want = b[d]
				}
				if ab[d] != want {
					t.Errorf("row %d, A_B(%d): %s = %v, want %v", row, i, cfg.Sweep.Params[d].Path, ab[d], want)
				}
			}
		}
	}
}

// TestSensitivityDesignsDeterministic checks that a design depends on the
// seed only: the same seed gives the same points, another seed others, and
// a larger Sobol design extends a smaller one.
func TestSensitivityDesignsDeterministic(t *testing.T) {
	for _, design := range []string{DesignMorris, DesignSobol} {
		a, b := sensitivityToy(design, 8), sensitivityToy(design, 8)
		c := sensitivityToy(design, 8)
		c.Seed++
		if !slices.EqualFunc(a.Points(), b.Points(), samePoint) {
			t.Errorf("%s: the same seed gave different points", design)
		}
		if slices.EqualFunc(a.Points(), c.Points(), samePoint) {
			t.Errorf("%s: another seed gave the same points", design)
		}
		big := sensitivityToy(design, 12)
		if !slices.EqualFunc(a.Points(), big.Points()[:len(a.Points())], samePoint) {
			t.Errorf("%s: 12 samples do not start with the 8 of a smaller design", design)
		}
	}
}

func samePoint(a, b Point) bool { return a.Index == b.Index && slices.Equal(a.Values, b.Values) }

func TestSensitivityValidation(t *testing.T) {
	q := func(from, to float64) SweepParam {
		return SweepParam{Path: "diffusion.q", From: ptr(from), To: ptr(to)}
	}
	cases := []struct {
		name  string
		sweep Sweep
		field string
	}{
		{"one trajectory", Sweep{Design: DesignMorris, Points: 1, Params: []SweepParam{q(0.1, 0.5)}}, "sweep.points"},
		{"odd levels", Sweep{Design: DesignMorris, Points: 4, Levels: 5, Params: []SweepParam{q(0.1, 0.5)}}, "sweep.levels"},
		{"levels for sobol", Sweep{Design: DesignSobol, Points: 4, Levels: 4, Params: []SweepParam{q(0.1, 0.5)}}, "sweep.levels"},
		{"levels for a grid", Sweep{Levels: 4, Params: []SweepParam{{Path: "diffusion.q", Values: []float64{0.1}}}}, "sweep.levels"},
		{"metrics for a grid", Sweep{Metrics: []string{"t50"}, Params: []SweepParam{{Path: "diffusion.q", Values: []float64{0.1}}}}, "sweep.metrics"},
		{"unknown metric", Sweep{Design: DesignSobol, Points: 4, Metrics: []string{"t50", "speed"}, Params: []SweepParam{q(0.1, 0.5)}}, "sweep.metrics[1]"},
		{"transfer to an unknown region", Sweep{Design: DesignSobol, Points: 4, Metrics: []string{"transfer_to_mars"}, Params: []SweepParam{q(0.1, 0.5)}}, "sweep.metrics[0]"},
		{"values", Sweep{Design: DesignMorris, Points: 4, Params: []SweepParam{{Path: "diffusion.q", Values: []float64{0.1, 0.2}}}}, "sweep.params[0]"},
		{"no range", Sweep{Design: DesignSobol, Points: 4, Params: []SweepParam{{Path: "diffusion.q"}}}, "sweep.params[0]"},
		{"reversed range", Sweep{Design: DesignSobol, Points: 4, Params: []SweepParam{q(0.5, 0.1)}}, "sweep.params[0].to"},
		{"out of range", Sweep{Design: DesignMorris, Points: 4, Params: []SweepParam{q(0.1, 7)}}, "sweep.params[0].to"},
		{"unknown path", Sweep{Design: DesignMorris, Points: 4, Params: []SweepParam{{Path: "diffusion.nope", From: ptr(0), To: ptr(1)}}}, "sweep.params[0].path"},
		{"twice", Sweep{Design: DesignMorris, Points: 4, Params: []SweepParam{q(0.1, 0.5), q(0.2, 0.3)}}, "sweep.params[1].path"},
		{"too many points", Sweep{Design: DesignSobol, Points: MaxSweepPoints / 2, Params: []SweepParam{q(0.1, 0.5)}}, "sweep.points"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := toyConfig()
			sw := c.sweep
			cfg.Sweep = &sw
			checkProblem(t, cfg.Validate(), c.field)
		})
	}
}

// checkProblem fails unless err lists a problem with field.
func checkProblem(t *testing.T, err error, field string) {
	t.Helper()
	if err == nil {
		t.Fatal("got no error")
	}
	for _, e := range err.(Errors) {
		if e.Field == field {
			return
		}
	}
	t.Errorf("got %v, want a problem with %s", err, field)
}

func TestSensitivityBlock(t *testing.T) {
	cfg := toyConfig()
	cfg.Sensitivity = &Sensitivity{Params: []SensitivityParam{{Path: "diffusion.q", Low: ptr(0.1), High: ptr(0.5)}}}
	mustValid(t, cfg)
	sw := cfg.Sensitivity.Sweep()
	if sw.Design != DesignMorris || sw.Points != DefaultMorrisTrajectories || *sw.Params[0].From != 0.1 || *sw.Params[0].To != 0.5 {
		t.Errorf("got sweep %+v, want morris with %d trajectories over [0.1, 0.5]", sw, DefaultMorrisTrajectories)
	}
	if sw := (&Sensitivity{Method: DesignSobol}).Sweep(); sw.Points != DefaultSobolSamples {
		t.Errorf("a sobol block without samples has %d, want %d", sw.Points, DefaultSobolSamples)
	}
	cases := []struct {
		name  string
		block Sensitivity
		field string
		msg   string
	}{
		{"unknown method", Sensitivity{Method: "fast", Params: []SensitivityParam{{Path: "diffusion.q", Low: ptr(0.1), High: ptr(0.5)}}}, "sensitivity.method", "is not"},
		{"reversed range", Sensitivity{Params: []SensitivityParam{{Path: "diffusion.q", Low: ptr(0.5), High: ptr(0.1)}}}, "sensitivity.params[0].high", "above low"},
		{"no high", Sensitivity{Params: []SensitivityParam{{Path: "diffusion.q", Low: ptr(0.5)}}}, "sensitivity.params[0]", "give low and high"},
		{"one sample", Sensitivity{Samples: 1, Params: []SensitivityParam{{Path: "diffusion.q", Low: ptr(0.1), High: ptr(0.5)}}}, "sensitivity.samples", "2 samples"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := toyConfig()
			b := c.block
			cfg.Sensitivity = &b
			err := cfg.Validate()
			checkProblem(t, err, c.field)
			if err != nil && !strings.Contains(err.Error(), c.msg) {
				t.Errorf("got %v, want it to say %q", err, c.msg)
			}
		})
	}
}

// TestMorrisRadial checks a radial Morris design: every point after a
// trajectory's first differs from that first point in exactly the
// parameter MorrisMoves names, by Δ, and every parameter is moved once.
func TestMorrisRadial(t *testing.T) {
	cfg := sensitivityToy(DesignMorris, 12)
	cfg.Sweep.Radial = true
	mustValid(t, cfg)
	k := len(cfg.Sweep.Params)
	delta := float64(DefaultMorrisLevels) / (2 * float64(DefaultMorrisLevels-1))
	pts, moves := cfg.Points(), cfg.MorrisMoves()
	for tr := range 12 {
		first := tr * (k + 1)
		seen := make([]bool, k)
		for j := first + 1; j <= first+k; j++ {
			m := moves[j]
			if m < 0 || seen[m] {
				t.Fatalf("point %d: move %d is not a new parameter of its trajectory", j, m)
			}
			seen[m] = true
			for d := range k {
				du := unit(cfg, d, pts[j].Values[d]) - unit(cfg, d, pts[first].Values[d])
				if d != m && du != 0 || d == m && math.Abs(math.Abs(du)-delta) > 1e-9 {
					t.Errorf("point %d: %s is %v from the trajectory's start (move %d)", j, cfg.Sweep.Params[d].Path, du, m)
				}
			}
		}
	}
	plain := sensitivityToy(DesignMorris, 12)
	if slices.EqualFunc(plain.Points(), pts, samePoint) {
		t.Error("the radial design equals the trajectory design")
	}
	sobol := sensitivityToy(DesignSobol, 4)
	sobol.Sweep.Radial = true
	checkProblem(t, sobol.Validate(), "sweep.radial")
}

// TestFiguresKeepTheMetrics checks that a run reduced to its figures
// gives the same per-run figures, bit for bit (NaN where the run has
// NaN), with one row per region and no innovation log; and that only a
// sensitivity design without Timeseries keeps figures only.
func TestFiguresKeepTheMetrics(t *testing.T) {
	cfg := sensitivityToy(DesignSobol, 2)
	cfg.Replicates = 2
	mustValid(t, cfg)
	res, err := Run(context.Background(), cfg, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	regions := cfg.RegionIDs()
	for _, run := range res.Runs {
		f := run.Figures()
		if len(f.Rows) != len(regions) || f.Innovations != nil {
			t.Errorf("run %d/%d: %d rows and %d innovations, want %d and none", run.Point, run.Replicate, len(f.Rows), len(f.Innovations), len(regions))
		}
		got, want := f.Metrics(regions), run.Metrics(regions)
		if !slices.EqualFunc(got, want, func(a, b Metric) bool {
			return a.Name == b.Name && a.Region == b.Region && math.Float64bits(a.Value) == math.Float64bits(b.Value)
		}) {
			t.Errorf("run %d/%d: figures %v, want %v", run.Point, run.Replicate, got, want)
		}
	}
	for _, c := range []struct {
		sw   *Sweep
		want bool
	}{
		{cfg.Sweep, true},
		{&Sweep{Design: DesignSobol, Timeseries: true}, false},
		{&Sweep{Design: DesignMorris}, true},
		{&Sweep{Design: DesignGrid}, false},
		{nil, false},
	} {
		if got := c.sw.FiguresOnly(); got != c.want {
			t.Errorf("%+v: FiguresOnly %v, want %v", c.sw, got, c.want)
		}
	}
}
