// Package calibrate fits a simulation model's unknown parameters to
// observed figures by approximate Bayesian computation with sequential
// Monte Carlo (ABC-SMC, the population Monte Carlo of Beaumont, Cornuet,
// Marin and Robert 2009, with the adaptive tolerances of Del Moral, Doucet
// and Jasra 2012).
//
// A [Problem] names the parameters with uniform priors, the observed
// figures with their uncertainties and a [Simulator] that returns the
// model's figures for a parameter vector. [Fit] draws particles from the
// prior, keeps those whose figures lie near the observed ones, and in each
// later generation moves the kept particles with a Gaussian kernel (twice
// their weighted covariance) and keeps those within a tighter tolerance,
// the given quantile of the previous generation's distances. The distance
// is Euclidean in units of each figure's uncertainty.
//
// When [Problem.Noise] is set, every simulated figure gets a Gaussian error
// with the figure's uncertainty as its standard deviation before the
// distance is taken. That is the error model of Wilkinson (2013): the
// observed figure is the model's plus a measurement error, and as the
// tolerance shrinks the particles follow the posterior under that model,
// so the figures' uncertainty becomes the parameters' uncertainty even
// when the simulator itself is deterministic (common random numbers).
//
// # Determinism
//
// Every random number of a proposal comes from a stream keyed by (seed,
// generation, proposal index); proposals are evaluated concurrently in
// batches whose size does not depend on the number of workers and are
// accepted in index order. The same Problem and Settings give the same
// Result, bit for bit, whatever Settings.Workers is, and on every
// platform: the normal draws, the covariance and its Cholesky factor, the
// weights and the summaries are computed here and with internal/portable,
// without fused multiply-add, where gonum's matrices, math/rand's
// NormFloat64 and math.Exp give other bits on other processors (given a
// Simulator that is as portable).
//
// A [Store] keeps every simulated proposal as it is evaluated, so a fit
// stopped in the middle of a generation goes on without simulating them
// again, and processes that share one split each batch of proposals among
// themselves (Settings.Shard of Settings.Shards): each evaluates its share
// first, then whatever the store still lacks, so that it ends every batch
// with all of it and accepts the same particles as a fit in one process.
//
// # What it is not
//
// The package reads no files, looks at no clock and knows nothing of triad's
// scenarios: it imports only the standard library and internal/portable.
// The command (triad fit) turns scenarios and target files into a Problem
// and writes the Result.
package calibrate
