package runs

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

func TestCompareSetsNumbersLabelsThatComeAgain(t *testing.T) {
	set := func(label string, seed uint64) output.RunSet {
		return output.RunSet{Label: label, Config: sim.Config{Name: label, Seed: seed, Replicates: 3}}
	}
	ins := []CompareInput{
		{Source: "a.yaml", FileSHA256: "aa", Set: set("a", 1)},
		{Source: "out/a", Folder: true, FileSHA256: "bb", Set: set("a", 1)},
		{Source: "b.yaml", Set: set("b", 1)},
		{Source: "a2.yaml", Set: set("a", 2)},
	}
	sets, man := CompareSets(ins, Program{Version: "v"})
	var labels, manLabels []string
	for i, s := range sets {
		labels = append(labels, s.Label)
		manLabels = append(manLabels, man.Compare[i].Label)
	}
	want := []string{"a", "a#2", "b", "a#3"}
	if !slices.Equal(labels, want) || !slices.Equal(manLabels, want) {
		t.Errorf("labels %v, manifest %v, want %v", labels, manLabels, want)
	}
	if c := man.Compare[1]; c.Source != "out/a" || !c.Folder || c.ScenarioFileSHA256 != "bb" || c.Seed != 1 || c.Replicates != 3 ||
		c.ConfigSHA256 != output.ConfigHash(ins[1].Set.Config) {
		t.Errorf("manifest entry %+v", c)
	}
	if man.Version != "v" || ins[1].Set.Label != "a" {
		t.Errorf("program %q, input label changed to %q", man.Version, ins[1].Set.Label)
	}
	if got, want := CompareFolder(sets), filepath.Join("out", "compare-a-vs-a#2-vs-b-vs-a#3"); got != want {
		t.Errorf("folder %q, want %q", got, want)
	}
}
