package runs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// Pairing gathers the inputs of a comparison in the order of the command
// line, so that their runs pair: the scenarios run on the seed and
// replications of the first input, scenario or finished folder (see
// Pair).
type Pairing struct {
	Inputs []CompareInput
}

// AddFolder adds the runs of the finished output folder dir (see
// LoadCompareInput).
func (p *Pairing) AddFolder(ctx context.Context, dir string) error {
	in, err := LoadCompareInput(ctx, dir)
	if err != nil {
		return err
	}
	p.Inputs = append(p.Inputs, in)
	return nil
}

// Pair gives cfg the seed and replications of the first input, if there
// is one already, so that its runs pair with that input's. Flags that set
// them apply after it.
func (p *Pairing) Pair(cfg *sim.Config) {
	if len(p.Inputs) > 0 {
		first := p.Inputs[0].Set.Config
		cfg.Seed, cfg.Replicates = first.Seed, first.Replicates
	}
}

// AddScenario adds the scenario cfg, read from the file src that source
// names on the command line, to be run for the comparison. A scenario
// with a sweep is refused (the error wraps ErrSweep).
func (p *Pairing) AddScenario(source string, src []byte, cfg sim.Config) error {
	if cfg.Sweep != nil {
		return mark(fmt.Errorf("%s has a sweep: compare takes single scenarios (use the sweep's summary.csv instead)", source), ErrSweep)
	}
	sum := sha256.Sum256(src)
	p.Inputs = append(p.Inputs, CompareInput{Source: source, FileSHA256: hex.EncodeToString(sum[:]), Set: output.RunSet{Label: cfg.Name, Config: cfg}})
	return nil
}

// SameRegions returns an error naming the regions in which an input
// differs from the first (see output.RegionsDiffer), or nil when every
// input has the first's regions.
func (p *Pairing) SameRegions() error {
	base := p.Inputs[0]
	for _, in := range p.Inputs[1:] {
		if err := output.RegionsDiffer(base.Source, in.Source, base.Set.Config.RegionIDs(), in.Set.Config.RegionIDs()); err != nil {
			return err
		}
	}
	return nil
}

// Run runs each scenario of the comparison with run, in their order, and
// keeps its runs; a folder's runs are read already. It stops at the first
// error.
func (p *Pairing) Run(run func(sim.Config) (*sim.Result, error)) error {
	for i, in := range p.Inputs {
		if in.Folder {
			continue
		}
		res, err := run(in.Set.Config)
		if err != nil {
			return err
		}
		p.Inputs[i].Set.Regions, p.Inputs[i].Set.Runs = res.Regions, res.Runs
	}
	return nil
}
