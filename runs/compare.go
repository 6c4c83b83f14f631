package runs

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/triad-sim/triad/output"
)

// CompareInput is one set of runs of a comparison: the runs of a finished
// folder (Folder true) or of a scenario run for it, with Source the
// folder or scenario as the command line gave it and FileSHA256 the
// SHA-256 (hex) of the scenario file (a folder's manifest records its
// own).
type CompareInput struct {
	Source     string
	Folder     bool
	FileSHA256 string
	Set        output.RunSet
}

// LoadCompareInput reads the runs of the finished output folder dir for
// a comparison: a folder without a sweep (else the error wraps
// ErrSweep), with the scenario file hash its manifest records.
func LoadCompareInput(ctx context.Context, dir string) (CompareInput, error) {
	set, err := LoadRunSet(ctx, dir)
	if err != nil {
		return CompareInput{}, err
	}
	if set.Config.Sweep != nil {
		return CompareInput{}, mark(fmt.Errorf("%s holds a sweep: compare takes single scenarios (use the sweep's summary.csv instead)", dir), ErrSweep)
	}
	m, err := ReadManifest(dir)
	if err != nil {
		return CompareInput{}, err
	}
	return CompareInput{Source: dir, Folder: true, FileSHA256: m.ScenarioFileSHA256, Set: set}, nil
}

// CompareSets returns the sets of ins in their order, a label that comes
// again numbered (name#2, name#3, ...), and the manifest of their
// comparison as p writes it.
func CompareSets(ins []CompareInput, p Program) ([]output.RunSet, CompareManifest) {
	sets := make([]output.RunSet, 0, len(ins))
	man := CompareManifest{Program: p}
	labels := map[string]int{}
	for _, in := range ins {
		set := in.Set
		labels[set.Label]++
		if n := labels[set.Label]; n > 1 {
			set.Label = fmt.Sprintf("%s#%d", set.Label, n)
		}
		sets = append(sets, set)
		man.Compare = append(man.Compare, CompareSet{Label: set.Label, Source: in.Source, Folder: in.Folder,
			ScenarioFileSHA256: in.FileSHA256, ConfigSHA256: output.ConfigHash(set.Config), Seed: set.Config.Seed, Replicates: set.Config.Replicates})
	}
	return sets, man
}

// CompareFolder is the default output folder of a comparison of sets:
// out/compare-A-vs-B.
func CompareFolder(sets []output.RunSet) string {
	var names []string
	for _, s := range sets {
		names = append(names, s.Label)
	}
	return filepath.Join("out", "compare-"+strings.Join(names, "-vs-"))
}
