package scenarios

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triad-sim/triad/sim"
)

// citiesConfig is a valid scenario of n cities of three firms each, ten
// to a region, for one replicate of two steps: the shape that issue 3
// measured (20,000 cities took 12.67 GB and 306 s).
func citiesConfig(n int) sim.Config {
	c := sim.NewConfig()
	c.Name, c.Steps, c.Replicates = "cities", 2, 1
	c.Diffusion.K = 2
	for i := range n {
		if i%10 == 0 {
			r := sim.NewRegion()
			r.ID, r.P = fmt.Sprintf("r%d", i/10), 0.001
			c.Regions = append(c.Regions, r)
		}
		ct := sim.NewCity()
		ct.ID, ct.Firms, ct.Labs, ct.Research = fmt.Sprintf("c%d", i), 3, 1, 0.01
		r := &c.Regions[len(c.Regions)-1]
		r.Cities = append(r.Cities, ct)
	}
	return c
}

func TestEstimateMatchesWhatRunsTook(t *testing.T) {
	gb := func(f Footprint) float64 { return float64(f.Total) / 1e9 }
	// Issue 3 measured the peak resident memory of these runs.
	big := citiesConfig(20_000)
	if got := gb(Estimate(&big, 1, 1)); got < 11 || got > 15 {
		t.Errorf("20,000 cities: got %.2f GB, want about 12.67 GB", got)
	}
	mid := citiesConfig(4_000)
	if got := gb(Estimate(&mid, 1, 1)); got < 0.45 || got > 0.65 {
		t.Errorf("4,000 cities: got %.2f GB, want about 0.537 GB", got)
	}
	// docs/PERFORMANCE.md measured the benchmarks of ten million firms:
	// 415 MiB (diffusion-10m) and 418 MiB (four-region at 10M firms).
	src, err := os.ReadFile(filepath.Join("..", "docs", "bench", "diffusion-10m.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadCapped("diffusion-10m.yaml", src, NoCaps)
	if err != nil {
		t.Fatal(err)
	}
	if got := gb(Estimate(&cfg, 1, cfg.Replicates)); got < 0.35 || got > 0.65 {
		t.Errorf("diffusion-10m: got %.2f GB, want about 0.435 GB", got)
	}
}

func TestCheckMemoryRefusesWhatTheBudgetCannotHold(t *testing.T) {
	big := citiesConfig(20_000)
	err := CheckMemory(&big, 1, 1, DefaultMemory)
	if err == nil {
		t.Fatal("20,000 cities: got no error, want the run refused")
	}
	for _, want := range []string{"cities needs about 13.", "more than the budget of 2.0 GB", "tables over its 20000 cities' pairs 13.", "--max-memory 14GB raises the budget"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("got %q, want it to say %q", err, want)
		}
	}
	if err := CheckMemory(&big, 1, 1, 0); err != nil {
		t.Errorf("no budget: got %v, want no error", err)
	}
	// k = 1000 costs 4 kB a firm for the contacts it draws and, with
	// labs and reciprocal ties, 4 kB for those drawn to it: 2,000,000
	// firms need 8 GB.
	many := citiesConfig(10)
	for i := range many.Regions[0].Cities {
		many.Regions[0].Cities[i].Firms = 200_000
	}
	many.Diffusion.K = 1000
	if f := Estimate(&many, 1, 1); f.Firms < 7.5e9 || f.Firms > 9e9 {
		t.Errorf("k = 1000 at 2,000,000 firms: got %s for the firms, want about 8 GB", FormatBytes(f.Firms))
	}
	if err := CheckMemory(&many, 1, 1, DefaultMemory); err == nil || !strings.Contains(err.Error(), "the firms' contacts and state 8.0 GB") {
		t.Errorf("k = 1000 at 2,000,000 firms: got %v, want the firms' state named", err)
	}
	// Every built-in scenario fits the default budget on 8 workers.
	for _, b := range List() {
		src, err := Source(b.Name)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := Load(b.Name, src)
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckMemory(&cfg, 8, cfg.Replicates, DefaultMemory); err != nil {
			t.Errorf("%s: %v", b.Name, err)
		}
	}
}

func TestParseBytes(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"2GB", 2e9, true},
		{"512 MB", 512e6, true},
		{"1.5GiB", 3 << 29, true},
		{"100", 100, true},
		{"0", 0, true},
		{"8gb", 8e9, true},
		{"lots", 0, false},
		{"2XB", 0, false},
		{"-1GB", 0, false},
		{"1e30GB", 0, false},
	}
	for _, tc := range tests {
		got, err := ParseBytes(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseBytes(%q): got %d, %v; want %d, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

// TestByteSize checks the flag value of MemoryFlag: Set reads as
// ParseBytes, String prints as FormatBytes, and a size that cannot be read
// leaves the value as it was.
func TestByteSize(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"8GB", "8.0 GB", true},
		{"512MB", "512.0 MB", true},
		{"0", "0 B", true},
		{"1.5GiB", "1.6 GB", true},
		{"lots", "2.0 GB", false},
		{"2XB", "2.0 GB", false},
	}
	for _, tc := range tests {
		b := ByteSize(DefaultMemory)
		err := b.Set(tc.in)
		if (err == nil) != tc.ok || b.String() != tc.want {
			t.Errorf("Set(%q): got %s, %v; want %s, ok %v", tc.in, b.String(), err, tc.want, tc.ok)
		}
	}
	if b := ByteSize(0); b.Type() != "size" {
		t.Errorf("Type: got %q, want size", b.Type())
	}
}
