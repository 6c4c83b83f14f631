package calibrate

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/triad-sim/triad/internal/portable"
	"github.com/triad-sim/triad/internal/share"
)

// Param is a parameter to fit, with a uniform prior on [Lo, Hi].
type Param struct {
	Name   string
	Lo, Hi float64
}

// Simulator returns the model's figures for the parameter vector theta, in
// the order of Problem.Observed. rng is the proposal's own random stream,
// for a model that draws its own noise; a model with common random numbers
// ignores it. A NaN figure rejects the proposal. Simulators are called
// concurrently.
type Simulator func(ctx context.Context, theta []float64, rng *rand.Rand) ([]float64, error)

// Problem is what to fit: parameters, observed figures and the model.
type Problem struct {
	Params []Param
	// Observed are the observed figures and Scale their uncertainties
	// (standard deviations), the units of the distance.
	Observed, Scale []float64
	// Noise adds a Gaussian error of standard deviation Scale to every
	// simulated figure before the distance is taken (see the package
	// documentation).
	Noise    bool
	Simulate Simulator
}

// Settings say how hard to try; they never change what is estimated.
type Settings struct {
	// Particles is the population size of each generation.
	Particles int
	// Generations is the number of generations, the first drawn from the
	// prior and accepted whole.
	Generations int
	// Quantile of the previous generation's distances that becomes the
	// next tolerance, in (0, 1); 0 means 0.5.
	Quantile float64
	// MaxProposals caps the proposals of one generation; 0 means 200 ×
	// Particles. A generation that cannot fill its population within the
	// cap is an error.
	MaxProposals int
	Seed         uint64
	// Workers evaluate proposals concurrently; 0 or less means 1. It never
	// changes the result.
	Workers int
	// Store, when set, keeps every simulated proposal as it is evaluated
	// and gives back those it holds instead of simulating them again: a
	// fit stopped mid-generation goes on where it stopped, and processes
	// that share a Store split a generation's proposals. It never changes
	// the result.
	Store Store
	// Shard and Shards (0 or 1: one process) say which share of each
	// batch of proposals this process evaluates first: those whose index
	// in the batch is Shard modulo Shards. It then evaluates the batch's
	// others that the Store does not hold yet, from the last, so that a
	// batch is complete in every process that ends it, whatever the other
	// processes did. It never changes the result.
	Shard, Shards int
}

// Evaluated is a simulated proposal as a Store keeps it: the parameters,
// the model's figures and the distance they got.
type Evaluated struct {
	Theta, Figures []float64
	Distance       float64
}

// Store keeps the simulated proposals of a fit by generation and index
// (both from 0). Its methods are called concurrently.
type Store interface {
	// Load returns proposal i of generation g and true if the store holds
	// it.
	Load(g, i int) (Evaluated, bool, error)
	// Save keeps proposal i of generation g.
	Save(g, i int, e Evaluated) error
}

// Particle is one accepted parameter vector.
type Particle struct {
	Theta []float64
	// Weight is the normalized importance weight (the weights of a
	// population sum to 1).
	Weight float64
	// Distance is the distance that got the particle accepted.
	Distance float64
	// Figures are the model's figures for Theta, without the error that
	// Problem.Noise adds.
	Figures []float64
}

// Generation records one generation of the fit.
type Generation struct {
	// Tolerance is the largest distance accepted (+Inf for the first).
	Tolerance float64
	// Proposals counts the proposals drawn, Simulated those inside the
	// prior's support (which were simulated) and Accepted those kept.
	Proposals, Simulated, Accepted int
	// ESS is the effective sample size of the weights, (Σw)² / Σw².
	ESS float64
}

// Summary describes a weighted sample: mean, standard deviation and the
// 2.5 % and 97.5 % quantiles.
type Summary struct {
	Mean, SD, Lo, Hi float64
}

// Result is the last generation and how the fit got there.
type Result struct {
	Particles   []Particle
	Generations []Generation
	// Params summarizes the posterior of each parameter, Figures the
	// model's figures over the posterior (the fit of each target).
	Params, Figures []Summary
}

// check reports what is wrong with a problem and its settings.
func check(p Problem, s Settings) error {
	var errs []error
	if len(p.Params) == 0 {
		errs = append(errs, errors.New("no parameters to fit"))
	}
	for _, q := range p.Params {
		if !(q.Lo < q.Hi) || math.IsInf(q.Lo, 0) || math.IsInf(q.Hi, 0) {
			errs = append(errs, fmt.Errorf("parameter %s: prior range [%g, %g] is not a finite interval", q.Name, q.Lo, q.Hi))
		}
	}
	if len(p.Observed) == 0 {
		errs = append(errs, errors.New("no observed figures"))
	}
	if len(p.Scale) != len(p.Observed) {
		errs = append(errs, fmt.Errorf("%d uncertainties for %d observed figures", len(p.Scale), len(p.Observed)))
	}
	for i, sc := range p.Scale {
		if !(sc > 0) || math.IsInf(sc, 0) {
			errs = append(errs, fmt.Errorf("figure %d: uncertainty %g is not positive", i, sc))
		}
	}
	if p.Simulate == nil {
		errs = append(errs, errors.New("no simulator"))
	}
	if s.Particles < 2 {
		errs = append(errs, fmt.Errorf("particles: %d, want at least 2", s.Particles))
	}
	if s.Generations < 1 {
		errs = append(errs, fmt.Errorf("generations: %d, want at least 1", s.Generations))
	}
	if s.Quantile < 0 || s.Quantile >= 1 {
		errs = append(errs, fmt.Errorf("quantile: %g is outside (0, 1)", s.Quantile))
	}
	return errors.Join(errs...)
}

// proposal is one evaluated proposal.
type proposal struct {
	theta, figures []float64
	distance       float64
	simulated      bool
	err            error
}

// Fit runs ABC-SMC on p. progress, when set, is called after each
// generation (from the calling goroutine). ctx cancels the fit between
// proposals and is passed to the simulator.
func Fit(ctx context.Context, p Problem, s Settings, progress func(g int, gen Generation)) (*Result, error) {
	var done func(Checkpoint) error
	if progress != nil {
		done = func(c Checkpoint) error {
			progress(len(c.Generations)-1, c.Generations[len(c.Generations)-1])
			return nil
		}
	}
	return FitFrom(ctx, p, s, nil, done)
}

// Checkpoint is a fit after some of its generations: their records, and
// the last one's population, weighted. A fit continued from it (FitFrom)
// gives the result the whole fit would have given, to the bit: the next
// generation's proposals depend only on the settings' seed, the
// generation, the proposal's number and this population.
type Checkpoint struct {
	Generations []Generation
	Particles   []Particle
}

// FitFrom runs ABC-SMC on p from the checkpoint from (nil: from the
// start) and calls done, when set, after each generation with the fit so
// far; an error from done stops the fit and is returned. ctx cancels the
// fit between proposals and is passed to the simulator.
func FitFrom(ctx context.Context, p Problem, s Settings, from *Checkpoint, done func(Checkpoint) error) (*Result, error) {
	if err := check(p, s); err != nil {
		return nil, err
	}
	if s.Quantile == 0 {
		s.Quantile = 0.5
	}
	if s.MaxProposals <= 0 {
		s.MaxProposals = 200 * s.Particles
	}
	s.Workers = max(1, s.Workers)
	res := &Result{}
	var prev []Particle
	if from != nil {
		if err := from.check(p, s); err != nil {
			return nil, err
		}
		res.Generations = slices.Clone(from.Generations)
		prev = from.Particles
	}
	tol := math.Inf(1)
	for g := len(res.Generations); g < s.Generations; g++ {
		var k *kernel
		if g > 0 {
			var err error
			if k, err = newKernel(prev, len(p.Params)); err != nil {
				return nil, fmt.Errorf("generation %d: %w", g+1, err)
			}
			ds := make([]float64, len(prev))
			for i, q := range prev {
				ds[i] = q.Distance
			}
			slices.Sort(ds)
			tol = portable.Quantile(s.Quantile, ds, nil)
		}
		pop, gen, err := generation(ctx, p, s, g, tol, k)
		if err != nil {
			return nil, fmt.Errorf("generation %d: %w", g+1, err)
		}
		if k != nil {
			weigh(pop, prev, k)
		} else {
			for i := range pop {
				pop[i].Weight = 1 / float64(len(pop))
			}
		}
		gen.ESS = ess(pop)
		res.Generations = append(res.Generations, gen)
		prev = pop
		if done != nil {
			if err := done(Checkpoint{Generations: res.Generations, Particles: pop}); err != nil {
				return nil, err
			}
		}
	}
	res.Particles = prev
	res.Params = summarize(prev, len(p.Params), func(q Particle) []float64 { return q.Theta })
	res.Figures = summarize(prev, len(p.Observed), func(q Particle) []float64 { return q.Figures })
	return res, nil
}

// check reports what makes c no checkpoint of a fit of p with settings s.
func (c *Checkpoint) check(p Problem, s Settings) error {
	switch {
	case len(c.Generations) == 0 || len(c.Generations) > s.Generations:
		return fmt.Errorf("checkpoint: %d generations done, want 1 to %d", len(c.Generations), s.Generations)
	case len(c.Particles) != s.Particles:
		return fmt.Errorf("checkpoint: %d particles, want %d", len(c.Particles), s.Particles)
	}
	for i, q := range c.Particles {
		if len(q.Theta) != len(p.Params) || len(q.Figures) != len(p.Observed) || !(q.Weight > 0) {
			return fmt.Errorf("checkpoint: particle %d has %d parameters, %d figures and weight %g; want %d, %d and a positive weight",
				i, len(q.Theta), len(q.Figures), q.Weight, len(p.Params), len(p.Observed))
		}
	}
	return nil
}

// generation draws proposals in batches of s.Particles, evaluated
// concurrently, and accepts them in index order until the population is
// full.
func generation(ctx context.Context, p Problem, s Settings, g int, tol float64, k *kernel) ([]Particle, Generation, error) {
	gen := Generation{Tolerance: tol}
	pop := make([]Particle, 0, s.Particles)
	batch := make([]proposal, s.Particles)
	for start := 0; len(pop) < s.Particles; start += len(batch) {
		if start >= s.MaxProposals {
			return nil, gen, fmt.Errorf("only %d of %d particles within tolerance %.4g after %d proposals: use fewer generations, a larger quantile or wider priors", len(pop), s.Particles, tol, start)
		}
		var wg sync.WaitGroup
		next := make(chan int)
		for range min(s.Workers, len(batch)) {
			wg.Go(func() {
				for i := range next {
					batch[i] = propose(ctx, p, s, g, start+i, k)
				}
			})
		}
		for _, i := range share.Order(len(batch), s.Shard, s.Shards) {
			if ctx.Err() != nil {
				break
			}
			next <- i
		}
		close(next)
		wg.Wait()
		if err := ctx.Err(); err != nil {
			return nil, gen, err
		}
		for _, b := range batch {
			if b.err != nil {
				return nil, gen, b.err
			}
		}
		for _, b := range batch {
			gen.Proposals++
			if b.simulated {
				gen.Simulated++
			}
			if b.simulated && !math.IsInf(b.distance, 1) && b.distance <= tol {
				pop = append(pop, Particle{Theta: b.theta, Distance: b.distance, Figures: b.figures})
				if len(pop) == s.Particles {
					break
				}
			}
		}
	}
	gen.Accepted = len(pop)
	return pop, gen, nil
}

// Stream purposes, so that the draws of one never shift another's.
const (
	purposePropose = 1 + iota // choosing and moving the parameters
	purposeModel              // the simulator's own randomness
	purposeNoise              // the measurement error of Problem.Noise
)

// stream returns the random stream of one proposal and purpose.
func stream(seed uint64, g, i int, purpose uint64) *rand.Rand {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[0:], seed)
	binary.LittleEndian.PutUint64(key[8:], uint64(g))
	binary.LittleEndian.PutUint64(key[16:], uint64(i))
	binary.LittleEndian.PutUint64(key[24:], purpose)
	return rand.New(rand.NewChaCha8(key))
}

// propose draws and evaluates proposal i of generation g: from the prior
// in the first generation, else a particle of the previous one moved by the
// kernel. A proposal inside the prior is taken from s.Store when it holds
// it, else simulated and saved there.
func propose(ctx context.Context, p Problem, s Settings, g, i int, k *kernel) proposal {
	rng := stream(s.Seed, g, i, purposePropose)
	theta := make([]float64, len(p.Params))
	if k == nil {
		for j, q := range p.Params {
			theta[j] = q.Lo + float64((q.Hi-q.Lo)*rng.Float64())
		}
	} else {
		anc := k.pick(rng.Float64())
		k.move(theta, k.theta[anc], rng)
		for j, q := range p.Params {
			if theta[j] < q.Lo || theta[j] > q.Hi {
				return proposal{theta: theta, distance: math.Inf(1)}
			}
		}
	}
	if s.Store != nil {
		e, ok, err := s.Store.Load(g, i)
		switch {
		case err != nil:
			return proposal{err: err}
		case ok && (!sameBits(e.Theta, theta) || len(e.Figures) != len(p.Observed)):
			return proposal{err: fmt.Errorf("the stored proposal %d of generation %d is not this fit's", i, g+1)}
		case ok:
			return proposal{theta: theta, figures: e.Figures, distance: e.Distance, simulated: true}
		}
	}
	pr := simulate(ctx, p, s.Seed, g, i, theta)
	if pr.err == nil && s.Store != nil {
		if err := s.Store.Save(g, i, Evaluated{Theta: pr.theta, Figures: pr.figures, Distance: pr.distance}); err != nil {
			return proposal{err: err}
		}
	}
	return pr
}

// sameBits reports whether a and b hold the same float64 values, bit for
// bit.
func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// simulate evaluates proposal i of generation g at theta: the model's
// figures and their distance to the observed ones.
func simulate(ctx context.Context, p Problem, seed uint64, g, i int, theta []float64) proposal {
	figs, err := p.Simulate(ctx, theta, stream(seed, g, i, purposeModel))
	if err != nil {
		return proposal{err: err}
	}
	if len(figs) != len(p.Observed) {
		return proposal{err: fmt.Errorf("the simulator returned %d figures, want %d", len(figs), len(p.Observed))}
	}
	noise := stream(seed, g, i, purposeNoise)
	d := 0.0
	for j, f := range figs {
		x := f
		if p.Noise {
			x += float64(p.Scale[j] * normal(noise))
		}
		z := (x - p.Observed[j]) / p.Scale[j]
		d += float64(z * z)
	}
	d = math.Sqrt(d)
	if math.IsNaN(d) {
		d = math.Inf(1)
	}
	return proposal{theta: theta, figures: figs, distance: d, simulated: true}
}

// kernel is the perturbation kernel of one generation: a Gaussian of twice
// the previous population's weighted covariance around one of its
// particles, chosen by weight.
type kernel struct {
	theta [][]float64
	logW  []float64
	cum   []float64
	// lower is the Cholesky factor L of the covariance (L Lᵀ), by rows.
	lower [][]float64
}

func newKernel(prev []Particle, dim int) (*kernel, error) {
	n := len(prev)
	k := &kernel{theta: make([][]float64, n), logW: make([]float64, n), cum: make([]float64, n)}
	w := make([]float64, n)
	c := 0.0
	for i, q := range prev {
		k.theta[i] = q.Theta
		k.logW[i] = portable.Log(q.Weight)
		c += q.Weight
		k.cum[i] = c
		// Frequency weights that sum to n.
		w[i] = q.Weight * float64(n)
	}
	cov := covariance(k.theta, w, dim)
	for _, row := range cov {
		for j := range row {
			row[j] *= 2
		}
	}
	var ok bool
	if k.lower, ok = cholesky(cov); !ok {
		// A degenerate population (a parameter that no longer varies):
		// keep the variances alone, with a floor.
		diag := make([][]float64, dim)
		for j := range dim {
			diag[j] = make([]float64, dim)
			diag[j][j] = max(cov[j][j], 1e-12)
		}
		if k.lower, ok = cholesky(diag); !ok {
			return nil, errors.New("the particles' covariance is not positive definite")
		}
	}
	return k, nil
}

// covariance returns the weighted covariance matrix of the rows of x, as
// stat.CovarianceMatrix defines it for frequency weights w:
// Σᵢ wᵢ (xᵢ − m)(xᵢ − m)ᵀ / (Σᵢ wᵢ − 1), m the weighted mean, every sum
// in row order.
func covariance(x [][]float64, w []float64, dim int) [][]float64 {
	col := make([]float64, len(x))
	mean := make([]float64, dim)
	for j := range dim {
		for i, row := range x {
			col[i] = row[j]
		}
		mean[j], _ = portable.MeanVariance(col, w)
	}
	norm := portable.Sum(w) - 1
	cov := make([][]float64, dim)
	for a := range dim {
		cov[a] = make([]float64, dim)
		for b := 0; b <= a; b++ {
			s := 0.0
			for i, row := range x {
				s += float64(w[i] * (row[a] - mean[a]) * (row[b] - mean[b]))
			}
			cov[a][b] = s / norm
			cov[b][a] = cov[a][b]
		}
	}
	return cov
}

// cholesky returns the lower triangular L with L Lᵀ = a, or false when a
// is not positive definite.
func cholesky(a [][]float64) ([][]float64, bool) {
	n := len(a)
	l := make([][]float64, n)
	for i := range n {
		l[i] = make([]float64, n)
		for j := 0; j <= i; j++ {
			s := a[i][j]
			for k := range j {
				s -= float64(l[i][k] * l[j][k])
			}
			if i == j {
				if !(s > 0) {
					return nil, false
				}
				l[i][i] = math.Sqrt(s)
			} else {
				l[i][j] = s / l[j][j]
			}
		}
	}
	return l, true
}

// move sets dst to mean plus a draw of the kernel's Gaussian: mean + L z
// with z standard normal and L the Cholesky factor of the covariance.
func (k *kernel) move(dst, mean []float64, rng *rand.Rand) {
	z := make([]float64, len(mean))
	for i := range z {
		z[i] = normal(rng)
	}
	for i, row := range k.lower {
		s := 0.0
		for j := 0; j <= i; j++ {
			s += float64(row[j] * z[j])
		}
		dst[i] = s + mean[i]
	}
}

// mahalanobis2 returns the squared Mahalanobis distance between x and y
// under the kernel's covariance: |L⁻¹(x − y)|², by forward substitution.
func (k *kernel) mahalanobis2(x, y []float64) float64 {
	u := make([]float64, len(x))
	d2 := 0.0
	for i, row := range k.lower {
		s := x[i] - y[i]
		for j := range i {
			s -= float64(row[j] * u[j])
		}
		u[i] = s / row[i]
		d2 += float64(u[i] * u[i])
	}
	return d2
}

// normal returns a standard normal draw: the normal quantile of a uniform
// number in (0, 1), which has the same bits on every platform (math/rand's
// NormFloat64 takes math.Exp and math.Log in its tails, whose bits depend
// on the processor).
func normal(rng *rand.Rand) float64 {
	return portable.NormalQuantile((float64(rng.Uint64()>>11) + 0.5) * 0x1p-53)
}

// pick returns the index of the particle whose cumulative weight first
// reaches u × total.
func (k *kernel) pick(u float64) int {
	i, _ := slices.BinarySearch(k.cum, u*k.cum[len(k.cum)-1])
	return min(i, len(k.cum)-1)
}

// weigh sets the importance weights of pop, proposed from prev through k
// under a uniform prior: w ∝ 1 / Σ_j W_j K(θ | θ_j). The kernel's
// normalizing constant is the same for every term and cancels.
func weigh(pop, prev []Particle, k *kernel) {
	logw := make([]float64, len(pop))
	terms := make([]float64, len(prev))
	for i, q := range pop {
		for j := range prev {
			terms[j] = k.logW[j] - float64(k.mahalanobis2(q.Theta, k.theta[j])/2)
		}
		logw[i] = -logSumExp(terms)
	}
	top := slices.Max(logw)
	sum := 0.0
	for i := range pop {
		pop[i].Weight = portable.Exp(logw[i] - top)
		sum += pop[i].Weight
	}
	for i := range pop {
		pop[i].Weight /= sum
	}
}

// logSumExp returns log Σ exp(x), taking the largest value out first so
// that the exponentials cannot overflow.
func logSumExp(x []float64) float64 {
	top := slices.Max(x)
	if math.IsInf(top, 0) {
		return top
	}
	s := 0.0
	for _, v := range x {
		s += portable.Exp(v - top)
	}
	return portable.Log(s) + top
}

// ess is the effective sample size of a population's weights.
func ess(pop []Particle) float64 {
	s, s2 := 0.0, 0.0
	for _, q := range pop {
		s += q.Weight
		s2 += float64(q.Weight * q.Weight)
	}
	return s * s / s2
}

// summarize describes each of dim values of the weighted particles.
func summarize(pop []Particle, dim int, value func(Particle) []float64) []Summary {
	out := make([]Summary, dim)
	n := float64(len(pop))
	for j := range dim {
		type pair struct{ x, w float64 }
		ps := make([]pair, len(pop))
		for i, q := range pop {
			ps[i] = pair{value(q)[j], q.Weight * n}
		}
		slices.SortStableFunc(ps, func(a, b pair) int {
			switch {
			case a.x < b.x:
				return -1
			case a.x > b.x:
				return 1
			}
			return 0
		})
		x := make([]float64, len(ps))
		w := make([]float64, len(ps))
		for i, p := range ps {
			x[i], w[i] = p.x, p.w
		}
		m, sd := portable.MeanStdDev(x, w)
		out[j] = Summary{Mean: m, SD: sd, Lo: portable.Quantile(0.025, x, w), Hi: portable.Quantile(0.975, x, w)}
	}
	return out
}
