package scenarios

import (
	"fmt"
	"strings"
	"testing"
)

// TestLoadReadsALargeScenarioWhole holds every value of a large valid
// scenario against its file. The loader's index once stopped after
// 100,000 YAML values, and a 20,000-city scenario (60,000 firms, under
// every cap) validated "ok" with transform, reach, local and pull silently
// zero in the later cities and regions. It is read without caps: the
// default caps on a file's bytes and tokens refuse it.
func TestLoadReadsALargeScenarioWhole(t *testing.T) {
	cities := 20_000
	if testing.Short() {
		cities = 10_000 // still past the old limit
	}
	const perRegion = 10
	// Values that differ from city to city and from the defaults.
	transform := func(i int) float64 { return float64(1+i%997) / 1000 }
	reach := func(r int) float64 { return float64(1+r%89) / 100 }
	local := func(r int) float64 { return float64(1+r%97) / 100 }
	pull := func(r int) float64 { return float64(1+r%83) / 100 }
	var b strings.Builder
	b.WriteString("name: large\nsteps: 10\nreplications: 1\ndiffusion: {k: 2, q: 0.3}\ntransfer: {attempts: 1, max_pending: 4}\ndefault_link: {friction: 0.5, coupling: 1}\nregions:\n")
	for i := range cities {
		if i%perRegion == 0 {
			r := i / perRegion
			fmt.Fprintf(&b, "  - id: r%d\n    p: 0.001\n    reach: %g\n    local: %g\n    pull: %g\n    cities:\n", r, reach(r), local(r), pull(r))
		}
		// Lists at their key's column, as some editors write them.
		fmt.Fprintf(&b, "    - id: c%d\n      labs: 1\n      firms: 3\n      research: 0.01\n      transform: %g\n      capability: {mean: 0.5, spread: 0.1}\n", i, transform(i))
	}
	cfg, err := LoadCapped("large.yaml", []byte(b.String()), NoCaps)
	if err != nil {
		t.Fatalf("Load: %.2000v", err)
	}
	if got, want := len(cfg.Regions), cities/perRegion; got != want {
		t.Fatalf("got %d regions, want %d", got, want)
	}
	bad := 0
	for r, reg := range cfg.Regions {
		if reg.Reach != reach(r) || reg.Local != local(r) || reg.Pull != pull(r) {
			t.Errorf("region %d: got reach %g, local %g, pull %g, want %g, %g, %g", r, reg.Reach, reg.Local, reg.Pull, reach(r), local(r), pull(r))
			bad++
		}
		for j, c := range reg.Cities {
			i := r*perRegion + j
			if c.ID != fmt.Sprintf("c%d", i) || c.Firms != 3 || c.Labs != 1 || c.Transform != transform(i) || c.Capability.Mean != 0.5 {
				t.Errorf("city %d: got %+v, want id c%d, 3 firms, 1 lab, transform %g", i, c, i, transform(i))
				bad++
			}
		}
		if bad > 10 {
			t.Fatal("and more")
		}
	}
}
