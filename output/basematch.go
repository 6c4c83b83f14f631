package output

import "github.com/triad-sim/triad/sim"

// BaselineMatch is how a scenario to check matches the one its baseline
// was made from, as data: the command says it in its own words.
type BaselineMatch struct {
	// Unhashed means the baseline predates config_sha256, so the scenarios
	// could not be compared.
	Unhashed bool
	// Differs means the resolved scenarios differ (ConfigHash), the
	// scenario's hash being ConfigSHA256.
	Differs      bool
	ConfigSHA256 string
	// OtherSeed means the scenario runs on another seed than the
	// baseline's: a check on another seed, as intended.
	OtherSeed bool
}

// Match compares the scenario cfg with the one b was made from. Its error
// is that of CheckSteps: cfg's runs are too short for b's times.
func (b Baseline) Match(cfg sim.Config) (BaselineMatch, error) {
	if err := b.CheckSteps(cfg.Steps); err != nil {
		return BaselineMatch{}, err
	}
	h := ConfigHash(cfg)
	return BaselineMatch{
		Unhashed:     b.ConfigSHA256 == "",
		Differs:      b.ConfigSHA256 != "" && h != b.ConfigSHA256,
		ConfigSHA256: h,
		OtherSeed:    cfg.Seed != b.Seed,
	}, nil
}
