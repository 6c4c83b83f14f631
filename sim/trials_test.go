package sim

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"
)

// TestTrialsMatchTheAdoptionChances checks the adoption trials of one step
// against the model's formula. From a fixed state (several innovations at
// adoption levels from 0.1 % to 90 %), it computes every non-adopter's
// chance c(i) × (p + q S(i) / norm) directly from its ties (k drawn
// contacts with directed ties, norm = k; those and the ties drawn to it
// with reciprocal ones, norm = 2k), for both kinds of ties, then repeats
// the step's trials with many independent streams and compares the
// adoptions per innovation, separately for firms with and without an
// adopted contact and for firms with fewer, exactly or more than norm
// ties (so that a chance that depended on the firm's own number of ties
// shows), with their expected number: within 4.5 standard
// deviations of the sum of independent Bernoulli trials. False-positive
// rate: a correct model misses that bound in one group with probability
// about 6.8e-6 (normal approximation, two-sided), so in any of the
// 6 × (1 + 5 + 70) = 456 groups with about 0.3 %; the streams are fixed,
// so the verdict cannot flip between runs. This covers the
// draw per trial, the geometric jumps over firms without an adopted
// contact (p = 0.08, with capability spread for the thinning) and the
// direct draws when p is large (p = 0.3), for one, a few and more than 64
// innovations (rows of one bit, packed rows and rows of two words).
func TestTrialsMatchTheAdoptionChances(t *testing.T) {
	for _, ties := range []string{TiesReciprocal, TiesDirected} {
		for _, innovations := range []int{1, 5, 70} {
			t.Run(fmt.Sprintf("%s ties, %d innovations", ties, innovations), func(t *testing.T) {
				if innovations > 64 && testing.Short() {
					t.Skip("runs 60 steps of 70 innovations")
				}
				checkTrials(t, ties, innovations)
			})
		}
	}
}

func checkTrials(t *testing.T, ties string, innovations int) {
	c := toyConfig()
	c.Diffusion.Ties = ties
	c.Replicates = 1
	c.Regions[0].P = 0.08
	c.Regions[1].P = 0.3
	c.Regions[2].P = 0
	for i := range c.Regions {
		for j := range c.Regions[i].Cities {
			c.Regions[i].Cities[j].Firms *= 4
		}
	}
	mustValid(t, c)
	m := newModel(&c, 99, 1)
	shares := []float64{0.001, 0.01, 0.05, 0.2, 0.5, 0.9}
	has := make([][]bool, innovations)
	r := stream(12345, purposeInitial, 0, 0)
	for x := range innovations {
		m.inns = append(m.inns, &innovation{status: commercialized})
		m.track(x)
		has[x] = make([]bool, m.n)
		for i := range m.n {
			if r.float() < shares[x%len(shares)] {
				has[x][i] = true
				m.adopt(x, i)
			}
		}
	}
	// Expected adoptions and variance per (innovation, any adopted contact).
	type group struct{ mean, vari, got float64 }
	groups := make([][6]group, innovations)
	// kind is a firm's group: whether it has an adopted contact (3) and
	// whether it has fewer, norm or more ties (0, 1, 2).
	kind := func(any bool, ties int) int {
		g := 1 + cmp.Compare(ties, m.norm())
		if any {
			g += 3
		}
		return g
	}
	for x := range innovations {
		for i := range m.n {
			if has[x][i] {
				continue
			}
			ci := int(m.firmCity[i])
			var s float64
			ties := m.ties(i, nil)
			for _, j := range ties {
				if has[x][j] {
					s += float64(m.weight[int(m.firmCity[j])*m.nC+ci]) / weightOne
				}
			}
			reg := m.cityRegion[ci]
			pi := min(1, float64(m.capOf(i))*(m.p[reg]+m.q[reg]*s/float64(m.norm())))
			g := &groups[x][kind(s > 0, len(ties))]
			g.mean += pi
			g.vari += pi * (1 - pi)
		}
	}
	// Contact weights by kind and by the contact's city give the same draws.
	m.classify()
	if m.kinds == nil {
		t.Fatal("no contact kinds for a scenario with friction")
	}
	byKind := trialLists(m, 0)
	kinds := m.kinds
	m.kinds = nil
	if byCity := trialLists(m, 0); !reflect.DeepEqual(byKind, byCity) {
		t.Error("weights by contact kind and by contact city gave different adoptions")
	}
	m.kinds = kinds
	reps := 300
	if innovations > 64 {
		reps = 60
	}
	for step := range reps {
		seen := map[event]bool{}
		for b := range m.blocks {
			m.trials(step, b)
			for _, e := range m.lists[b] {
				if has[e.m][e.i] || seen[e] {
					t.Fatalf("step %d: firm %d adopted innovation %d twice", step, e.i, e.m)
				}
				seen[e] = true
				ci := int(m.firmCity[e.i])
				any := false
				ties := m.ties(int(e.i), nil)
				for _, j := range ties {
					if has[e.m][j] && m.weight[int(m.firmCity[j])*m.nC+ci] > 0 {
						any = true
					}
				}
				groups[e.m][kind(any, len(ties))].got++
			}
		}
	}
	for x, gs := range groups {
		for kd, g := range gs {
			want, sd := float64(reps)*g.mean, math.Sqrt(float64(reps)*g.vari)
			if math.Abs(g.got-want) > 4.5*sd+1e-9 {
				t.Errorf("innovation %d, adopted contact %v, ties %s norm: %g adoptions in %d steps, want %.1f ± %.1f",
					x, kd >= 3, [3]string{"below", "at", "above"}[kd%3], g.got, reps, want, sd)
			}
		}
	}
}

// trialLists runs every block's trials of a step and returns the adoptions.
func trialLists(m *model, step int) [][]event {
	out := make([][]event, len(m.blocks))
	for b := range m.blocks {
		m.trials(step, b)
		out[b] = slices.Clone(m.lists[b])
	}
	return out
}

// TestAdoptionTableKeepsBitsWhenItGrowsAndFrees adds innovations until the
// rows widen past one word, frees one, and checks every bit.
func TestAdoptionTableKeepsBitsWhenItGrowsAndFrees(t *testing.T) {
	const n, inns = 300, 130
	a := newAdoption(n)
	want := func(x, j int) bool { return (j*7+x*3)%5 == 0 || x == 3 }
	slot := make([]int, inns)
	for x := range inns {
		slot[x] = a.add(x)
		for j := range n {
			if want(x, j) {
				a.set(j, slot[x])
			}
		}
	}
	check := func(freed int) {
		t.Helper()
		for x := range inns {
			for j := range n {
				got, w := a.has(j, slot[x]), want(x, j) && x != freed
				if got != w {
					t.Fatalf("innovation %d (slot %d), firm %d: got %v, want %v", x, slot[x], j, got, w)
				}
			}
		}
	}
	check(-1)
	if a.lb != 8 {
		t.Errorf("rows of %d bits for %d innovations, want 256", 1<<a.lb, inns)
	}
	a.free(slot[3]) // innovation 3 was adopted by every firm
	check(3)
	if s := a.add(inns); s != slot[3] {
		t.Errorf("a new innovation got slot %d, want the freed slot %d", s, slot[3])
	}
}

// TestFastTrialsMatchTheGeneralOnes checks the shortcuts of the
// single-innovation trials with weights all 1 (signals counted from a
// running count of adopters among the firms that drew each firm, chances
// looked up as thresholds, loops for k = 8) against the general path
// (each firm's ties read one by one, chances computed): the same adoptions
// at every step of a diffusion, for both kinds of ties, k = 8 and another
// k, and a number of firms that is not a multiple of 64.
func TestFastTrialsMatchTheGeneralOnes(t *testing.T) {
	for _, ties := range []string{TiesReciprocal, TiesDirected} {
		for _, k := range []int{8, 5} {
			t.Run(fmt.Sprintf("%s/k=%d", ties, k), func(t *testing.T) {
				c := oneCityRegions("fast", 3, 40, 0.5, 0, 0.2, 0.02, 3001, 4500, 2999)
				c.Diffusion.K, c.Diffusion.Ties = k, ties
				for r := range c.Regions {
					c.Regions[r].P = 0.002 * float64(r+1)
				}
				if err := c.Validate(); err != nil {
					t.Fatal(err)
				}
				m := newModel(&c, 11, 3) // the running counts are updated in 3 parts
				if ties == TiesReciprocal && m.recv == nil {
					t.Fatal("no running count of adopters for reciprocal ties")
				}
				m.adoptTables()
				m.needRev()
				for step := range c.Steps {
					fast := trialLists(m, step)
					recv, thr := m.recv, m.adoptThr
					m.recv, m.adoptThr = nil, nil
					general := trialLists(m, step)
					m.recv, m.adoptThr = recv, thr
					if !reflect.DeepEqual(fast, general) {
						t.Fatalf("step %d: the shortcuts and the general trials adopted differently", step)
					}
					m.diffuse(step)
				}
				if total := m.inns[0].total; total < m.n/2 {
					t.Errorf("only %d of %d firms adopted: too few steps to test the later ones", total, m.n)
				}
			})
		}
	}
}

// TestFrictionPolicyAfterRunningCounts runs a single innovation with
// reciprocal ties and no friction (its trials read the running counts),
// then a policy adds friction without rewiring: the trials must switch to
// the lists of ties, on any number of workers, with the same results.
func TestFrictionPolicyAfterRunningCounts(t *testing.T) {
	c := oneCityRegions("policy", 5, 30, 0.4, 0.003, 0.3, 0.02, 5000, 3001)
	c.Policies = []Policy{{At: 10, Name: "friction", Set: map[string]float64{"default_link.friction": 0.6}}}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	var want uint64
	for _, w := range []int{1, 2, 3} {
		res, err := Run(t.Context(), c, Options{Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if d := digest(t, res); w == 1 {
			want = d
		} else if d != want {
			t.Errorf("%d workers: a different result than 1 worker", w)
		}
	}
}

// TestRunningCountsWhateverTheParts checks the running counts of adopters
// among the firms that drew each firm (recv) against a count afresh after
// every step, on 1 and 3 workers, in steps with enough adoptions that
// countRecv cuts them into parts summed from tables of their own.
func TestRunningCountsWhateverTheParts(t *testing.T) {
	for _, workers := range []int{1, 3} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			c := oneCityRegions("recv", 7, 25, 0.9, 0.01, 0.3, 0.05, 12001, 18000)
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
			m := newModel(&c, 3, workers)
			if m.recv == nil {
				t.Fatal("no running count of adopters")
			}
			most := 0
			for step := range c.Steps {
				m.diffuse(step)
				adopted := 0
				for _, l := range m.lists {
					adopted += len(l)
				}
				most = max(most, adopted)
				want := make([]uint32, m.n)
				for i := range m.n {
					if m.adoption.bits[i>>6]>>(i&63)&1 != 0 {
						for _, j := range m.contacts[i*m.k : (i+1)*m.k] {
							want[j]++
						}
					}
				}
				for i, w := range want {
					if got := uint32(m.recv[i]); got != w {
						t.Fatalf("step %d: firm %d has a running count of %d, %d adopters drew it", step, i, got, w)
					}
				}
			}
			if workers > 1 && most < 3*1024 {
				t.Errorf("at most %d adoptions in a step: too few for countRecv to cut them into %d parts", most, workers)
			}
		})
	}
}

// TestInDegreesWhateverTheWorkers checks the number of firms that drew
// each firm (indeg, counted in parts by the workers and summed) against a
// count afresh, and the fallback when a firm is drawn by more than 255
// (a region of 40 firms that every other region's firms reach for, each
// drawn by about 500: by fewer than 256 in each worker's part, so that
// only the sum of the parts finds it): the ties are then counted in roff,
// the running counts are not kept, and the outcome is the same on 1 and
// 3 workers.
func TestInDegreesWhateverTheWorkers(t *testing.T) {
	for _, tiny := range []bool{false, true} {
		sizes := []int{7000, 9001}
		if tiny {
			sizes = append(sizes, 40)
		}
		c := oneCityRegions("indeg", 9, 15, 0.6, 0.01, 0.3, 0.02, sizes...)
		if err := c.Validate(); err != nil {
			t.Fatal(err)
		}
		var digests []uint64
		for _, workers := range []int{1, 3} {
			m := newModel(&c, 5, workers)
			drew := make([]int, m.n)
			for _, j := range m.contacts {
				drew[j]++
			}
			most := slices.Max(drew)
			if (most > 255) != tiny {
				t.Fatalf("tiny region %v: a firm drawn by %d firms", tiny, most)
			}
			if tiny != (m.indeg == nil) || tiny && (m.roff == nil || m.recv != nil) {
				t.Fatalf("tiny region %v, %d workers: indeg set %v, roff set %v, running counts %v",
					tiny, workers, m.indeg != nil, m.roff != nil, m.recv != nil)
			}
			for i, d := range drew {
				if got := m.degree(i); got != m.k+d {
					t.Fatalf("tiny region %v, %d workers: firm %d has %d ties, want %d", tiny, workers, i, got, m.k+d)
				}
			}
			res, err := Run(context.Background(), c, Options{Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			digests = append(digests, digest(t, res))
		}
		if digests[0] != digests[1] {
			t.Errorf("tiny region %v: 1 and 3 workers gave different results", tiny)
		}
	}
}

// TestCapabilitiesDrawnLate checks that capabilities are not stored while
// no city spreads them, and that a spread set later (as by a policy) gives
// every firm the capability it would have had with the spread from the
// start.
func TestCapabilitiesDrawnLate(t *testing.T) {
	noSpread := func() Config {
		c := toyConfig()
		c.Diffusion.Mixing = MixingFixed
		for r := range c.Regions {
			for j := range c.Regions[r].Cities {
				c.Regions[r].Cities[j].Capability.Spread = 0
			}
		}
		return c
	}
	c := noSpread()
	m := newModel(&c, 4, 2)
	if m.capability != nil {
		t.Fatal("capabilities stored although no city spreads them")
	}
	for i := range m.n {
		if got, want := m.capOf(i), float32(m.city(int(m.firmCity[i])).Capability.Mean); got != want {
			t.Fatalf("firm %d: capability %v, want its city's mean %v", i, got, want)
		}
	}
	spread := func(c *Config) {
		c.Regions[0].Cities[0].Capability.Spread = 0.2
		c.Regions[0].Cities[0].Capability.Mean = 0.6
	}
	spread(&m.cfg)
	m.drawCapabilities()
	c2 := noSpread()
	spread(&c2)
	fresh := newModel(&c2, 4, 1)
	if fresh.capability == nil || !slices.Equal(m.capability, fresh.capability) {
		t.Fatal("capabilities drawn late differ from those drawn at the start")
	}
	if !reflect.DeepEqual(m.blocks, fresh.blocks) {
		t.Fatal("segments' smallest and largest capabilities differ")
	}
}

// oneCityRegions is a diffusion without friction over regions of one city
// each (r0 with c0, r1 with c1, ...) holding the given firms, with chance
// p and reach in every region, and one innovation seeded in share of c0's
// firms; one replicate.
func oneCityRegions(name string, seed uint64, steps int, q, p, reach, share float64, firms ...int) Config {
	c := NewConfig()
	c.Name, c.Seed, c.Steps, c.Replicates = name, seed, steps, 1
	c.Diffusion.Q = q
	c.DefaultLink = LinkParams{Friction: 0, Coupling: 1}
	for r, n := range firms {
		reg := NewRegion()
		reg.ID, reg.P, reg.Reach = fmt.Sprintf("r%d", r), p, reach
		ct := NewCity()
		ct.ID, ct.Firms = fmt.Sprintf("c%d", r), n
		reg.Cities = []City{ct}
		c.Regions = append(c.Regions, reg)
	}
	c.Initial = []Initial{{City: "c0", Share: share}}
	return c
}
