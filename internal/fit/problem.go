package fit

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/triad-sim/triad/internal/calibrate"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// The replicate seeds of a fit's particles (Spec.Seeds).
const (
	// SeedsFresh runs each proposal on replicate seeds of its own, drawn
	// from the fit's seed, the generation and the proposal: no particle is
	// judged on the same few runs' luck as every other.
	SeedsFresh = "fresh"
	// SeedsCommon runs every proposal on the same replicate seeds
	// (common random numbers): particles differ by their parameters alone,
	// but the fit also fits those few runs' noise.
	SeedsCommon = "common"
)

// Param is one parameter to fit: its paths (set to the same value), its
// label, prior range and value in the scenario.
type Param struct {
	Label    string
	Paths    []string
	Lo, Hi   float64
	Original float64
}

// Params checks the parameters to fit against cfg and returns them with
// their values in cfg: each path must name a continuous parameter, and
// both ends of its prior range must be values it may take.
func Params(cfg *sim.Config, fps []scenarios.FitParam) ([]Param, error) {
	var ps []Param
	for _, fp := range fps {
		ps = append(ps, Param{Label: strings.Join(fp.Paths(), ","), Paths: fp.Paths(), Lo: *fp.Low, Hi: *fp.High})
	}
	for i, p := range ps {
		for _, path := range p.Paths {
			v, err := cfg.ParamValue(path)
			if err != nil {
				return nil, fmt.Errorf("parameter %s: %w", p.Label, err)
			}
			if whole, _ := cfg.ParamIsWhole(path); whole {
				return nil, fmt.Errorf("parameter %s takes whole numbers: fit takes continuous parameters only", path)
			}
			c := cfg.AtPoint(sim.Point{})
			for _, end := range []float64{p.Lo, p.Hi} {
				if err := c.Set(path, strconv.FormatFloat(end, 'g', -1, 64)); err != nil {
					return nil, fmt.Errorf("parameter %s: the prior range: %w", p.Label, err)
				}
			}
			ps[i].Original = v
		}
	}
	return ps, nil
}

// problem is the calibration problem: the parameters' priors, the targets
// and a simulator that sets a particle's values in a copy of the scenario
// and averages its figures over its replications (see Simulate).
func (s *Spec) problem() calibrate.Problem {
	p := calibrate.Problem{Noise: true}
	for _, q := range s.Params {
		p.Params = append(p.Params, calibrate.Param{Name: q.Label, Lo: q.Lo, Hi: q.Hi})
	}
	for _, t := range s.Targets {
		p.Observed = append(p.Observed, *t.Value)
		p.Scale = append(p.Scale, *t.Uncertainty)
	}
	fresh := s.Seeds == SeedsFresh
	p.Simulate = func(ctx context.Context, theta []float64, rng *rand.Rand) ([]float64, error) {
		if !fresh {
			rng = nil
		}
		return s.Simulate(ctx, theta, rng)
	}
	return p
}

// Simulate returns the targets' figures of the scenario with the
// parameters set to theta, each averaged over the scenario's replications:
// on seeds of the proposal's own when rng is not nil (the scenario seed
// drawn from rng, the proposal's stream, itself derived from the fit's
// seed, generation and proposal), else on the scenario's replicate seeds,
// which every particle shares (common random numbers). A point the
// scenario's rules refuse has NaN figures.
func (s *Spec) Simulate(ctx context.Context, theta []float64, rng *rand.Rand) ([]float64, error) {
	c := s.Config.AtPoint(sim.Point{})
	if rng != nil {
		c.Seed = rng.Uint64()
	}
	for j, q := range s.Params {
		for _, path := range q.Paths {
			if err := c.Set(path, strconv.FormatFloat(theta[j], 'g', -1, 64)); err != nil {
				return nil, err
			}
		}
	}
	figs := make([]float64, len(s.Targets))
	if c.Validate() != nil {
		for i := range figs {
			figs[i] = math.NaN()
		}
		return figs, nil
	}
	tasks := make([]sim.Task, c.Replicates)
	for r := range tasks {
		tasks[r] = sim.Task{Replicate: r}
	}
	runs, err := sim.RunTasks(ctx, c, tasks, sim.Options{Workers: 1})
	if err != nil {
		return nil, err
	}
	return TargetFigures(runs, c.RegionIDs(), s.Targets), nil
}

// TargetFigures is each target's figure averaged over the runs (runs where
// it does not exist, NaN, left out; NaN when it exists in none).
func TargetFigures(runs []*sim.RunResult, regions []string, targets []scenarios.Target) []float64 {
	sums := make([]float64, len(targets))
	ns := make([]int, len(targets))
	for _, r := range runs {
		ms := r.Metrics(regions)
		for i, t := range targets {
			v, found := 0.0, false
			rs := t.RegionList()
			for _, m := range ms {
				if m.Name != t.Metric {
					continue
				}
				if (len(rs) == 0 && m.Region == "") || (m.Region != "" && slices.Contains(rs, m.Region)) {
					v += m.Value
					found = true
				}
			}
			if found && !math.IsNaN(v) {
				sums[i] += v
				ns[i]++
			}
		}
	}
	out := make([]float64, len(targets))
	for i := range out {
		out[i] = math.NaN()
		if ns[i] > 0 {
			out[i] = sums[i] / float64(ns[i])
		}
	}
	return out
}
