package sim

// BuildModel builds the model of cfg's first run as a run would, and drops
// it: the benchmarks time the build on its own.
func BuildModel(cfg Config, workers int) {
	newModel(&cfg, cfg.RunSeed(Task{}), workers)
}

// SaltelliRows returns the rows A_j, B_j of a Saltelli design in [0, 1],
// quasi-random or with pseudo independent draws, for the convergence
// comparison.
func SaltelliRows(seed uint64, n, k int, pseudo bool) [][]float64 {
	return saltelliRows(seed, n, k, pseudo)
}
