package sim

import "math/bits"

// pushed holds, with reciprocal ties, every firm's signal for every slot
// of the adoption table, kept up to date as firms adopt: when firm j adopts the innovation in slot s, each of j's
// ties i gets j's weight as i sees it added to sig of (i, s), and bit s of
// i's seen row set. A tie is reciprocal, so the firms that have j among
// their ties are exactly j's own ties (its drawn contacts and the firms
// that drew it, each as often as the tie was drawn).
//
// The trials then read a firm's signals instead of gathering its ties'
// rows and summing them, which they did for every non-adopting firm at
// every step; the pushing is done once per adoption. The sums are the same
// integers (weights are integers, and uint32 sums do not depend on their
// order), and seen is the OR of the ties' rows, so the trials decide with
// the same draws as the general paths (trialsRows; signals with one
// innovation), which a test checks step by step. It costs 4 B per firm and
// slot in use.
//
// The table is built from the adoption rows when first needed and grows
// with them; ties rewired or weights changed by a policy drop it.
type pushed struct {
	sig  [][]uint32 // sig[s][i]: firm i's signal for slot s; slot by slot, so that a step's trials read each in firm order
	seen *adoption  // bit s of firm i's row is set when a tie of i has adopted slot s (its slots and live are unused)
}

// add records that a tie of firm i of weight wt adopted slot s.
func (p *pushed) add(i, s int, wt uint32) {
	p.sig[s][i] += wt
	p.seen.set(i, s)
}

// fit makes room in p for the slots of the adoption table a: seen's rows
// as wide as a's, a signal row for each occupied slot.
func (p *pushed) fit(a *adoption) {
	if p.seen.lb != a.lb {
		p.seen.resize(a.lb)
	}
	if len(p.sig) < len(a.slots) {
		p.sig = append(p.sig, make([][]uint32, len(a.slots)-len(p.sig))...)
	}
	for s, x := range a.slots {
		if x >= 0 && p.sig[s] == nil {
			p.sig[s] = make([]uint32, a.n)
		}
	}
}

// usePush reports whether the trials of this step can read pushed signals:
// fixed reciprocal ties, unless a single innovation with weights all 1
// reads its running count (recv) instead.
func (m *model) usePush() bool {
	return !m.wellMixed && m.backTies && (m.recv == nil || !m.uniform)
}

// tieWeight returns the weight of a tie to a firm of city cj as a firm of
// city ci sees it: 1 when every weight is 1 (the signal then counts ties),
// as in signalRows.
func (m *model) tieWeight(cj, ci int) uint32 {
	if m.uniform {
		return 1
	}
	return m.weight[cj*m.nC+ci]
}

// buildPushed makes m.pushed from the adoption rows, each block of firms in
// parallel: firm i's signal for each slot sums its ties' rows.
func (m *model) buildPushed() {
	m.needRev()
	a := m.adoption
	p := &pushed{seen: newAdoption(m.n)}
	p.fit(a)
	m.parallel(len(m.blocks), func(b int) {
		var buf []int32
		for _, s := range m.blocks[b] {
			for i := s.lo; i < s.hi; i++ {
				buf = m.ties(i, buf[:0])
				for _, j := range buf {
					wt := m.tieWeight(int(m.firmCity[j]), s.city)
					for w := range a.words() {
						for v := a.row(int(j), w); v != 0; v &= v - 1 {
							p.add(i, w*64+bits.TrailingZeros64(v), wt)
						}
					}
				}
			}
		}
	})
	m.pushed = p
}

// pushAdoptions adds this step's adoptions (m.lists) to m.pushed, in
// parallel: each part of the firms, whole blocks so that no two parts
// write one word of seen, is updated by one goroutine that reads every
// adoption.
func (m *model) pushAdoptions() {
	m.each(min(m.workers, len(m.blocks)), (*model).pushPart)
}

// pushPart is part q of pushAdoptions: the firms of its share of the
// blocks.
func (m *model) pushPart(q int) {
	parts, nb := min(m.workers, len(m.blocks)), len(m.blocks)
	lo, hi := uint32(q*nb/parts*blockSize), uint32(min(m.n, (q+1)*nb/parts*blockSize))
	for _, list := range m.lists {
		for _, e := range list {
			m.pushOne(int(e.m), int(e.i), lo, hi)
		}
	}
}

// pushOne adds firm i's adoption of innovation x to the signals of its
// ties in [lo, hi).
func (m *model) pushOne(x, i int, lo, hi uint32) {
	p := m.pushed
	s := m.inns[x].slot
	ci := int(m.firmCity[i])
	k := m.k
	for _, j := range m.contacts[i*k : i*k+k] {
		if uint32(j)-lo < hi-lo {
			p.add(int(j), s, m.tieWeight(ci, int(m.firmCity[j])))
		}
	}
	for _, j := range m.rev[m.roff[i]:m.roff[i+1]] {
		if uint32(j)-lo < hi-lo {
			p.add(int(j), s, m.tieWeight(ci, int(m.firmCity[j])))
		}
	}
}

// freePushed clears slot s of m.pushed, freed in the adoption table; its
// signal row is kept for the next innovation to take the slot.
func (m *model) freePushed(s int) {
	if p := m.pushed; p != nil {
		clear(p.sig[s])
		p.seen.free(s)
	}
}

// trialsPushed is trialsRows reading the pushed signals: the same trials in
// the same order (batches of firms, row words, firms), so the same draws.
func (m *model) trialsPushed(r *rng, t *segTrials, list []event) []event {
	a, p := m.adoption, m.pushed
	slots := a.slots
	nw, batch := a.words(), max(1, rowsPerGather/m.k)
	rr, gap := *r, t.gap // locals stay in registers
	for i0 := t.s.lo; i0 < t.s.hi; i0 += batch {
		i1 := min(t.s.hi, i0+batch)
		for w := range nw {
			live := a.live[w]
			for i := i0; i < i1; i++ {
				free := ^a.row(i, w) & live
				if free == 0 {
					continue
				}
				open := free // trials drawn one by one
				if t.skip {
					seen := p.seen.row(i, w) // slots that some tie had adopted
					open = free & seen
					if z := free &^ seen; z != 0 && gap != noJump {
						if n := int64(bits.OnesCount64(z)); gap >= n {
							gap -= n
						} else {
							list, gap = m.jumps(&rr, t, z, gap, i, w, list)
						}
					}
					if open == 0 {
						continue
					}
				}
				sig := p.sig[w*64:]
				c := t.capOf(i)
				qk := t.qk
				for v := open; v != 0; v &= v - 1 {
					x := bits.TrailingZeros64(v) & 63
					if rr.float() < chance(c, t.p, qk, sig[x][i]) {
						list = append(list, event{slots[w*64+x], int32(i)})
					}
				}
			}
		}
	}
	*r, t.gap = rr, gap
	return list
}
