package sim

import (
	"context"
	"math"
	"slices"
	"testing"
)

func ptr(v float64) *float64 { return &v }

func TestGridPoints(t *testing.T) {
	cfg := toyConfig()
	cfg.Sweep = &Sweep{Params: []SweepParam{
		{Path: "regions.con.reach", Values: []float64{0.1, 0.5}},
		{Path: "links.acc-acc.friction", From: ptr(0), To: ptr(0.3), Step: ptr(0.1)},
	}}
	mustValid(t, cfg)
	pts := cfg.Points()
	want := [][]float64{
		{0.1, 0}, {0.1, 0.1}, {0.1, 0.2}, {0.1, 0.3},
		{0.5, 0}, {0.5, 0.1}, {0.5, 0.2}, {0.5, 0.3},
	}
	if len(pts) != len(want) {
		t.Fatalf("got %d points, want %d", len(pts), len(want))
	}
	for k, p := range pts {
		if p.Index != k || !slices.Equal(p.Values, want[k]) {
			t.Errorf("point %d: got %d %v, want %v", k, p.Index, p.Values, want[k])
		}
	}
	at := cfg.AtPoint(pts[6])
	if at.Regions[2].Reach != 0.5 || at.Links[1].Friction != 0.2 || at.Sweep != nil {
		t.Errorf("AtPoint(6): reach %v friction %v sweep %v, want 0.5, 0.2 and no sweep", at.Regions[2].Reach, at.Links[1].Friction, at.Sweep)
	}
	if cfg.Regions[2].Reach != 0.5 || cfg.Links[1].Friction != 0.05 {
		t.Error("AtPoint changed the original config")
	}
}

// TestLatinHypercubeStrata checks that each parameter's range is cut into
// as many strata as points and that every stratum holds exactly one point.
func TestLatinHypercubeStrata(t *testing.T) {
	for _, n := range []int{1, 7, 50} {
		cfg := toyConfig()
		cfg.Sweep = &Sweep{Design: DesignLatinHypercube, Points: n, Params: []SweepParam{
			{Path: "diffusion.q", From: ptr(0.1), To: ptr(0.6)},
			{Path: "regions.acc.pull", From: ptr(1), To: ptr(5)},
			{Path: "cities.fast.transform", From: ptr(0.2), To: ptr(0.9)},
		}}
		mustValid(t, cfg)
		pts := cfg.Points()
		if len(pts) != n {
			t.Fatalf("got %d points, want %d", len(pts), n)
		}
		for d, p := range cfg.Sweep.Params {
			hit := make([]int, n)
			for _, pt := range pts {
				s := int(math.Floor((pt.Values[d] - *p.From) / (*p.To - *p.From) * float64(n)))
				if s < 0 || s >= n {
					t.Fatalf("%s: value %v outside the range", p.Path, pt.Values[d])
				}
				hit[s]++
			}
			for s, h := range hit {
				if h != 1 {
					t.Errorf("n=%d %s: stratum %d holds %d points, want 1", n, p.Path, s, h)
				}
			}
		}
	}
}

func TestSweepSeeds(t *testing.T) {
	for _, seeds := range []string{"", SeedsCommon, SeedsIndependent} {
		t.Run("seeds "+seeds, func(t *testing.T) {
			cfg := toyConfig()
			cfg.Steps, cfg.Replicates = 10, 2
			cfg.Sweep = &Sweep{Seeds: seeds, Params: []SweepParam{{Path: "diffusion.q", Values: []float64{0.2, 0.4, 0.6}}}}
			mustValid(t, cfg)
			res, err := Run(context.Background(), cfg, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Runs) != 6 {
				t.Fatalf("got %d runs, want 6", len(res.Runs))
			}
			seen := map[uint64]bool{}
			for k, run := range res.Runs {
				if run.Point != k/2 || run.Replicate != k%2 {
					t.Errorf("run %d is point %d replicate %d, want %d and %d", k, run.Point, run.Replicate, k/2, k%2)
				}
				from := 0 // common random numbers: replicate r's seed at every point
				if seeds == SeedsIndependent {
					from = k / 2
				}
				if want := RunSeed(cfg.Seed, from, k%2); run.Seed != want {
					t.Errorf("run %d: seed %d, want RunSeed(seed, %d, %d) = %d", k, run.Seed, from, k%2, want)
				}
				seen[run.Seed] = true
			}
			want := 2
			if seeds == SeedsIndependent {
				want = 6
			}
			if len(seen) != want {
				t.Errorf("got %d distinct seeds, want %d", len(seen), want)
			}
			// Without a sweep, a run's seed is what it was before sweeps
			// shared seeds, so single scenarios keep their numbers.
			single := toyConfig()
			if got, want := single.RunSeed(Task{0, 1}), RunSeed(single.Seed, 0, 1); got != want {
				t.Errorf("single scenario: seed %d, want %d", got, want)
			}
		})
	}
}

// pipelineOf returns what a run's discovery and transfer sub-models
// produced: per step and region the discoveries, commercializations and
// losses, then the transfer matrix and the lags.
func pipelineOf(r *RunResult) []int {
	var out []int
	for _, row := range r.Rows {
		out = append(out, row.Discovered, row.Commercialized, row.Lost)
	}
	for _, t := range r.Transfer {
		out = append(out, t...)
	}
	return append(out, r.Lags...)
}

// TestDiffusionSweepLeavesThePipelineAlone sweeps parameters that enter only
// the adoption step: with common random numbers every point draws the same
// breakthroughs, commercializations and transfers, so these are identical
// across points while adoption differs.
func TestDiffusionSweepLeavesThePipelineAlone(t *testing.T) {
	for _, path := range []string{"diffusion.q", "regions.acc.p", "regions.east.q", "regions.con.reach"} {
		t.Run(path, func(t *testing.T) {
			cfg := toyConfig()
			cfg.Replicates = 2
			cfg.Sweep = &Sweep{Params: []SweepParam{{Path: path, Values: []float64{0.01, 0.2, 0.6}}}}
			mustValid(t, cfg)
			res, err := Run(context.Background(), cfg, Options{})
			if err != nil {
				t.Fatal(err)
			}
			adoptionDiffers := false
			for _, run := range res.Runs {
				ref := res.Runs[run.Replicate] // point 0, same replicate
				if !slices.Equal(pipelineOf(run), pipelineOf(ref)) {
					t.Errorf("point %d replicate %d: the pipeline differs from point 0's", run.Point, run.Replicate)
				}
				for k := range run.Rows {
					adoptionDiffers = adoptionDiffers || run.Rows[k].AdoptionShare != ref.Rows[k].AdoptionShare
				}
			}
			if !adoptionDiffers {
				t.Error("adoption is the same at every point: the sweep did nothing")
			}
		})
	}
}

func TestSweepValidation(t *testing.T) {
	cases := []struct {
		name  string
		sweep Sweep
		field string
	}{
		{"unknown path", Sweep{Params: []SweepParam{{Path: "regions.acc.nope", Values: []float64{1}}}}, "sweep.params[0].path"},
		{"value out of range", Sweep{Params: []SweepParam{{Path: "regions.acc.p", Values: []float64{0.1, 2}}}}, "sweep.params[0].values[1]"},
		{"grid range without step", Sweep{Params: []SweepParam{{Path: "regions.acc.p", From: ptr(0), To: ptr(1)}}}, "sweep.params[0].step"},
		{"reversed range", Sweep{Params: []SweepParam{{Path: "regions.acc.p", From: ptr(0.5), To: ptr(0.1), Step: ptr(0.1)}}}, "sweep.params[0].to"},
		{"hypercube without points", Sweep{Design: DesignLatinHypercube, Params: []SweepParam{{Path: "regions.acc.p", From: ptr(0), To: ptr(1)}}}, "sweep.points"},
		{"hypercube with values", Sweep{Design: DesignLatinHypercube, Points: 3, Params: []SweepParam{{Path: "regions.acc.p", Values: []float64{0.1}}}}, "sweep.params[0].values"},
		{"unknown design", Sweep{Design: "random", Params: []SweepParam{{Path: "regions.acc.p", Values: []float64{0.1}}}}, "sweep.design"},
		{"unknown seeds", Sweep{Seeds: "fresh", Params: []SweepParam{{Path: "regions.acc.p", Values: []float64{0.1}}}}, "sweep.seeds"},
		{"steps swept", Sweep{Params: []SweepParam{{Path: "steps", Values: []float64{10, 20}}}}, "sweep.params[0].path"},
		{"a point breaks a cross-field rule", Sweep{Params: []SweepParam{{Path: "cities.fast.capability.spread", Values: []float64{0.1, 0.5}}}}, "sweep"},
		{"too many points", Sweep{Params: []SweepParam{{Path: "regions.acc.p", From: ptr(0), To: ptr(1), Step: ptr(1e-6)}}}, "sweep"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := toyConfig()
			sw := c.sweep
			cfg.Sweep = &sw
			var es Errors
			err := cfg.Validate()
			if err == nil {
				t.Fatal("got no error")
			}
			es = err.(Errors)
			for _, e := range es {
				if e.Field == c.field {
					return
				}
			}
			t.Errorf("got %v, want a problem with %s", err, c.field)
		})
	}
}
