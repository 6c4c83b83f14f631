package sim

import (
	"math"
	"math/bits"

	"github.com/triad-sim/triad/internal/portable"
)

// Which trials run when. diffuse picks the path of the step, trials the
// one of each segment of a block:
//
//	contacts    active innovations  trials                 signals from            files
//	well-mixed  any                 trialsMixed            mixedSignal, mixTables  trials.go
//	fixed       one (1-bit rows)    trialsOne              signals (variants)      trials.go, signals.go
//	fixed       several, pushed     trialsPushed           the pushed table        push.go
//	fixed       several, otherwise  trialsRows, jumps      gatherRows, signalRows  trials.go, signals.go
//
// Pushed: reciprocal ties, unless one innovation with weights all 1 reads
// its running counts instead (usePush). The variants of signals, for one
// innovation: the pushed table; weights all 1 and k = 8: signals8, plus
// signalsRecv (reciprocal, running counts) or signalsRev (reciprocal);
// weights all 1 and another k: a loop over the contacts; weights by
// contact kind (kinds); other weights (ties, a weight per pair of cities).
// With one innovation and weights all 1, trialsOne compares draws with the
// thresholds of adoptTables.
//
// Every path draws from the same streams in the same order as the general
// one (trialsRows, or signals reading each tie), and tests check them
// against it step by step (trials_test.go, push_test.go). Firms with no
// adopted tie (S = 0) are passed by geometric jumps when their chance is
// small (skipBelow): trialsOne inlines the jumps, trialsRows and
// trialsPushed call jumps. prepareTrials builds what the fixed-contact
// paths read before a step's trials; publish makes their adoptions count.

// prepareTrials builds what the trials of fixed contacts read and is not
// there yet: contact kinds, the lists of the firms that drew each firm,
// adoption thresholds and pushed signals.
func (m *model) prepareTrials() {
	m.classify()
	if m.recv == nil || !m.uniform { // every path but the running counts reads the lists
		m.needRev()
	}
	if m.adoption.lb == 0 && m.adoptThr == nil {
		m.adoptTables()
	}
	if m.pushed == nil && m.usePush() {
		m.buildPushed()
	}
}

// publish makes this step's adoptions (m.lists) count, as mark does one
// by one: each block sets its own firms' bits (whole words of the adoption
// table) and counts its adoptions per slot and city, in parallel; the
// counts are then added to the innovations block by block, in block order.
func (m *model) publish() {
	nC := m.nC
	m.each(len(m.blocks), (*model).publishBlock)
	for b, list := range m.lists {
		if len(list) == 0 {
			continue
		}
		for _, x := range m.active { // every adoption is of an active innovation
			in := m.inns[x]
			cnt := m.counts[b][in.slot*nC : in.slot*nC+nC]
			for ci, v := range cnt {
				if v != 0 {
					in.cityCount[ci] += v
					in.regionCount[m.cityRegion[ci]] += v
					in.total += int(v)
					cnt[ci] = 0
				}
			}
		}
	}
}

// publishBlock is publish's part for block b: its firms' bits and its
// counts.
func (m *model) publishBlock(b int) {
	list := m.lists[b]
	if len(list) == 0 {
		return
	}
	a, nC := m.adoption, m.nC
	if width := len(a.slots) * nC; len(m.counts[b]) < width {
		m.counts[b] = make([]int32, width)
	}
	cnt, firmCity := m.counts[b], m.firmCity
	for _, e := range list {
		s := m.inns[e.m].slot
		a.set(int(e.i), s)
		cnt[s*nC+int(firmCity[e.i])]++
	}
}

// skipBelow is the largest p-only chance (capability × p) for which trials
// of firms without an adopted contact are skipped geometrically rather than
// drawn one by one: a jump costs a logarithm, a trial one draw.
const skipBelow = 1.0 / 16

// trials runs block b's adoption trials (fixed contacts). A firm i of region
// r that has not adopted innovation x adopts it with probability
// c(i) * (p[r] + q[r] * S(i) / k), where S(i) is the weighted count of its
// contacts that had adopted at the start of the step.
//
// Firm by firm, the rows of i's k contacts are read once and give, for
// every innovation at once, which contacts had adopted. Innovations for
// which some contact had adopted get one draw each. Those for which none
// had (S = 0) have the same small chance c(i) × p[r] whatever the
// innovation; each segment runs through them as one sequence of trials,
// jumping from one success to the next with geometric gaps of chance
// cmax × p[r] (cmax the largest capability in the segment) and accepting a
// landing with chance c(i)/cmax. That thins the sequence to exactly
// c(i) × p[r] per trial, so the outcome has the same distribution as a
// draw per trial (docs/MODEL.md, 3.7).
func (m *model) trials(step, b int) {
	r := stream(m.seed, purposeAdopt, step, b)
	list := m.lists[b][:0]
	for si := range m.blocks[b] {
		s := &m.blocks[b][si]
		t := m.segParams(s)
		if m.adoptThr != nil && s.cmin == s.cmax && s.cmax == m.capOf(m.cityStart[s.city]) {
			t.thr = m.adoptThr[s.city] // nil where there is none
		}
		pmax := t.cmax * t.p
		t.skip = pmax < skipBelow
		if t.skip && pmax > 0 {
			t.logq = portable.Log1p(-pmax)
			t.gap = geometric(r.open(), t.logq)
		} else {
			t.gap = noJump
		}
		switch {
		case m.adoption.lb == 0:
			list = m.trialsOne(&r, &t, list)
		case m.pushed != nil:
			list = m.trialsPushed(&r, &t, list)
		default:
			if m.scratch[b] == nil {
				m.scratch[b] = newGather(m.k)
			}
			list = m.trialsRows(&r, &t, m.scratch[b], list)
		}
	}
	m.lists[b] = list
}

// segTrials holds what the trials of one segment share.
type segTrials struct {
	s     *segment
	p, qk float64 // qk: q/norm per unit of the signal
	cmax  float64
	caps  []float32 // capabilities of the firms, or nil when all in the segment have cmax
	skip  bool      // firms with S = 0 go by geometric jumps
	logq  float64   // log(1 - cmax p)
	gap   int64     // p-only trials to pass before the next candidate
	thr   []uint64  // adoption thresholds of the segment's city (adoptTables), or nil
}

// segParams returns the parameters of segment s's trials.
func (m *model) segParams(s *segment) segTrials {
	reg := m.cityRegion[s.city]
	t := segTrials{s: s, p: m.p[reg], qk: m.qk[reg], cmax: float64(s.cmax)}
	if s.cmin != s.cmax {
		t.caps = m.capability
	}
	if m.uniform {
		t.qk *= weightOne // the signal counts contacts
	}
	return t
}

// capOf returns the capability of firm i of the segment.
func (t *segTrials) capOf(i int) float64 {
	if t.caps == nil {
		return t.cmax
	}
	return float64(t.caps[i])
}

// chance is the adoption chance of a firm of capability c with signal sig
// and weight qk per unit of signal. Trials and adoptTables both use it, so
// that they compute the same number.
func chance(c, p, qk float64, sig uint32) float64 {
	return c * (p + float64(qk*float64(sig)))
}

// maxTableSignal is the largest signal whose adoption threshold adoptTables
// lists; a firm with a larger signal (more adopted ties) computes its chance.
const maxTableSignal = 255

// adoptTables fills m.adoptThr for the single-innovation trials with
// uniform weights, where a firm's chance depends only on its city (when its
// segment's capabilities are all equal) and its count of adopted ties sig:
// adoptThr[c][sig] is threshold(chance), so that a trial compares its
// 53-bit draw with it instead of computing the chance and a float (the
// same decision, see threshold).
func (m *model) adoptTables() {
	m.adoptThr = make([][]uint64, m.nC)
	if !m.uniform {
		return
	}
	n := min(maxTableSignal, m.k)
	if m.backTies {
		n = maxTableSignal
	}
	for ci := range m.nC {
		if m.cityStart[ci] == m.cityStart[ci+1] {
			continue
		}
		t := m.segParams(&segment{city: ci})
		c := float64(m.capOf(m.cityStart[ci]))
		thr := make([]uint64, n+1)
		for sig := range thr {
			thr[sig] = threshold(chance(c, t.p, t.qk, uint32(sig)))
		}
		m.adoptThr[ci] = thr
	}
}

// noJump is a gap never reached: no p-only trial can succeed.
const noJump = math.MaxInt64

// trialsOne runs a segment's trials when a single innovation is active:
// rows are single bits, and free firms are found 64 at a time. The signals
// of a word's free firms are summed first, in loops with few live values
// that the compiler keeps in registers, then the firms decide.
func (m *model) trialsOne(r *rng, t *segTrials, list []event) []event {
	a := m.adoption
	x := a.slots[0]
	if x < 0 || a.live[0] == 0 {
		return list
	}
	bits64, thr := a.bits, t.thr
	lo, hi := t.s.lo, t.s.hi
	rr, gap := *r, t.gap // locals stay in registers
	var sigs [64]uint32
	for w := lo / 64; w <= (hi-1)/64; w++ {
		free := ^bits64[w]
		if base := w * 64; base < lo {
			free &= ^uint64(0) << (lo - base)
		}
		if end := w*64 + 64; end > hi {
			free &= ^uint64(0) >> (end - hi)
		}
		if free == 0 {
			continue
		}
		m.signals(w, free, t.s.city, &sigs)
		for ; free != 0; free &= free - 1 {
			b := bits.TrailingZeros64(free) & 63
			i := w*64 + b
			sig := sigs[b]
			if sig == 0 && t.skip {
				if gap > 0 {
					gap--
					continue
				}
				if rr.float()*t.cmax < t.capOf(i) {
					list = append(list, event{x, int32(i)})
				}
				gap = geometric(rr.open(), t.logq)
				continue
			}
			if thr != nil && int(sig) < len(thr) {
				if rr.Uint64()>>11 < thr[sig] { // rr.float() < the chance
					list = append(list, event{x, int32(i)})
				}
				continue
			}
			if rr.float() < chance(t.capOf(i), t.p, t.qk, sig) {
				list = append(list, event{x, int32(i)})
			}
		}
	}
	*r, t.gap = rr, gap
	return list
}

// trialsRows runs a segment's trials when several innovations are active,
// reading each contact's row once for all of them. Firms go in batches: the
// rows of a batch's contacts are gathered first, in one loop of independent
// loads that the processor overlaps, since most of them miss the cache.
// The gathering and the summing of signals are separate functions, so that
// each loop keeps its few values in registers.
func (m *model) trialsRows(r *rng, t *segTrials, gb *gather, list []event) []event {
	slots := m.adoption.slots
	nw, batch := m.adoption.words(), len(gb.free)
	if !m.uniform && m.kinds != nil {
		copy(gb.kw[:], m.kindWeight[t.s.city*(m.nR+1):(t.s.city+1)*(m.nR+1)])
	}
	var sig [64]uint32   // signal per slot of one row word
	rr, gap := *r, t.gap // locals stay in registers
	for i0 := t.s.lo; i0 < t.s.hi; i0 += batch {
		i1 := min(t.s.hi, i0+batch)
		for w := range nw {
			if !m.gatherRows(gb, i0, i1, w) {
				continue
			}
			for i := i0; i < i1; i++ {
				free := gb.free[i-i0]
				if free == 0 {
					continue
				}
				open := free // trials drawn one by one
				if t.skip {
					seen := gb.seen[i-i0] // slots that some contact had adopted
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
				m.signalRows(gb, i-i0, i, open, t.s.city, &sig)
				c := t.capOf(i)
				qk := t.qk
				for v := open; v != 0; v &= v - 1 {
					x := bits.TrailingZeros64(v) & 63
					if rr.float() < chance(c, t.p, qk, sig[x]) {
						list = append(list, event{slots[w*64+x], int32(i)})
					}
				}
			}
		}
	}
	*r, t.gap = rr, gap
	return list
}

// jumps runs the p-only trials z of firm i (slots of row word w) when the
// next candidate lies among them: it passes gap trials, accepts the
// candidate with chance c(i)/cmax, draws the next gap and goes on. It
// returns the gap left for the firms after i.
func (m *model) jumps(rr *rng, t *segTrials, z uint64, gap int64, i, w int, list []event) ([]event, int64) {
	for z != 0 {
		if n := int64(bits.OnesCount64(z)); gap >= n {
			return list, gap - n
		}
		for ; gap > 0; gap-- {
			z &= z - 1
		}
		x := bits.TrailingZeros64(z)
		z &= z - 1
		if rr.float()*t.cmax < t.capOf(i) {
			list = append(list, event{m.adoption.slots[w*64+x], int32(i)})
		}
		gap = geometric(rr.open(), t.logq)
	}
	return list, gap
}

// geometric turns u, uniform in (0, 1), into the number of failures before
// the first success in trials of chance 1 - exp(logq), logq < 0: a draw of
// the gap between successes.
func geometric(u, logq float64) int64 {
	g := portable.Log(u) / logq
	if g >= 1<<62 {
		return 1 << 62
	}
	return int64(g)
}

// trialsMixed runs block b's adoption trials under well-mixed contacts:
// each trial draws k fresh contacts.
func (m *model) trialsMixed(step, b int) {
	r := stream(m.seed, purposeAdopt, step, b)
	list := m.lists[b][:0]
	a := m.adoption
	nC := m.nC
	for _, s := range m.blocks[b] {
		reg := m.cityRegion[s.city]
		// k fresh contacts stand for the ties a firm of this city expects,
		// each adding 1/norm of exposure (mixScale, see tieCum).
		p, qk := m.p[reg], float64(m.q[reg]/float64(m.k))*m.mixScale[s.city]
		off := s.city * nC
		for i := s.lo; i < s.hi; i++ {
			c := float64(s.cmax)
			if s.cmin != s.cmax {
				c = float64(m.capability[i])
			}
			for w := range a.words() {
				for v := ^a.row(i, w) & a.live[w]; v != 0; v &= v - 1 {
					x := a.slots[w*64+bits.TrailingZeros64(v)]
					in := m.inns[x]
					sig := m.mixedSignal(&r, in.wmCum[off:off+nC], in.wmW[off:off+nC])
					if r.float() < c*(p+float64(qk*sig)) {
						list = append(list, event{x, int32(i)})
					}
				}
			}
		}
	}
	m.lists[b] = list
}

// mixedSignal draws k fresh contacts (well-mixed) and returns their weighted
// count of adopters. cum[c] is the cumulative chance that a contact lies in
// city c and has adopted; w[c] is the weight of such a contact.
func (m *model) mixedSignal(r *rng, cum, w []float64) float64 {
	var s float64
	top := cum[len(cum)-1]
	for range m.k {
		u := r.float()
		if u >= top {
			continue
		}
		s += w[pick(cum, u)]
	}
	return s
}

// mixTables fills, for each active innovation and firm city, the chance
// that a fresh contact lies in each city and has adopted (start-of-step
// shares), for the well-mixed trials.
func (m *model) mixTables() {
	nC := m.nC
	for _, x := range m.active {
		in := m.inns[x]
		for ci := range nC {
			cum := in.wmCum[ci*nC : (ci+1)*nC]
			w := in.wmW[ci*nC : (ci+1)*nC]
			var t, prev float64
			for cj := range nC {
				pc := m.mixCum[ci][cj] - prev
				prev = m.mixCum[ci][cj]
				pool := float64(m.cityStart[cj+1] - m.cityStart[cj])
				if cj == ci {
					pool-- // the firm itself has not adopted
				}
				if pool > 0 {
					t += pc * float64(in.cityCount[cj]) / pool
				}
				cum[cj] = t
				w[cj] = float64(m.weight[cj*nC+ci]) / weightOne
			}
		}
	}
}
