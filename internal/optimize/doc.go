// Package optimize searches how a budget is best shared among levers (the
// allocation that makes an objective smallest or largest) when every
// evaluation is a noisy simulation, and answers honestly: the chosen
// allocation and its rivals are run again on fresh seeds that the search
// never saw, and only those runs give the effect that is reported.
//
// The allocations are the points of a lattice on the budget simplex:
// shares of the budget in whole multiples of 1/Grid, held as integers, so
// that the candidates, their order and every decision of the search are
// the same on every processor. The search races them (successive halving,
// as in irace and Hyperband): every candidate of a round is evaluated on
// the same replications (common random numbers), the best third goes on to
// the next round with twice the replications, and once a few leaders are
// left the lattice is refined around them (Grid doubles) and the race
// starts again among their neighbours, until the budget of evaluations is
// spent. A floating-point optimiser (CMA-ES, Nelder–Mead) would propose
// points whose last bits depend on the processor (Go fuses x*y+z on
// arm64), so its path, and the answer, could differ between machines;
// racing over an integer lattice is exact and is the standard answer for
// noisy objectives.
//
// The package runs nothing itself: an Evaluator does (SimEvaluator runs
// the model), so that the search can be tested on an analytic objective
// through the same machinery. Start is the whole use case of `triad
// optimize` in a folder: it loads the levers, readies, joins or goes on
// with the folder, runs the search with its checkpoints and writes the
// folder (Report.Write); Print prints the answer as a table for a
// terminal. It is not the command: it parses no flags, reads no file
// named on the command line and returns typed errors (ChangedError,
// InterruptedError, InputError, ErrBudget, ErrFinished) that the command
// words.
package optimize
