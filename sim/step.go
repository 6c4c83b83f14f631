package sim

import (
	"context"
	"maps"
	"math"
	"slices"
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

// A phase is one part of a step. advance runs stepPhases in order; a
// test that looks between phases runs the same list, so that it follows
// the real order of a step whatever phase is added.
type phase struct {
	name string
	run  func(m *model, step int, rows []Row)
}

// stepPhases are the phases of a step, in order: the policies scheduled
// for it, breakthroughs, their transfer to firms, diffusion, and the
// step's figures.
var stepPhases = [...]phase{
	{"policies", func(m *model, step int, _ []Row) { m.applyPolicies(step) }},
	{"discover", (*model).discover},
	{"transfer", (*model).transferStep},
	{"diffuse", func(m *model, step int, _ []Row) { m.diffuse(step) }},
	{"record", (*model).record},
}

// advance runs one step: its phases, in order, filling its rows.
func (m *model) advance(step int) []Row {
	rows := m.stepRows(step)
	for _, p := range stepPhases {
		p.run(m, step, rows)
	}
	return rows
}

// stepRows appends the step's rows, one per region, and returns them.
func (m *model) stepRows(step int) []Row {
	base := len(m.rows)
	for r := range m.nR {
		m.rows = append(m.rows, Row{Step: step, Region: r})
	}
	return m.rows[base:]
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
	m.step = step
	if m.wellMixed {
		m.mixTables()
		m.each(len(m.blocks), func(m *model, b int) { m.trialsMixed(m.step, b) })
	} else {
		m.prepareTrials()
		m.each(len(m.blocks), func(m *model, b int) { m.trials(m.step, b) })
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
	if m.sums == nil {
		m.sums = make([]float64, m.nR)
	}
	sums := m.sums
	clear(sums)
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
