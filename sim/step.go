package sim

import (
	"context"
	"maps"
	"math"
	"math/bits"
	"slices"

	"github.com/triad-sim/triad/internal/portable"
)

// simulate computes one run.
func simulate(ctx context.Context, cfg *Config, t Task, seed uint64, workers int, opts Options) (*RunResult, error) {
	m := newModel(cfg, seed, workers)
	var shares []float64
	if opts.ObserveCities != nil {
		shares = make([]float64, m.nC)
	}
	for step := range cfg.Steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m.applyPolicies(step)
		rows := m.advance(step)
		if opts.Observe != nil {
			opts.Observe(t.Point, t.Replicate, step, rows)
		}
		if opts.ObserveCities != nil {
			m.cityShares(shares)
			opts.ObserveCities(t.Point, t.Replicate, step, shares)
		}
	}
	res := &RunResult{
		Point:     t.Point,
		Replicate: t.Replicate,
		Seed:      seed,
		Rows:      m.rows,
		Transfer:  m.transfer,
		Lags:      m.lags,
		T50:       make([]float64, m.nR),
		Reached50: make([]float64, m.nR),
		Trials:    m.trialCount,
	}
	for r := range m.nR {
		res.T50[r] = math.NaN()
		if m.t50n[r] > 0 {
			res.T50[r] = m.t50sum[r] / float64(m.t50n[r])
		}
		res.Reached50[r] = math.NaN()
		if m.commercCount > 0 {
			res.Reached50[r] = float64(m.t50n[r]) / float64(m.commercCount)
		}
	}
	m.summarizeInnovations(res)
	return res, nil
}

// cityShares sets shares[c] to city c's adoption share (see
// Options.ObserveCities); it only reads the model.
func (m *model) cityShares(shares []float64) {
	clear(shares)
	if m.commercCount == 0 {
		return
	}
	for _, in := range m.inns {
		if in.status != commercialized {
			continue
		}
		for c, cnt := range in.cityCount {
			shares[c] += float64(cnt)
		}
	}
	for c := range shares {
		shares[c] /= float64(m.cityStart[c+1]-m.cityStart[c]) * float64(m.commercCount)
	}
}

// summarizeInnovations fills the innovation log of res and the figures
// computed from it: the Kaplan–Meier t50, adoption at fixed ages and the
// commercialization rate of settled breakthroughs.
func (m *model) summarizeInnovations(res *RunResult) {
	last := m.cfg.Steps - 1
	res.Innovations = make([]Innovation, len(m.inns))
	settled, settledComm := 0, 0
	for x, in := range m.inns {
		rec := Innovation{Origin: in.originRegion, OriginCity: in.originCity, Discovered: in.discovered,
			FateStep: in.fateStep, Region: -1}
		switch in.status {
		case pending:
			rec.Fate = FatePending
		case lost:
			rec.Fate = FateLost
		case commercialized:
			rec.Fate, rec.Region = FateCommercialized, in.commRegion
		}
		for t := range rec.Reached {
			rec.Reached[t] = make([]int, m.nR)
			for r := range m.nR {
				rec.Reached[t][r] = -1
				if in.status == commercialized {
					rec.Reached[t][r] = int(in.reachedAt[t][r])
				}
			}
		}
		for a := range rec.AtAge {
			rec.AtAge[a] = make([]float64, m.nR)
			for r := range m.nR {
				rec.AtAge[a][r] = math.NaN()
				if in.status == commercialized {
					rec.AtAge[a][r] = in.atAge[a][r]
				}
			}
		}
		res.Innovations[x] = rec
		// A breakthrough found at step d has been lost by step
		// d + max_pending − 1 if no firm took it up: its fate is known
		// when that step is within the run.
		if in.discovered >= 0 && in.discovered+m.cfg.Transfer.MaxPending-1 <= last {
			settled++
			if in.status == commercialized {
				settledComm++
			}
		}
	}
	res.CommercializationRate = math.NaN()
	if settled > 0 {
		res.CommercializationRate = float64(settledComm) / float64(settled)
	}
	res.T50KM = make([]float64, m.nR)
	for a := range res.AdoptionAt {
		res.AdoptionAt[a] = make([]float64, m.nR)
	}
	var times []float64
	var events []bool
	for r := range m.nR {
		times, events = times[:0], events[:0]
		sums, counts := make([]float64, len(AdoptionAges)), make([]int, len(AdoptionAges))
		for _, in := range m.inns {
			if in.status != commercialized {
				continue
			}
			if at := in.reachedAt[1][r]; at >= 0 {
				times, events = append(times, float64(int(at)-in.commStep)), append(events, true)
			} else {
				times, events = append(times, float64(last-in.commStep)), append(events, false)
			}
			for a := range AdoptionAges {
				if v := in.atAge[a][r]; !math.IsNaN(v) {
					sums[a] += v
					counts[a]++
				}
			}
		}
		res.T50KM[r] = KaplanMeierMedian(times, events)
		for a := range AdoptionAges {
			res.AdoptionAt[a][r] = math.NaN()
			if counts[a] > 0 {
				res.AdoptionAt[a][r] = sums[a] / float64(counts[a])
			}
		}
	}
}

// applyPolicies applies the policies scheduled for this step and updates
// what depends on the parameters they change.
func (m *model) applyPolicies(step int) {
	changed := false
	var oldCap []Capability
	for _, p := range m.cfg.Policies {
		if p.At != step {
			continue
		}
		if oldCap == nil {
			oldCap = make([]Capability, m.nC)
			for ci := range m.nC {
				oldCap[ci] = m.city(ci).Capability
			}
		}
		for _, path := range slices.Sorted(maps.Keys(p.Set)) {
			t, err := m.cfg.resolve(path)
			if err != nil {
				panic("sim: policy path was validated: " + err.Error())
			}
			t.set(&m.cfg, p.Set[path])
		}
		changed = true
	}
	if !changed {
		return
	}
	oldContacts := m.contactCum
	m.derive()
	m.pushed = nil // weights may have changed
	for ci := range m.nC {
		if m.city(ci).Capability != oldCap[ci] {
			m.drawCapabilities()
			break
		}
	}
	if !m.wellMixed && !slices.EqualFunc(oldContacts, m.contactCum, slices.Equal) {
		m.wire(step + 1)
	}
}

// advance runs one step: discover, transfer, diffuse, record.
func (m *model) advance(step int) []Row {
	base := len(m.rows)
	for r := range m.nR {
		m.rows = append(m.rows, Row{Step: step, Region: r})
	}
	rows := m.rows[base:]
	m.discover(step, rows)
	m.transferStep(step, rows)
	m.diffuse(step)
	m.record(step, rows)
	return rows
}

// discover lets every lab make a breakthrough with its city's research
// probability. Labs are drawn in blocks, in lab order.
func (m *model) discover(step int, rows []Row) {
	nLabs := m.labStart[m.nC]
	ci := 0
	for b := 0; b*blockSize < nLabs; b++ {
		r := stream(m.seed, purposeDiscover, step, b)
		for l := b * blockSize; l < min(nLabs, (b+1)*blockSize); l++ {
			for m.labStart[ci+1] <= l {
				ci++
			}
			if r.float() < m.city(ci).Research {
				reg := m.cityRegion[ci]
				m.inns = append(m.inns, &innovation{
					originCity: ci, originRegion: reg, discovered: step,
					quality: r.open(), status: pending, fateStep: -1, commRegion: -1,
				})
				m.pendingInns = append(m.pendingInns, len(m.inns)-1)
				rows[reg].Discovered++
			}
		}
	}
}

// transferStep lets every pending innovation search for a firm to
// commercialize it; innovations pending for max_pending steps are lost.
func (m *model) transferStep(step int, rows []Row) {
	r := stream(m.seed, purposeTransfer, step, 0)
	attempts := m.cfg.Transfer.Attempts
	keep := m.pendingInns[:0]
	for _, x := range m.pendingInns {
		in := m.inns[x]
		tc := m.transferCum[in.originRegion]
		for a := 0; a < attempts && tc[len(tc)-1] > 0; a++ {
			s := pick(tc, r.float())
			cum := m.cityPick[s]
			if cum[len(cum)-1] == 0 {
				continue
			}
			j := pick(cum, r.float())
			ct := &m.cfg.Regions[s].Cities[j]
			ci := m.firstCity[s] + j
			i := m.cityStart[ci] + r.intn(ct.Firms)
			chance := ct.Transform * float64(m.capOf(i)) * in.quality * (1 - m.friction[in.originRegion*m.nR+s])
			if r.float() < chance {
				m.commercialize(x, i, step)
				rows[s].Commercialized++
				m.transfer[in.originRegion][s]++
				m.lags = append(m.lags, step-in.discovered)
				break
			}
		}
		switch {
		case in.status == commercialized:
		case step-in.discovered+1 >= m.cfg.Transfer.MaxPending:
			in.status = lost
			in.fateStep = step
			rows[in.originRegion].Lost++
		default:
			keep = append(keep, x)
		}
	}
	m.pendingInns = keep
}

// diffuse runs the adoption trials of every non-adopting firm for every
// active innovation, block by block in parallel, then publishes the new
// adopters.
func (m *model) diffuse(step int) {
	if len(m.active) == 0 {
		return
	}
	for _, x := range m.active {
		m.trialCount += int64(m.n - m.inns[x].total)
	}
	if m.wellMixed {
		m.mixTables()
		m.parallel(len(m.blocks), func(b int) { m.trialsMixed(step, b) })
	} else {
		m.prepareTrials()
		m.parallel(len(m.blocks), func(b int) { m.trials(step, b) })
	}
	// From here on the new adopters count.
	m.publish()
	if m.recv != nil { // every adoption is of m.recvInn, the only innovation
		m.countRecv()
	}
	if m.pushed != nil {
		m.pushAdoptions()
	}
}

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
	a, nC := m.adoption, m.nC
	width := len(a.slots) * nC
	m.parallel(len(m.blocks), func(b int) {
		list := m.lists[b]
		if len(list) == 0 {
			return
		}
		if len(m.counts[b]) < width {
			m.counts[b] = make([]int32, width)
		}
		cnt, firmCity := m.counts[b], m.firmCity
		for _, e := range list {
			s := m.inns[e.m].slot
			a.set(int(e.i), s)
			cnt[s*nC+int(firmCity[e.i])]++
		}
	})
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

// gather is one block's room for what trialsRows reads: a batch of firms'
// own rows, their ties' rows and the union of those, the weights of
// contact kinds for the segment's city and those of one firm's ties.
type gather struct {
	free, seen, rows []uint64
	at               []int // firm i0+f's ties' rows are rows[at[f]:at[f+1]]
	kw               [maxKinds]uint32
	weights          []uint32
}

// rowsPerGather is about how many contact rows trialsRows gathers at a time.
const rowsPerGather = 256

func newGather(k int) *gather {
	batch := max(1, rowsPerGather/k)
	return &gather{free: make([]uint64, batch), seen: make([]uint64, batch), at: make([]int, batch+1),
		rows: make([]uint64, batch*k), weights: make([]uint32, k)}
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

// signals sets sigs[b], for each free firm 64w+b, to the weighted count of
// its ties that have adopted the single active innovation. The common
// cases have their own loops: weights all 1 with k = 8 drawn contacts, with
// and without the ties drawn to the firm.
func (m *model) signals(w int, free uint64, ci int, sigs *[64]uint32) {
	switch {
	case m.pushed != nil: // slot 0, the only one
		sig := m.pushed.sig[0][w*64:]
		for v := free; v != 0; v &= v - 1 {
			b := bits.TrailingZeros64(v) & 63
			sigs[b] = sig[b]
		}
	case m.uniform && m.k == 8 && !m.backTies:
		signals8(m.adoption.bits, m.contacts, w, free, sigs)
	case m.uniform && m.k == 8 && m.recv != nil:
		signals8(m.adoption.bits, m.contacts, w, free, sigs)
		signalsRecv(m.recv, w, free, sigs)
	case m.uniform && m.k == 8:
		signals8(m.adoption.bits, m.contacts, w, free, sigs)
		signalsRev(m.adoption.bits, m.rev, m.roff, w, free, sigs)
	case m.uniform:
		bits64, contacts, k := m.adoption.bits, m.contacts, m.k
		for v := free; v != 0; v &= v - 1 {
			b := bits.TrailingZeros64(v) & 63
			i := w*64 + b
			var sig uint32
			for _, j := range contacts[i*k : i*k+k] {
				sig += uint32(bits64[uint32(j)>>6]>>(uint32(j)&63)) & 1
			}
			sigs[b] = sig
		}
		switch {
		case m.recv != nil:
			signalsRecv(m.recv, w, free, sigs)
		case m.backTies:
			signalsRev(bits64, m.rev, m.roff, w, free, sigs)
		}
	case m.kinds != nil:
		bits64, kinds, rkinds, k := m.adoption.bits, m.kinds, m.rkinds, m.k
		kw := m.kindWeight[ci*(m.nR+1) : (ci+1)*(m.nR+1)]
		for v := free; v != 0; v &= v - 1 {
			b := bits.TrailingZeros64(v) & 63
			i := w*64 + b
			ks := kinds[i*k : i*k+k]
			var sig uint32
			for c, j := range m.contacts[i*k : i*k+k] {
				sig += kw[ks[c]] & -(uint32(bits64[uint32(j)>>6]>>(uint32(j)&63)) & 1)
			}
			if m.backTies {
				lo, hi := m.roff[i], m.roff[i+1]
				ks := rkinds[lo:hi]
				for c, j := range m.rev[lo:hi] {
					sig += kw[ks[c]] & -(uint32(bits64[uint32(j)>>6]>>(uint32(j)&63)) & 1)
				}
			}
			sigs[b] = sig
		}
	default:
		bits64, weight, firmCity, nC := m.adoption.bits, m.weight, m.firmCity, m.nC
		var buf [64]int32
		for v := free; v != 0; v &= v - 1 {
			b := bits.TrailingZeros64(v) & 63
			var sig uint32
			for _, j := range m.ties(w*64+b, buf[:0]) {
				if bits64[j>>6]>>(j&63)&1 != 0 {
					sig += weight[int(firmCity[j])*nC+ci]
				}
			}
			sigs[b] = sig
		}
	}
}

// signals8 sets sigs[b], for each free firm 64w+b, to the number of its 8
// drawn contacts that have adopted (bits64 holds the adopters).
func signals8(bits64 []uint64, contacts []int32, w int, free uint64, sigs *[64]uint32) {
	bit := func(j int32) uint32 { return uint32(bits64[uint32(j)>>6]>>(uint32(j)&63)) & 1 }
	for ; free != 0; free &= free - 1 {
		b := bits.TrailingZeros64(free) & 63
		cs := contacts[(w*64+b)*8:][:8]
		sigs[b] = bit(cs[0]) + bit(cs[1]) + bit(cs[2]) + bit(cs[3]) +
			bit(cs[4]) + bit(cs[5]) + bit(cs[6]) + bit(cs[7])
	}
}

// signalsRecv adds to sigs[b], for each free firm 64w+b, its count of
// adopters among the firms that drew it, kept up to date in recv.
func signalsRecv(recv []uint8, w int, free uint64, sigs *[64]uint32) {
	recv = recv[w*64:]
	for ; free != 0; free &= free - 1 {
		b := bits.TrailingZeros64(free) & 63
		sigs[b] += uint32(recv[b])
	}
}

// signalsRev adds to sigs[b], for each free firm 64w+b, the number of the
// firms that drew it (reciprocal ties) that have adopted.
func signalsRev(bits64 []uint64, rev []int32, roff []uint32, w int, free uint64, sigs *[64]uint32) {
	for ; free != 0; free &= free - 1 {
		b := bits.TrailingZeros64(free) & 63
		i := w*64 + b
		var sig uint32
		for _, j := range rev[roff[i]:roff[i+1]] {
			sig += uint32(bits64[uint32(j)>>6]>>(uint32(j)&63)) & 1
		}
		sigs[b] += sig
	}
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

// gatherRows reads word w of the rows of firms [i0, i1) and, for those with
// a trial to run, of their contacts, into gb; it reports whether any firm
// has one.
func (m *model) gatherRows(gb *gather, i0, i1, w int) bool {
	a := m.adoption
	rows, lb, mask, live, contacts, k := a.bits, a.lb, a.mask, a.live[w], m.contacts, m.k
	row := func(j int) uint64 {
		if lb >= 6 {
			return rows[j<<(lb-6)+w]
		}
		return rows[j>>(6-lb)] >> (uint(j) << lb & 63) & mask
	}
	n := (i1 - i0) * k
	if m.backTies {
		n += int(m.roff[i1] - m.roff[i0])
	}
	if n > len(gb.rows) {
		gb.rows = make([]uint64, n)
	}
	any := false
	pos := 0
	for i := i0; i < i1; i++ {
		gb.at[i-i0] = pos
		f := ^row(i) & live
		gb.free[i-i0] = f
		if f == 0 {
			pos += m.degree(i)
			continue
		}
		any = true
		js := contacts[i*k : i*k+k]
		var s uint64
		for range 2 { // the drawn contacts, then (reciprocal) the firms that drew i
			if lb >= 6 {
				s |= gatherWide(gb.rows[pos:], js, rows, lb, w)
			} else {
				s |= gatherPacked(gb.rows[pos:], js, rows, lb, mask)
			}
			pos += len(js)
			if !m.backTies {
				break
			}
			js = m.rev[m.roff[i]:m.roff[i+1]]
		}
		gb.seen[i-i0] = s
	}
	gb.at[i1-i0] = pos
	return any
}

// gatherPacked sets g[c] to the row of firm js[c] in a table of rows of
// 2^lb < 64 bits and returns the OR of those rows. It and gatherWide are
// separate loops so that the width is not tested per tie.
func gatherPacked(g []uint64, js []int32, rows []uint64, lb uint, mask uint64) uint64 {
	g = g[:len(js)]
	sh := 6 - lb
	var s uint64
	for c, j := range js {
		v := rows[uint32(j)>>sh] >> (uint32(j) << lb & 63) & mask
		g[c] = v
		s |= v
	}
	return s
}

// gatherWide is gatherPacked for rows of 2^lb >= 64 bits: it reads word w
// of each row.
func gatherWide(g []uint64, js []int32, rows []uint64, lb uint, w int) uint64 {
	g = g[:len(js)]
	sh := lb - 6
	var s uint64
	for c, j := range js {
		v := rows[int(j)<<sh+w]
		g[c] = v
		s |= v
	}
	return s
}

// signalRows sets sig[x], for each slot x of open, to the weighted count of
// firm i's contacts that had adopted the innovation in slot 64w+x; gb holds
// their rows from gatherRows. Each slot takes one pass over the k contacts
// with no branch on the rows: summing a contact's weight into every slot
// it had adopted instead costs a mispredicted branch per contact.
func (m *model) signalRows(gb *gather, f, i int, open uint64, ci int, sig *[64]uint32) {
	g := gb.rows[gb.at[f]:gb.at[f+1]]
	if m.uniform {
		for v := open; v != 0; v &= v - 1 {
			x := bits.TrailingZeros64(v) & 63
			var s uint32
			for _, gv := range g {
				s += uint32(gv>>x) & 1
			}
			sig[x] = s
		}
		return
	}
	if len(g) > len(gb.weights) {
		gb.weights = make([]uint32, len(g))
	}
	ws := gb.weights[:len(g)]
	k := m.k
	if m.kinds != nil {
		kw := &gb.kw
		for c, kd := range m.kinds[i*k : i*k+k] {
			ws[c] = kw[kd]
		}
		if m.backTies {
			for c, kd := range m.rkinds[m.roff[i]:m.roff[i+1]] {
				ws[k+c] = kw[kd]
			}
		}
	} else {
		for c, j := range m.contacts[i*k : i*k+k] {
			ws[c] = m.weight[int(m.firmCity[j])*m.nC+ci]
		}
		if m.backTies {
			for c, j := range m.rev[m.roff[i]:m.roff[i+1]] {
				ws[k+c] = m.weight[int(m.firmCity[j])*m.nC+ci]
			}
		}
	}
	for v := open; v != 0; v &= v - 1 {
		x := bits.TrailingZeros64(v) & 63
		var s uint32
		for c, gv := range g {
			s += ws[c] & -(uint32(gv>>x) & 1)
		}
		sig[x] = s
	}
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

// record fills the step's rows and updates the per-run figures.
func (m *model) record(step int, rows []Row) {
	keep := m.active[:0]
	for _, x := range m.active {
		in := m.inns[x]
		if in.total < m.n {
			keep = append(keep, x)
		} else { // adopted by every firm: its state is no longer needed
			m.adoption.free(in.slot)
			m.freePushed(in.slot)
			in.slot, in.wmCum, in.wmW = -1, nil, nil
		}
	}
	m.active = keep
	sums := make([]float64, m.nR)
	for _, in := range m.inns {
		if in.status != commercialized {
			continue
		}
		age := step - in.commStep
		for a, at := range AdoptionAges {
			if age == at {
				for r := range m.nR {
					in.atAge[a][r] = float64(in.regionCount[r]) / float64(m.regionFirms[r])
				}
			}
		}
		for r := range m.nR {
			cnt := in.regionCount[r]
			sums[r] += float64(cnt)
			for t := range in.reachedAt {
				if in.reachedAt[t][r] < 0 && cnt >= m.threshold[t][r] && m.threshold[t][r] > 0 {
					in.reachedAt[t][r] = int32(step)
					if t == 1 {
						m.t50sum[r] += float64(step - in.commStep)
						m.t50n[r]++
					}
				}
				if in.reachedAt[t][r] >= 0 {
					switch t {
					case 0:
						rows[r].Reached10++
					case 1:
						rows[r].Reached50++
					case 2:
						rows[r].Reached90++
					}
				}
			}
		}
	}
	if m.commercCount > 0 {
		for r := range m.nR {
			rows[r].AdoptionShare = sums[r] / (float64(m.regionFirms[r]) * float64(m.commercCount))
		}
	}
}
