// Package sim is the triad model: labs make breakthroughs, firms turn them
// into products, and products spread from firm to firm across regions.
//
// A [Config] describes one experiment completely: regions, cities and
// links, the scenario-wide parameters, timed policies, an optional sweep
// and the seed. [Run] (or [RunTasks] for some of its runs) computes it and
// returns every run's rows and per-run figures ([RunResult],
// [RunResult.Metrics]) and its innovation log. docs/MODEL.md describes the
// model in the ODD form; [Params] is the table of every numeric parameter
// with its range and default, from which validation, --set paths, policies
// and docs/SCENARIOS.md are derived.
//
// # Determinism
//
// The same Config gives the same Result, bit for bit, whatever [Options]
// holds: the number of workers, the order in which runs finish, or how the
// runs are split across calls, processes or machines. Every random number
// comes from a stream keyed by (run seed, purpose, step, block of agents),
// never by goroutine; sums across blocks are added in block order; the run
// seed depends only on the scenario seed, the sweep point and the
// replicate. A context can stop a run between steps but never changes its
// numbers. Nor does the platform: no product is fused with an addition
// (an explicit conversion, float64(x*y) + z, forbids it where Go would fuse
// on arm64; internal/layout's TestNoFusedArithmetic checks the compiled
// code), and logarithms come from internal/portable, not from math, whose
// assembly differs between processors.
//
// # What it is not
//
// The package reads no files, prints nothing, looks at no clock and knows
// nothing of YAML, flags or charts: it imports only the standard library
// and internal/portable. Scenario files are package scenarios' job, tables and charts
// package output's, and the command line cmd/triad's. A Config must be
// valid ([Config.Validate]) before it is run; running an invalid one is a
// programmer's mistake and panics.
package sim
