package sim

import (
	"context"
	"maps"
	"math"
	"math/bits"
	"slices"
)

// simulate computes one run.
func simulate(ctx context.Context, cfg *Config, t Task, workers int, observe func(int, int, int, []Row)) (*RunResult, error) {
	seed := RunSeed(cfg.Seed, t.Point, t.Replicate)
	m := newModel(cfg, seed, workers)
	for step := range cfg.Steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m.step = step
		m.applyPolicies(step)
		rows := m.advance(step)
		if observe != nil {
			observe(t.Point, t.Replicate, step, rows)
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
	return res, nil
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
					quality: r.open(), status: pending,
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
			chance := ct.Transform * float64(m.capability[i]) * in.quality * (1 - m.friction[in.originRegion*m.nR+s])
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
	}
	m.parallel(len(m.blocks), func(b int) { m.trials(step, b) })
	for b := range m.lists { // publish: from here on the new adopters count
		for _, e := range m.lists[b] {
			m.adopt(int(e.m), int(e.i))
		}
	}
}

// trials runs block b's adoption trials. A firm i of region r that has not
// adopted innovation x adopts it with probability
// c(i) * (p[r] + q[r] * S(i) / k), where S(i) is the weighted count of its
// contacts that had adopted at the start of the step.
func (m *model) trials(step, b int) {
	r := stream(m.seed, purposeAdopt, step, b)
	list := m.lists[b][:0]
	for _, x := range m.active {
		in := m.inns[x]
		for _, s := range m.blocks[b] {
			n := m.cityStart[s.city+1] - m.cityStart[s.city]
			if int(in.cityCount[s.city]) == n {
				continue
			}
			reg := m.cityRegion[s.city]
			p, qk := m.p[reg], m.qk[reg]
			var wmCum, wmW []float64
			if m.wellMixed {
				qk = m.q[reg] / float64(m.k)
				wmCum = in.wmCum[s.city*m.nC : (s.city+1)*m.nC]
				wmW = in.wmW[s.city*m.nC : (s.city+1)*m.nC]
			}
			for w := s.lo / 64; w <= (s.hi-1)/64; w++ {
				free := ^in.adopted[w]
				if lo := w * 64; lo < s.lo {
					free &= ^uint64(0) << (s.lo - lo)
				}
				if hi := w*64 + 64; hi > s.hi {
					free &= ^uint64(0) >> (hi - s.hi)
				}
				for free != 0 {
					i := w*64 + bits.TrailingZeros64(free)
					free &= free - 1
					var sig float64
					if m.wellMixed {
						sig = m.mixedSignal(&r, wmCum, wmW)
					} else {
						sig = float64(m.signal(in, i, s.city))
					}
					if r.float() < float64(m.capability[i])*(p+qk*sig) {
						list = append(list, event{int32(x), int32(i)})
					}
				}
			}
		}
	}
	m.lists[b] = list
}

// signal is the weighted count, in units of weightOne, of firm i's contacts
// that have adopted innovation in. Adoptions of the current step are
// published only after every block's trials, so this reads the state at the
// start of the step, as the synchronous update requires.
func (m *model) signal(in *innovation, i, ci int) uint32 {
	var s uint32
	cs := m.contacts[i*m.k : (i+1)*m.k]
	if m.uniform {
		for _, j := range cs {
			s += uint32(in.adopted[j>>6]>>(j&63)) & 1
		}
		return s * weightOne
	}
	for _, j := range cs {
		if in.adopted[j>>6]>>(j&63)&1 != 0 {
			s += m.weight[int(m.firmCity[j])*m.nC+ci]
		}
	}
	return s
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
				pc := m.contactCum[ci][cj] - prev
				prev = m.contactCum[ci][cj]
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
			in.adopted, in.wmCum, in.wmW = nil, nil, nil
		}
	}
	m.active = keep
	sums := make([]float64, m.nR)
	for _, in := range m.inns {
		if in.status != commercialized {
			continue
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
