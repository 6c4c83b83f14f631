package sim

import (
	"math/bits"
	"runtime"
	"runtime/debug"
	"testing"
)

// TestQuietStepsDoNotAllocate checks that a step allocates nothing on one
// worker, as a fit's proposals and a sweep's points run, once the run has
// its room: after the first ten steps, a step that neither finds nor
// commercializes a breakthrough, nor follows one that did (those make an
// innovation's state and its room in the tables of the trials), nor
// builds the tables of a trial path it is the first to take (roomOf), may
// allocate only to grow the lists of its adoptions (an allocation each
// time append doubles one).
// Every trial path is covered: reciprocal ties with friction and several
// innovations (pushed signals), directed ties (the rows of the ties),
// well-mixed contacts, and one innovation with weights all 1 (running
// counts with reciprocal ties, signals8 with directed ones).
func TestQuietStepsDoNotAllocate(t *testing.T) {
	oneInnovation := func(ties string) Config {
		c := oneCityRegions("one", 3, 60, 0.5, 0.002, 0.2, 0.01, 3000, 4500)
		c.Diffusion.Ties = ties
		return c
	}
	// toy with a tenth of its breakthroughs, so that many steps are quiet.
	toy := func(edit func(c *Config)) func() Config {
		return func() Config {
			c := toyConfig()
			c.Steps = 80
			for r := range c.Regions {
				for ct := range c.Regions[r].Cities {
					c.Regions[r].Cities[ct].Research /= 10
				}
			}
			edit(&c)
			return c
		}
	}
	cases := []struct {
		name string
		cfg  func() Config
	}{
		{"reciprocal, friction, several innovations", toy(func(c *Config) {})},
		{"directed, friction, several innovations", toy(func(c *Config) { c.Diffusion.Ties = TiesDirected })},
		{"well-mixed", toy(func(c *Config) { c.Diffusion.Mixing = MixingWell })},
		{"one innovation, reciprocal", func() Config { return oneInnovation(TiesReciprocal) }},
		{"one innovation, directed", func() Config { return oneInnovation(TiesDirected) }},
	}
	if raceEnabled {
		// As the standard library's allocation tests do: the counts are
		// the program's only without the detector (make test runs this
		// test in its second pass, without -race).
		t.Skip("the race detector allocates on its own")
	}
	// One P: the counter of allocations is the process's, so no other
	// goroutine may allocate beside the step it measures. No collection
	// either: the runtime counts its own allocations in the same counter
	// (a collection's first cycles start mark workers, each a heap
	// object), which made CI see 1 allocation in a quiet step once in a
	// few hundred runs. What is left (a goroutine started elsewhere in
	// the process) cannot repeat at the same step of a second,
	// identical run, so a step's count is the smaller of two runs'.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := mustValid(t, tc.cfg())
			var ms runtime.MemStats
			again := newModel(&c, 5, 1)
			runtime.GC()
			counts := make([]uint64, c.Steps)
			for step := range c.Steps {
				runtime.ReadMemStats(&ms)
				before := ms.Mallocs
				again.advance(step)
				runtime.ReadMemStats(&ms)
				counts[step] = ms.Mallocs - before
			}
			m := newModel(&c, 5, 1)
			runtime.GC()
			quiet, diffusing, lastEvent := 0, 0, 0
			for step := range c.Steps {
				caps := make([]int, len(m.lists))
				for b, l := range m.lists {
					caps[b] = cap(l)
				}
				room := roomOf(m)
				runtime.ReadMemStats(&ms)
				before := ms.Mallocs
				rows := m.advance(step)
				runtime.ReadMemStats(&ms)
				allocs := min(ms.Mallocs-before, counts[step])
				events := 0
				for _, r := range rows {
					events += r.Discovered + r.Commercialized
				}
				if events > 0 {
					lastEvent = step
				}
				if step < 10 || step-lastEvent <= 1 || roomOf(m) != room {
					continue
				}
				grown := uint64(0)
				for b, l := range m.lists {
					if cap(l) > caps[b] { // append doubles the room: one allocation per doubling
						grown += uint64(bits.Len(uint(cap(l) / max(1, caps[b]))))
					}
				}
				quiet++
				if len(m.active) > 0 {
					diffusing++
				}
				if allocs > grown {
					t.Errorf("step %d: %d allocations, %d of them to grow the lists of adoptions", step, allocs, grown)
				}
			}
			if quiet < 10 || diffusing < 10 {
				t.Fatalf("%d quiet steps, %d of them with an innovation diffusing: too few to test", quiet, diffusing)
			}
		})
	}
}

// room is what tables of the trial paths a model holds, built when a path
// is first taken.
type room struct {
	thresholds, pushed, rev, kinds, recv bool
	gathers, counts                      int
}

func roomOf(m *model) room {
	r := room{thresholds: m.adoptThr != nil, pushed: m.pushed != nil, rev: m.rev != nil, kinds: m.kinds != nil, recv: m.recv != nil}
	for _, g := range m.scratch {
		if g != nil {
			r.gathers++
		}
	}
	for _, c := range m.counts {
		r.counts += len(c)
	}
	return r
}
