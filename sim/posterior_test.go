package sim

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"
)

// TestPosteriorDraws checks the draws of a posterior: each replicate's
// particle is the same on every call, replications pick particles in
// proportion to their weights (over 20,000 replications, 0.2 of them the
// first within 4.5 binomial standard errors, a false alarm about once in
// 150,000), and the config a replicate runs has its particle's values.
func TestPosteriorDraws(t *testing.T) {
	c := toyConfig()
	c.Posterior = &Posterior{Fit: "fit", Weights: []float64{1, 4}, Params: []PosteriorParam{{Paths: []string{"diffusion.q"}, Values: []float64{0.1, 0.5}}}}
	mustValid(t, c)
	const n = 20_000
	first := 0
	for r := range n {
		i := c.Posterior.Draw(c.Seed, r)
		if i != c.Posterior.Draw(c.Seed, r) {
			t.Fatalf("replicate %d drew two particles", r)
		}
		if i == 0 {
			first++
		}
		if r < 20 {
			if q, want := c.ForReplicate(r).Diffusion.Q, c.Posterior.Params[0].Values[i]; q != want {
				t.Errorf("replicate %d runs q = %g, its particle's is %g", r, q, want)
			}
		}
	}
	if se := math.Sqrt(0.2 * 0.8 / n); math.Abs(float64(first)/n-0.2) > 4.5*se {
		t.Errorf("%d of %d replications drew the particle of weight 0.2", first, n)
	}
	if c.Diffusion.Q != 0.4 {
		t.Errorf("ForReplicate changed the config itself: q = %g", c.Diffusion.Q)
	}
}

// TestPosteriorRuns runs a scenario whose posterior pins q to one of two
// values: replications that drew the same particle match runs of the plain
// scenario with that q on the same seeds, bit for bit.
func TestPosteriorRuns(t *testing.T) {
	c := toyConfig()
	c.Steps, c.Replicates = 12, 6
	c.Posterior = &Posterior{Weights: []float64{1, 1}, Params: []PosteriorParam{{Paths: []string{"diffusion.q"}, Values: []float64{0.1, 0.6}}}}
	mustValid(t, c)
	res, err := Run(context.Background(), c, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	drew := map[int]bool{}
	for r, run := range res.Runs {
		i := c.Posterior.Draw(c.Seed, r)
		drew[i] = true
		plain := toyConfig()
		plain.Steps, plain.Replicates = 12, 6
		plain.Diffusion.Q = c.Posterior.Params[0].Values[i]
		want, err := RunTasks(context.Background(), mustValid(t, plain), []Task{{0, r}}, Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(run.Rows, want[0].Rows) || !reflect.DeepEqual(run.Transfer, want[0].Transfer) {
			t.Errorf("replicate %d (particle %d) differs from the plain run with its q", r, i)
		}
	}
	if len(drew) != 2 {
		t.Errorf("6 replications drew only particles %v of two equally likely", drew)
	}
}

func TestPosteriorValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		post Posterior
		want string
	}{
		{"no particles", Posterior{Params: []PosteriorParam{{Paths: []string{"diffusion.q"}}}}, "posterior.weights"},
		{"a zero weight", Posterior{Weights: []float64{1, 0}, Params: []PosteriorParam{{Paths: []string{"diffusion.q"}, Values: []float64{0.1, 0.2}}}}, "posterior.weights[1]"},
		{"too few values", Posterior{Weights: []float64{1, 1}, Params: []PosteriorParam{{Paths: []string{"diffusion.q"}, Values: []float64{0.1}}}}, "posterior.params[0].values"},
		{"an unknown path", Posterior{Weights: []float64{1}, Params: []PosteriorParam{{Paths: []string{"diffusion.qq"}, Values: []float64{0.1}}}}, "posterior.params[0].paths"},
		{"a whole number", Posterior{Weights: []float64{1}, Params: []PosteriorParam{{Paths: []string{"steps"}, Values: []float64{10}}}}, "whole numbers"},
		{"a value out of range", Posterior{Weights: []float64{1, 1}, Params: []PosteriorParam{{Paths: []string{"diffusion.q"}, Values: []float64{0.1, 7}}}}, "particle 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := toyConfig()
			c.Posterior = &tc.post
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error naming %q", err, tc.want)
			}
		})
	}
}
