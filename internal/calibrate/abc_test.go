package calibrate

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// identity is a deterministic simulator whose figures are the parameters.
func identity(_ context.Context, theta []float64, _ *rand.Rand) ([]float64, error) {
	return append([]float64(nil), theta...), nil
}

// noisy is a stochastic simulator: each figure is its parameter plus a
// Gaussian error of standard deviation sigma drawn from the proposal's
// stream.
func noisy(sigma []float64) Simulator {
	return func(_ context.Context, theta []float64, rng *rand.Rand) ([]float64, error) {
		out := make([]float64, len(theta))
		for i, t := range theta {
			out[i] = t + sigma[i]*rng.NormFloat64()
		}
		return out, nil
	}
}

// TestFitRecoversTheNormalPosterior fits the means of independent normal
// observations with known standard deviations under wide uniform priors:
// the exact posterior of each mean is Normal(observed, sd²) (the prior's
// truncation at ±10 sd is negligible). With 500 particles whose
// effective size is above 150 (checked), the Monte Carlo standard error of
// a posterior mean is below sd/√150 ≈ 0.08 sd, and the tolerance of 0.3 sd
// is more than 3.5 of those: for a fixed seed the test is deterministic,
// and over seeds it fails less than once in 2,000 runs per parameter. The
// posterior sd is held within 20 % (the final ABC tolerance widens it by
// a few per cent, its Monte Carlo error is about 6 %), and the ends of the
// 95 % interval within 0.8 sd: a 2.5 % quantile of 150 effective draws has
// a Monte Carlo standard error of about 0.2 sd.
func TestFitRecoversTheNormalPosterior(t *testing.T) {
	if testing.Short() {
		t.Skip("fits many generations; the worker test covers the concurrency; make test runs it in the pass without -race")
	}
	observed := []float64{1.3, -0.4}
	sd := []float64{0.5, 2}
	cases := []struct {
		name  string
		sim   Simulator
		noise bool
	}{
		{"deterministic model with a measurement error", identity, true},
		{"stochastic model", noisy(sd), false},
	}
	for _, c := range cases {
		for _, seed := range []uint64{1, 2} {
			t.Run(c.name, func(t *testing.T) {
				p := Problem{
					Params:   []Param{{"a", -5, 5}, {"b", -20, 20}},
					Observed: observed, Scale: sd, Noise: c.noise, Simulate: c.sim,
				}
				res, err := Fit(context.Background(), p, Settings{Particles: 500, Generations: 10, Seed: seed, Workers: 2}, nil)
				if err != nil {
					t.Fatal(err)
				}
				last := res.Generations[len(res.Generations)-1]
				if last.ESS < 150 {
					t.Fatalf("effective sample size %.0f, want at least 150", last.ESS)
				}
				if last.Tolerance > 0.5 {
					t.Errorf("final tolerance %.3g, want below 0.5 (in units of the uncertainty)", last.Tolerance)
				}
				for j, s := range res.Params {
					if d := math.Abs(s.Mean - observed[j]); d > 0.3*sd[j] {
						t.Errorf("%s: posterior mean %.3f, want %.3f ± %.3f", p.Params[j].Name, s.Mean, observed[j], 0.3*sd[j])
					}
					if r := s.SD / sd[j]; r < 0.8 || r > 1.2 {
						t.Errorf("%s: posterior sd %.3f, want %.3f ± 20 %%", p.Params[j].Name, s.SD, sd[j])
					}
					lo, hi := observed[j]-1.96*sd[j], observed[j]+1.96*sd[j]
					if math.Abs(s.Lo-lo) > 0.8*sd[j] || math.Abs(s.Hi-hi) > 0.8*sd[j] {
						t.Errorf("%s: 95 %% interval [%.3f, %.3f], want about [%.3f, %.3f]", p.Params[j].Name, s.Lo, s.Hi, lo, hi)
					}
				}
			})
		}
	}
}

func TestFitIsTheSameForAnyNumberOfWorkers(t *testing.T) {
	p := Problem{
		Params:   []Param{{"a", -5, 5}, {"b", -20, 20}},
		Observed: []float64{1, 2}, Scale: []float64{0.5, 1}, Simulate: noisy([]float64{0.5, 1}),
	}
	var results []*Result
	for _, w := range []int{1, 2, 7} {
		res, err := Fit(context.Background(), p, Settings{Particles: 50, Generations: 4, Seed: 9, Workers: w}, nil)
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, res)
	}
	for i := 1; i < len(results); i++ {
		if !reflect.DeepEqual(results[0], results[i]) {
			t.Errorf("workers changed the result: run %d differs from the first", i)
		}
	}
	other, err := Fit(context.Background(), p, Settings{Particles: 50, Generations: 4, Seed: 10, Workers: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(results[0].Params, other.Params) {
		t.Error("seeds 9 and 10 gave the same posterior")
	}
}

func TestFitRecordsTheToleranceSchedule(t *testing.T) {
	p := Problem{Params: []Param{{"a", -5, 5}}, Observed: []float64{1}, Scale: []float64{0.5}, Noise: true, Simulate: identity}
	var seen []Generation
	res, err := Fit(context.Background(), p, Settings{Particles: 100, Generations: 5, Seed: 1}, func(_ int, g Generation) { seen = append(seen, g) })
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(seen, res.Generations) {
		t.Errorf("progress saw %v, the result holds %v", seen, res.Generations)
	}
	if !math.IsInf(res.Generations[0].Tolerance, 1) || res.Generations[0].Proposals != 100 {
		t.Errorf("first generation %+v, want the prior accepted whole", res.Generations[0])
	}
	for i := 1; i < len(res.Generations); i++ {
		g := res.Generations[i]
		if g.Tolerance >= res.Generations[i-1].Tolerance {
			t.Errorf("generation %d: tolerance %.3g, not below the previous %.3g", i+1, g.Tolerance, res.Generations[i-1].Tolerance)
		}
		if g.Accepted != 100 || g.Simulated > g.Proposals || g.Accepted > g.Simulated {
			t.Errorf("generation %d: counts %+v", i+1, g)
		}
	}
	sum := 0.0
	for _, q := range res.Particles {
		sum += q.Weight
		if q.Distance > res.Generations[4].Tolerance {
			t.Errorf("particle at distance %.3g beyond the tolerance %.3g", q.Distance, res.Generations[4].Tolerance)
		}
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("weights sum to %v, want 1", sum)
	}
}

func TestFitRejectsABadProblem(t *testing.T) {
	good := Problem{Params: []Param{{"a", 0, 1}}, Observed: []float64{1}, Scale: []float64{1}, Simulate: identity}
	cases := []struct {
		name   string
		change func(p *Problem, s *Settings)
		want   string
	}{
		{"empty prior range", func(p *Problem, _ *Settings) { p.Params = []Param{{"a", 1, 1}} }, "not a finite interval"},
		{"zero uncertainty", func(p *Problem, _ *Settings) { p.Scale = []float64{0} }, "not positive"},
		{"one particle", func(_ *Problem, s *Settings) { s.Particles = 1 }, "at least 2"},
		{"quantile of one", func(_ *Problem, s *Settings) { s.Quantile = 1 }, "quantile"},
		{"too narrow to fill", func(p *Problem, s *Settings) {
			p.Observed = []float64{50}
			s.Generations, s.MaxProposals = 3, 40
		}, "particles within tolerance"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, s := good, Settings{Particles: 20, Generations: 2}
			c.change(&p, &s)
			_, err := Fit(context.Background(), p, s, nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
}

func TestFitStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	p := Problem{Params: []Param{{"a", 0, 1}}, Observed: []float64{0.5}, Scale: []float64{1}, Simulate: func(ctx context.Context, th []float64, _ *rand.Rand) ([]float64, error) {
		calls++
		cancel()
		return th, nil
	}}
	_, err := Fit(ctx, p, Settings{Particles: 50, Generations: 2, Workers: 1}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if calls > 2 {
		t.Errorf("the simulator ran %d times after the cancel", calls)
	}
}

// TestDensestLiesOnTheRidge builds a last generation on a ridge, two
// parameters with θ₁ + θ₂ = 1 (a bent band, so that its mean lies off it),
// and checks that Densest picks a particle in the band's densest part and
// that Identifiability is the ratio of standard deviations.
func TestDensestLiesOnTheRidge(t *testing.T) {
	var pop []Particle
	// A quarter circle of radius 1 around the origin: its mean lies inside
	// the circle, off the ridge. Particles crowd near the angle π/4.
	for i := range 201 {
		a := math.Pi / 2 * float64(i) / 200
		w := math.Exp(-math.Pow((a-math.Pi/4)/0.2, 2) / 2)
		pop = append(pop, Particle{Theta: []float64{math.Cos(a), math.Sin(a)}, Weight: w})
	}
	var sum float64
	for _, q := range pop {
		sum += q.Weight
	}
	for i := range pop {
		pop[i].Weight /= sum
	}
	res := &Result{Particles: pop}
	res.Params = summarize(pop, 2, func(q Particle) []float64 { return q.Theta })
	best := pop[res.Densest()].Theta
	if r := math.Hypot(best[0], best[1]); math.Abs(r-1) > 1e-9 {
		t.Errorf("densest point %v is off the ridge (radius %v)", best, r)
	}
	if a := math.Atan2(best[1], best[0]); math.Abs(a-math.Pi/4) > 0.1 {
		t.Errorf("densest point at angle %.3f, want near π/4 = %.3f", a, math.Pi/4)
	}
	if r := math.Hypot(res.Params[0].Mean, res.Params[1].Mean); r > 0.99 {
		t.Fatalf("the mean %v should lie off the ridge for this test to mean anything", []float64{res.Params[0].Mean, res.Params[1].Mean})
	}
	id := res.Identifiability([]Param{{Lo: 0, Hi: 1}, {Lo: -1, Hi: 3}})
	for j, want := range []float64{res.Params[0].SD / (1 / math.Sqrt(12)), res.Params[1].SD / (4 / math.Sqrt(12))} {
		if math.Abs(id[j]-want) > 1e-12 {
			t.Errorf("identifiability of parameter %d: %v, want %v", j, id[j], want)
		}
	}
}
