package sim

import (
	"fmt"
	"math"
	"slices"
)

// Posterior draws, for each replicate, the values of some parameters from a
// weighted sample of them: the final population of a fit (triad fit), so
// that the runs' spread carries what the fit left uncertain as well as the
// model's chance (a posterior predictive run). Replicate r takes the
// particle that a stream of its own, keyed by the scenario seed and r,
// picks by weight: the same particle at every sweep point and in every
// shard, whatever the workers.
type Posterior struct {
	// Fit names where the sample comes from (a fit's folder), for the
	// reader of the results.
	Fit string `yaml:"fit" json:"fit"`
	// Params are the parameters drawn: the paths that take one value, and
	// that value in each particle.
	Params []PosteriorParam `yaml:"params" json:"params"`
	// Weights are the particles' weights (positive; they need not sum
	// to 1).
	Weights []float64 `yaml:"weights" json:"weights"`
}

// PosteriorParam is one drawn parameter: its paths (as for Config.Set)
// and its value in each particle of the sample.
type PosteriorParam struct {
	Paths  []string  `yaml:"paths" json:"paths"`
	Values []float64 `yaml:"values" json:"values"`
}

// Draw returns the particle that replicate r of a scenario of the given
// seed takes: the first whose cumulative weight exceeds u times the
// total, u uniform from the replicate's own stream.
func (p *Posterior) Draw(seed uint64, r int) int {
	g := stream(RunSeed(seed, 0, r), purposePosterior, 0, 0)
	u := g.float()
	total := 0.0
	for _, w := range p.Weights {
		total += w
	}
	at, cum := float64(u*total), 0.0
	for i, w := range p.Weights {
		cum += w
		if at < cum {
			return i
		}
	}
	return len(p.Weights) - 1
}

// apply sets particle i's values in c.
func (p *Posterior) apply(c *Config, i int) {
	for _, q := range p.Params {
		for _, path := range q.Paths {
			t, err := c.resolve(path)
			if err != nil {
				panic("sim: posterior path was validated: " + err.Error())
			}
			t.set(c, q.Values[i])
		}
	}
}

// ForReplicate returns the config that replicate r of c runs: c itself
// without a posterior, else a copy with the values of the particle the
// replicate draws.
func (c *Config) ForReplicate(r int) *Config {
	if c.Posterior == nil {
		return c
	}
	d := cloneConfig(c)
	c.Posterior.apply(&d, c.Posterior.Draw(c.Seed, r))
	return &d
}

// maxPosteriorParticles bounds the sample a scenario may carry.
const maxPosteriorParticles = 1_000_000

// validatePosterior checks the posterior block: parameters that exist and
// take continuous values, a value for every particle, positive finite
// weights, and a scenario that every particle leaves valid.
func (c *Config) validatePosterior(add func(string, string, ...any)) {
	p := c.Posterior
	if p == nil {
		return
	}
	n := len(p.Weights)
	switch {
	case n == 0:
		add("posterior.weights", "a posterior needs at least one particle")
		return
	case n > maxPosteriorParticles:
		add("posterior.weights", "%d particles is more than %d", n, maxPosteriorParticles)
		return
	case len(p.Params) == 0:
		add("posterior.params", "a posterior needs at least one parameter")
		return
	}
	if i := slices.IndexFunc(p.Weights, func(w float64) bool { return !(w > 0) || math.IsInf(w, 1) }); i >= 0 {
		add(fmt.Sprintf("posterior.weights[%d]", i), "%g is not a positive weight", p.Weights[i])
	}
	bad := false
	for j, q := range p.Params {
		field := fmt.Sprintf("posterior.params[%d]", j)
		if len(q.Paths) == 0 {
			add(field+".paths", "names no parameter")
			bad = true
		}
		for _, path := range q.Paths {
			t, err := c.resolve(path)
			switch {
			case err != nil:
				add(field+".paths", "%v", err)
				bad = true
			case t.param.Int:
				add(field+".paths", "%s takes whole numbers: a posterior draws continuous parameters", path)
				bad = true
			}
		}
		if len(q.Values) != n {
			add(field+".values", "%d values for %d weights", len(q.Values), n)
			bad = true
		}
	}
	if bad {
		return
	}
	// Each particle must leave the scenario valid; the first that does
	// not is named.
	for i := range n {
		d := cloneConfig(c)
		d.Posterior = nil
		p.apply(&d, i)
		if err := d.Validate(); err != nil {
			add("posterior", "particle %d makes the scenario invalid: %v", i, err)
			return
		}
	}
}
