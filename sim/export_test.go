package sim

// BuildModel builds the model of cfg's first run as a run would, and drops
// it: the benchmarks time the build on its own.
func BuildModel(cfg Config, workers int) {
	newModel(&cfg, cfg.RunSeed(Task{}), workers)
}
