package sim

import (
	"fmt"
	"slices"
	"testing"
)

// The contagion rule's property (docs/MODEL.md, 3.3.3): a tie adds
// exposure and never takes it away. A firm's chance is
// c(i) × (p + q × S(i) / norm), norm = 2k with reciprocal ties, so a tie
// to a firm that has not adopted leaves it as it was, and a tie to one
// that has raises it. The tests below move one drawn contact of a firm j
// from firm o to firm i in a copy of a model and run the same adoption
// trials, on the same random streams, in both: whatever does not change a
// firm's chance leaves its decisions, draw by draw, as they were. They are
// exact, not statistical: the streams are the same, so nothing is left to
// chance.

// exposureConfig is toyConfig with reciprocal ties, q large (a tie to an
// adopter then matters in a few dozen trials), p large enough that
// firms without an adopted tie still adopt now and then, and with or
// without friction (contact weights other than 1 take other trial paths).
func exposureConfig(friction bool) Config {
	c := toyConfig()
	c.Diffusion.Ties = TiesReciprocal
	c.Replicates = 1
	c.Diffusion.Q = 1
	c.Regions[0].P, c.Regions[1].P, c.Regions[2].P = 0.02, 0.08, 0.01
	if !friction {
		c.DefaultLink.Friction = 0
		for i := range c.Links {
			c.Links[i].Friction = 0
		}
	}
	return c
}

// adopters draws, for each share, which firms of a model of n firms have
// adopted that innovation.
func adopters(n int, shares []float64) [][]bool {
	r := stream(4242, purposeInitial, 0, 0)
	has := make([][]bool, len(shares))
	for x, s := range shares {
		has[x] = make([]bool, n)
		for i := range has[x] {
			has[x][i] = r.float() < s
		}
	}
	return has
}

// exposed builds the model of c, moves contact slot of firm j to firm to
// (unless j < 0), lets the firms in has adopt, and returns the model ready
// for its adoption trials, built as a step builds them.
func exposed(t *testing.T, c Config, has [][]bool, j, slot int, to int32) *model {
	t.Helper()
	mustValid(t, c)
	m := newModel(&c, 99, 1)
	if j >= 0 {
		m.contacts[j*m.k+slot] = to
		m.rev, m.roff, m.indeg = nil, nil, nil
		m.countIndeg()
	}
	for x := range has {
		m.inns = append(m.inns, &innovation{status: commercialized})
		m.track(x)
		for i, ok := range has[x] {
			if ok {
				m.adopt(x, i)
			}
		}
	}
	m.prepareTrials()
	return m
}

// signalOf returns firm i's weighted count of ties that adopted x, and its
// number of such ties, computed from its list of ties.
func signalOf(m *model, has []bool, i int) (sig uint32, n int) {
	ci := int(m.firmCity[i])
	for _, j := range m.ties(i, nil) {
		if has[j] {
			sig += m.tieWeight(int(m.firmCity[j]), ci)
			n++
		}
	}
	return sig, n
}

// TestATieToANonAdopterChangesNoChance moves a contact that a firm j which
// adopted nothing drew, from another such firm o to a third, i: i gains a
// tie and o loses one, but no firm's count of adopted ties changes, so no
// chance may change and every trial, on the same streams, must decide as
// before. Under the old rule (the signal a share of the firm's own ties)
// i's chance fell and o's rose, and this test failed.
func TestATieToANonAdopterChangesNoChance(t *testing.T) {
	for _, friction := range []bool{false, true} {
		for _, shares := range [][]float64{{0.05}, {0.001, 0.01, 0.05, 0.2, 0.3}} {
			t.Run(fmt.Sprintf("friction %v, %d innovations", friction, len(shares)), func(t *testing.T) {
				c := exposureConfig(friction)
				base := exposed(t, c, nil, -1, 0, 0)
				has := adopters(base.n, shares)
				none := func(i int) bool {
					for x := range has {
						if has[x][i] {
							return false
						}
					}
					return true
				}
				cases := 0
				for j := 0; j < base.n && cases < 12; j += 37 {
					o := int(base.contacts[j*base.k])
					i := (j*7919 + 13) % base.n
					if !none(j) || !none(o) || !none(i) || i == j || i == o {
						continue
					}
					cases++
					a := exposed(t, c, has, -1, 0, 0)
					b := exposed(t, c, has, j, 0, int32(i))
					if b.degree(i) != a.degree(i)+1 || b.degree(o) != a.degree(o)-1 {
						t.Fatalf("moving j's contact: degrees of i %d → %d, of o %d → %d", a.degree(i), b.degree(i), a.degree(o), b.degree(o))
					}
					for step := range 40 {
						if la, lb := trialLists(a, step), trialLists(b, step); !slices.EqualFunc(la, lb, slices.Equal) {
							t.Fatalf("firm %d's tie moved from firm %d to firm %d, none of whom adopted: step %d's adoptions changed", j, o, i, step)
						}
					}
				}
				if cases < 5 {
					t.Fatalf("only %d cases found", cases)
				}
			})
		}
	}
}

// TestATieToAnAdopterRaisesTheChance moves a contact that an adopter j
// drew from a non-adopter o to another non-adopter i. Both already have an
// adopted tie (so each still draws once per trial, and the streams stay
// aligned) and o keeps one after losing j. Then, on the same streams:
// every other firm decides as before; i adopts whenever it adopted before
// (its chance rose) and, over the steps, strictly more often; o adopts
// only when it adopted before (its chance fell: it lost a tie to an
// adopter).
func TestATieToAnAdopterRaisesTheChance(t *testing.T) {
	for _, friction := range []bool{false, true} {
		t.Run(fmt.Sprintf("friction %v", friction), func(t *testing.T) {
			c := exposureConfig(friction)
			base := exposed(t, c, nil, -1, 0, 0)
			has := adopters(base.n, []float64{0.15})
			h := has[0]
			cases := 0
			for j := 0; j < base.n && cases < 8; j++ {
				if !h[j] {
					continue
				}
				for slot := range base.k {
					o := int(base.contacts[j*base.k+slot])
					i := (j*7919 + 13*slot) % base.n
					if h[o] || h[i] || i == o || i == j {
						continue
					}
					so, no := signalOf(base, h, o)
					si, _ := signalOf(base, h, i)
					if no < 2 || si == 0 || so <= base.tieWeight(int(base.firmCity[j]), int(base.firmCity[o])) {
						continue
					}
					cases++
					checkRaised(t, c, has, j, slot, o, i)
					break
				}
			}
			if cases < 5 {
				t.Fatalf("only %d cases found", cases)
			}
		})
	}
}

// checkRaised runs the trials with and without j's contact moved from o to
// i and checks the decisions as TestATieToAnAdopterRaisesTheChance says.
func checkRaised(t *testing.T, c Config, has [][]bool, j, slot, o, i int) {
	t.Helper()
	a := exposed(t, c, has, -1, 0, 0)
	b := exposed(t, c, has, j, slot, int32(i))
	without := func(l []event, f int) []event {
		return slices.DeleteFunc(slices.Clone(l), func(e event) bool { return int(e.i) == f })
	}
	adopted := func(l []event, f int) bool {
		return slices.ContainsFunc(l, func(e event) bool { return int(e.i) == f })
	}
	var moreI int
	for step := range 600 {
		la, lb := trialLists(a, step), trialLists(b, step)
		for blk := range la {
			if !slices.Equal(without(without(la[blk], i), o), without(without(lb[blk], i), o)) {
				t.Fatalf("j %d, o %d, i %d, step %d: a firm other than i and o decided otherwise", j, o, i, step)
			}
			ia, ib := adopted(la[blk], i), adopted(lb[blk], i)
			oa, ob := adopted(la[blk], o), adopted(lb[blk], o)
			switch {
			case ia && !ib:
				t.Fatalf("j %d, o %d, i %d, step %d: i adopted without the tie to the adopter j but not with it", j, o, i, step)
			case ob && !oa:
				t.Fatalf("j %d, o %d, i %d, step %d: o adopted after losing its tie to the adopter j but not before", j, o, i, step)
			case ib && !ia:
				moreI++
			}
		}
	}
	if moreI == 0 {
		t.Errorf("j %d, o %d, i %d: the tie to an adopter never made i adopt in 600 steps", j, o, i)
	}
}
