package scenarios

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/triad-sim/triad/sim"
)

// DefaultMemory is the memory budget of a run, in bytes (2 GB), unless
// the command line sets another (MemoryFlag): far above the built-in
// scenarios and the benchmarks of ten million firms (about 450 MB), and
// within the memory of a laptop.
const DefaultMemory = 2_000_000_000

// MemoryFlag is the command-line flag that sets the memory budget;
// messages name it.
const MemoryFlag = "--max-memory"

// Footprint is an estimate of the memory a run of a scenario takes at its
// peak, in bytes, by what takes it. It counts what the model allocates
// for its agents and tables (docs/PERFORMANCE.md, "Memory"): the firms'
// contacts and state, the tables over pairs of cities and of regions, and
// the results held; it leaves out what depends on how the run goes (the
// pushed signals of several live innovations, 4 B per firm and innovation
// at once), so a run may take more, never much less.
type Footprint struct {
	// Firms is the firms' contacts and state of every run in flight.
	Firms uint64
	// Pairs is the tables over pairs of cities and of regions of every
	// run in flight.
	Pairs uint64
	// Results is the figures of every run held: each run's rows, transfer
	// matrix and expected breakthroughs.
	Results uint64
	// Total is their sum with the program's own (runtimeBytes).
	Total uint64
}

// runtimeBytes is what the program takes before any run: the Go runtime,
// the scenario and the output's buffers.
const runtimeBytes = 30 << 20

// Per-unit costs of the model, measured (docs/PERFORMANCE.md) or counted
// from its slices (sim/model.go).
const (
	// pairBytes is the cost of a pair of cities in one run: its weight
	// (4 B), its cumulative contact probability and threshold (8 + 8 B)
	// and the ties' mixture (8 B), with the room they are computed in
	// (issue 3 measured 32 B a pair at 4,000 and 20,000 cities).
	pairBytes = 32
	// wellMixedPairBytes is the further cost of a pair of cities per
	// live innovation under well-mixed contacts.
	wellMixedPairBytes = 16
	// regionPairBytes is the cost of a pair of regions: link tables,
	// partner search and the transfer matrix.
	regionPairBytes = 40
	// rowBytes is the size of one sim.Row.
	rowBytes = 72
	// innovationBytes and innovationRegionBytes are the size of one
	// sim.Innovation and what it adds per region.
	innovationBytes, innovationRegionBytes = 160, 40
)

// Estimate returns the footprint of running cfg with inFlight runs at
// once (the smaller of the workers and the runs) while held runs' results
// are kept in memory.
func Estimate(cfg *sim.Config, inFlight, held int) Footprint {
	nR := uint64(len(cfg.Regions))
	var nC, firms, labsResearch uint64
	spread, friction := false, cfg.DefaultLink.Friction > 0
	for _, r := range cfg.Regions {
		for _, c := range r.Cities {
			nC++
			firms += uint64(max(c.Firms, 0))
			labsResearch += uint64(float64(max(c.Labs, 0)) * max(c.Research, 0) * float64(max(cfg.Steps, 0)))
			spread = spread || c.Capability.Spread > 0
		}
	}
	for _, l := range cfg.Links {
		friction = friction || l.Friction > 0
	}
	k := uint64(max(cfg.Diffusion.K, 0))
	reciprocal := cfg.Diffusion.Ties != sim.TiesDirected
	wellMixed := cfg.Diffusion.Mixing == sim.MixingWell
	// Per firm: its city (2 B), its adoption rows (8 B), its capability
	// when some city spreads them (4 B), its drawn contacts (4 B each).
	perFirm := uint64(2 + 8)
	if spread {
		perFirm += 4
	}
	if !wellMixed {
		perFirm += 4 * k
		if reciprocal {
			perFirm += 2 // the firms that drew it and its running count
		}
		several := labsResearch > 0 || len(cfg.Initial) > 1 || len(cfg.Policies) > 0
		if reciprocal && (several || friction) {
			perFirm += 4*k + 4 // the lists of the firms that drew each firm
		}
		if friction {
			perFirm += k // the kind of each contact
			if reciprocal {
				perFirm += k
			}
		}
	}
	pairs := nC*nC*pairBytes + nC*(nR+1)*4 + nR*nR*regionPairBytes
	if wellMixed {
		pairs += nC * nC * wellMixedPairBytes * uint64(max(1, len(cfg.Initial)))
	}
	steps := uint64(max(cfg.Steps, 0))
	perResult := steps*nR*rowBytes + nR*nR*8 + labsResearch*(innovationBytes+innovationRegionBytes*nR)
	f := Footprint{
		Firms:   uint64(max(inFlight, 1)) * firms * perFirm,
		Pairs:   uint64(max(inFlight, 1)) * pairs,
		Results: uint64(max(held, 0)+max(inFlight, 1)) * perResult,
	}
	f.Total = f.Firms + f.Pairs + f.Results + runtimeBytes
	return f
}

// CheckMemory refuses a run of cfg whose footprint (see Estimate) is over
// budget bytes, before any work, saying what takes the memory and how to
// raise the budget. A budget of 0 is no budget.
func CheckMemory(cfg *sim.Config, inFlight, held int, budget uint64) error {
	f := Estimate(cfg, inFlight, held)
	if budget == 0 || f.Total <= budget {
		return nil
	}
	cities := 0
	for _, r := range cfg.Regions {
		cities += len(r.Cities)
	}
	runs := fmt.Sprintf("%d runs at once", max(inFlight, 1))
	if inFlight <= 1 {
		runs = "1 run at once"
	}
	return fmt.Errorf("%s needs about %s of memory to run, more than the budget of %s: the firms' contacts and state %s, the tables over its %d cities' pairs %s (%s), the results held %s; %s %s raises the budget, and fewer --workers lower the need",
		cfg.Name, FormatBytes(f.Total), FormatBytes(budget), FormatBytes(f.Firms), cities, FormatBytes(f.Pairs), runs, FormatBytes(f.Results), MemoryFlag, flagSize(f.Total))
}

// FormatBytes writes n bytes in the largest unit of B, kB, MB and GB
// (powers of 1000) that keeps a digit before the point: "12.7 GB".
func FormatBytes(n uint64) string {
	units := []string{"B", "kB", "MB", "GB", "TB"}
	v, u := float64(n), 0
	for v >= 1000 && u < len(units)-1 {
		v /= 1000
		u++
	}
	if u == 0 {
		return fmt.Sprintf("%d B", n)
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + units[u]
}

// flagSize is a budget of at least n bytes written as for MemoryFlag: a
// whole number of gigabytes (or megabytes below one).
func flagSize(n uint64) string {
	if n < 1e9 {
		return fmt.Sprintf("%dMB", (n+999_999)/1_000_000)
	}
	return fmt.Sprintf("%dGB", (n+999_999_999)/1_000_000_000)
}

// ByteSize is a number of bytes as MemoryFlag takes it (see ParseBytes)
// and prints it (see FormatBytes). Its String, Set and Type methods make
// it a command-line flag's value.
type ByteSize uint64

func (b *ByteSize) String() string { return FormatBytes(uint64(*b)) }

// Type names the kind of value in a flag's help.
func (b *ByteSize) Type() string { return "size" }

// Set reads s as ParseBytes does.
func (b *ByteSize) Set(s string) error {
	n, err := ParseBytes(s)
	if err != nil {
		return err
	}
	*b = ByteSize(n)
	return nil
}

// ParseBytes reads a memory size as MemoryFlag takes it: a number with
// an optional unit, B, kB, MB, GB or TB (powers of 1000) or KiB, MiB, GiB
// or TiB (powers of 1024), such as 2GB, 1.5GiB or 500MB; a number alone
// is bytes. Units are not case-sensitive.
func ParseBytes(s string) (uint64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	num, unit := t, ""
	if i >= 0 {
		num, unit = t[:i], strings.TrimSpace(t[i:])
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("%q is not a size: want a number and a unit, such as 2GB or 512MB", s)
	}
	scale := map[string]float64{
		"": 1, "b": 1,
		"k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9, "t": 1e12, "tb": 1e12,
		"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
	}[strings.ToLower(unit)]
	if scale == 0 {
		return 0, fmt.Errorf("%q is not a size: the unit %q is not B, kB, MB, GB, TB, KiB, MiB, GiB or TiB", s, unit)
	}
	b := v * scale
	if b >= 1<<63 {
		return 0, fmt.Errorf("%q is more memory than any machine has", s)
	}
	return uint64(b), nil
}
