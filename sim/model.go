package sim

import (
	"encoding/binary"
	"math"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"
)

// blockSize is the number of firms in one unit of parallel work. It is a
// multiple of 64 so that a block owns whole words of every adoption bitset,
// and it is fixed, never derived from the number of workers, so the random
// streams (keyed by block) are the same whatever the parallelism.
const blockSize = 4096

// weightOne is the fixed-point unit of contact weights. Adopted contacts are
// summed as integers, so the sums are exact whatever the order; a weight of
// 1 - friction is rounded to the nearest 1/65536.
const weightOne = 1 << 16

// status of an innovation.
const (
	pending = iota
	commercialized
	lost
)

// innovation is one breakthrough and, once commercialized, its adopters.
type innovation struct {
	originCity, originRegion int
	discovered               int // step
	quality                  float64
	status                   int
	commStep                 int // step of commercialization; -1 for initial ones
	slot                     int // its slot in the adoption table once commercialized; -1 when freed
	cityCount                []int32
	regionCount              []int32
	total                    int
	reachedAt                [3][]int32                   // step each threshold was reached per region, -1 before
	atAge                    [len(AdoptionAges)][]float64 // adopter share per region at each age, NaN before
	fateStep                 int                          // step of commercialization or loss
	commRegion               int                          // region of the commercializing firm, -1 before
	// well-mixed contact tables, per (firm city, contact city)
	wmCum []float64
	wmW   []float64
}

// event is one adoption of innovation m by firm i.
type event struct{ m, i int32 }

// segment is a run of firms of one city inside one block, with the
// smallest and largest capability among them.
type segment struct {
	city, lo, hi int
	cmin, cmax   float32
}

// model is the state of one run.
type model struct {
	cfg     Config // working copy: policies change it
	seed    uint64
	workers int

	// Topology: fixed when the model is built.
	nR, nC, n   int
	cityRegion  []int
	firstCity   []int // global index of each region's first city
	cityStart   []int // firms of city c are [cityStart[c], cityStart[c+1])
	labStart    []int
	regionFirms []int
	threshold   [3][]int32 // firms needed to reach 10, 50, 90 % per region
	firmCity    []uint16
	blocks      [][]segment
	k           int
	wellMixed   bool
	reciprocal  bool

	// Agents: capabilities and ties (redrawn when a policy rewires).
	capability []float32 // per firm; nil while no city spreads capabilities, every firm having its city's mean (capOf)
	contacts   []int32   // fixed mixing: the contacts firm i drew are contacts[i*k : i*k+k]
	backTies   bool      // reciprocal ties are drawn: a firm's ties include the firms that drew it
	indeg      []uint8   // reciprocal ties: the number of firms that drew firm i; nil when one was drawn by more than 255
	rev        []int32   // reciprocal ties: the firms that drew firm i are rev[roff[i]:roff[i+1]], in firm order; nil until needed
	roff       []uint32  // nil until needed (needRev), or where indeg could not count
	kinds      []uint8   // per drawn contact: 0 in the firm's own city, else 1 + the contact's region; nil until needed
	rkinds     []uint8   // the same per tie of rev
	// recv[i] counts the adopters among the firms that drew firm i, for
	// the innovation recvInn, while it is the only one (reciprocal ties,
	// weights all 1) and no firm was drawn by more than 255: its trials
	// then read recv[i] instead of i's rev list.
	// recvPart holds, for parts 1.. of a step's adoptions, what each
	// adds to recv, on its own goroutine (countRecv).
	recv     []uint8
	recvPart [][]uint8
	recvInn  int
	// pushed holds every firm's signal per slot, kept up to date as firms
	// adopt, for the trials with reciprocal ties but those that read recv
	// (see pushed); nil when not built.
	pushed *pushed

	// Derived tables: recomputed from the parameters by derive.
	uniform     bool // every contact weight is 1 (no friction anywhere)
	p, qk, q    []float64
	weight      []uint32    // weight[a*nC+b]: contact in city a seen by firm in city b
	kindWeight  []uint32    // kindWeight[c*(nR+1)+kind]: weight of a contact of that kind seen by a firm in city c
	contactCum  [][]float64 // per city: cumulative probability of a drawn contact's city
	contactThr  [][]uint64  // contactCum as thresholds for 53-bit draws (see threshold)
	adoptThr    [][]uint64  // per city: adoption thresholds by signal (see adoptTable); nil where not used
	mixCum      [][]float64 // per city: cumulative probability of a tie's city (well-mixed)
	mixScale    []float64   // per city: expected ties of a firm over k, over norm/k (well-mixed; 1 with directed ties)
	transferCum [][]float64 // per origin region: cumulative weight of target regions
	cityPick    [][]float64 // per region: cumulative weight of its cities
	friction    []float64   // nR*nR, from row to column

	// State: innovations and who adopted them.
	inns        []*innovation
	pendingInns []int
	active      []int // commercialized innovations not yet adopted by all
	adoption    *adoption
	lists       [][]event // per block: the adoptions of this step
	scratch     []*gather // per block, for trialsRows
	counts      [][]int32 // per block: the step's adoptions per slot and city (publish), zero between steps
	step        int       // the step being run, for the jobs of each
	recvCut     []int     // countRecv's parts of the step's lists

	// Tallies: what the run reports.
	rows         []Row
	sums         []float64 // record's adopters per region, kept from step to step
	transfer     [][]int
	lags         []int
	t50sum       []float64
	t50n         []int
	commercCount int
	trialCount   int64
}

// newModel builds the agents of one run: firms with capabilities and
// contacts, labs, and the initial innovations.
func newModel(cfg *Config, seed uint64, workers int) *model {
	m := &model{cfg: cloneConfig(cfg), seed: seed, workers: max(1, workers)}
	c := &m.cfg
	m.nR = len(c.Regions)
	m.k = c.Diffusion.K
	m.wellMixed = c.Diffusion.Mixing == MixingWell
	m.reciprocal = c.Diffusion.Ties != TiesDirected
	m.regionFirms = make([]int, m.nR)
	m.cityStart = []int{0}
	m.labStart = []int{0}
	for r, reg := range c.Regions {
		m.firstCity = append(m.firstCity, len(m.cityRegion))
		for _, ct := range reg.Cities {
			m.cityRegion = append(m.cityRegion, r)
			m.cityStart = append(m.cityStart, m.cityStart[len(m.cityStart)-1]+ct.Firms)
			m.labStart = append(m.labStart, m.labStart[len(m.labStart)-1]+ct.Labs)
			m.regionFirms[r] += ct.Firms
		}
	}
	m.nC = len(m.cityRegion)
	m.n = m.cityStart[m.nC]
	for t, share := range []float64{0.1, 0.5, 0.9} {
		m.threshold[t] = make([]int32, m.nR)
		for r, nf := range m.regionFirms {
			m.threshold[t][r] = int32(math.Ceil(share * float64(nf)))
		}
	}
	m.firmCity = make([]uint16, m.n)
	for ci := range m.nC {
		for i := m.cityStart[ci]; i < m.cityStart[ci+1]; i++ {
			m.firmCity[i] = uint16(ci)
		}
	}
	nb := (m.n + blockSize - 1) / blockSize
	m.blocks = make([][]segment, nb)
	for b := range nb {
		lo, hi := b*blockSize, min(m.n, (b+1)*blockSize)
		for lo < hi {
			ci := int(m.firmCity[lo])
			end := min(hi, m.cityStart[ci+1])
			m.blocks[b] = append(m.blocks[b], segment{city: ci, lo: lo, hi: end})
			lo = end
		}
	}
	m.lists = make([][]event, nb)
	m.scratch = make([]*gather, nb)
	m.counts = make([][]int32, nb)
	m.adoption = newAdoption(m.n)
	m.derive()
	m.drawCapabilities()
	if !m.wellMixed {
		m.wire(0)
	}
	m.transfer = make([][]int, m.nR)
	for r := range m.transfer {
		m.transfer[r] = make([]int, m.nR)
	}
	m.t50sum = make([]float64, m.nR)
	m.t50n = make([]int, m.nR)
	m.rows = make([]Row, 0, c.Steps*m.nR)
	m.seedInitial()
	return m
}

// cloneConfig copies the parts of c that policies may change.
func cloneConfig(c *Config) Config {
	d := *c
	d.Regions = slices.Clone(c.Regions)
	for i := range d.Regions {
		d.Regions[i].Cities = slices.Clone(c.Regions[i].Cities)
		if q := c.Regions[i].Q; q != nil {
			v := *q
			d.Regions[i].Q = &v
		}
	}
	d.Links = slices.Clone(c.Links)
	d.Policies = slices.Clone(c.Policies)
	return d
}

// derive computes every table that follows from the parameters. It runs at
// build time and after each policy.
func (m *model) derive() {
	c := &m.cfg
	nR, nC := m.nR, m.nC
	lt := c.LinkTables()
	m.friction = lt.Friction
	coupling := lt.Coupling
	m.p = make([]float64, nR)
	m.q = make([]float64, nR)
	m.qk = make([]float64, nR)
	for r, reg := range c.Regions {
		m.p[r] = reg.P
		m.q[r] = c.Diffusion.Q
		if reg.Q != nil {
			m.q[r] = *reg.Q
		}
		m.qk[r] = m.q[r] / float64(m.norm()) / weightOne
	}
	m.weight = make([]uint32, nC*nC)
	m.uniform = true
	for a := range nC {
		for b := range nC {
			w := 1.0
			if a != b {
				w = 1 - m.friction[m.cityRegion[a]*nR+m.cityRegion[b]]
			}
			m.weight[a*nC+b] = uint32(math.Round(w * weightOne))
			m.uniform = m.uniform && m.weight[a*nC+b] == weightOne
		}
	}
	m.kindWeight = make([]uint32, nC*(nR+1))
	for b := range nC {
		kw := m.kindWeight[b*(nR+1) : (b+1)*(nR+1)]
		kw[0] = weightOne
		for s := range nR {
			kw[1+s] = uint32(math.Round((1 - m.friction[s*nR+m.cityRegion[b]]) * weightOne))
		}
	}
	// Where a firm's contacts lie: see docs/MODEL.md, "Contacts".
	firms := func(ci int) float64 { return float64(m.cityStart[ci+1] - m.cityStart[ci]) }
	m.contactCum = make([][]float64, nC)
	for ci := range nC {
		r := m.cityRegion[ci]
		reg := c.Regions[r]
		mass := make([]float64, nC)
		own := firms(ci) - 1 // other firms in the own city
		other := float64(m.regionFirms[r]) - firms(ci)
		local := reg.Local
		if own == 0 {
			local = 0
		}
		if other == 0 {
			local = 1
		}
		inRegion := 1 - reg.Reach
		var cross float64
		for s := range nR {
			if s != r {
				cross += coupling[r*nR+s]
			}
		}
		if cross == 0 {
			inRegion = 1
		}
		if own+other == 0 {
			inRegion = 0
		}
		if own > 0 {
			mass[ci] += float64(inRegion * local)
		}
		for cj := range nC {
			if cj != ci && m.cityRegion[cj] == r && other > 0 {
				mass[cj] += inRegion * (1 - local) * firms(cj) / other
			}
			if s := m.cityRegion[cj]; s != r && cross > 0 {
				mass[cj] += (1 - inRegion) * coupling[r*nR+s] / cross * firms(cj) / float64(m.regionFirms[s])
			}
		}
		if floatsSum(mass) == 0 { // nowhere to go by the rules: any other firm
			for cj := range nC {
				mass[cj] = firms(cj)
				if cj == ci {
					mass[cj]--
				}
			}
		}
		m.contactCum[ci] = cumulate(mass)
	}
	m.contactThr = make([][]uint64, nC)
	for ci, cum := range m.contactCum {
		m.contactThr[ci] = make([]uint64, len(cum))
		for j, x := range cum {
			m.contactThr[ci][j] = threshold(x)
		}
	}
	m.adoptThr = nil
	m.mixCum = m.contactCum
	m.mixScale = make([]float64, nC)
	for ci := range m.mixScale {
		m.mixScale[ci] = 1
	}
	if m.reciprocal {
		m.mixCum, m.mixScale = m.tieCum(firms)
	}
	m.transferCum = make([][]float64, nR)
	for r := range nR {
		w := make([]float64, nR)
		for s := range nR {
			w[s] = lt.Search[r*nR+s] * c.Regions[s].Pull
		}
		m.transferCum[r] = cumulate(w)
	}
	m.cityPick = make([][]float64, nR)
	for r, reg := range c.Regions {
		w := make([]float64, len(reg.Cities))
		for j, ct := range reg.Cities {
			w[j] = ct.Transform * float64(ct.Firms)
		}
		m.cityPick[r] = cumulate(w)
	}
}

// tieCum returns, per city, the cumulative probability that one of a
// firm's reciprocal ties lies in each city: the contacts it draws, plus
// those that firms of every city draw to it. A firm of city ci expects
// P(ci→cj) drawn ties in cj per contact drawn, and firms(cj)·P(cj→ci) /
// firms(ci) ties drawn to it from cj (P(ci→ci) from its own city). Under
// well-mixed contacts the fresh draws of a step follow this mixture, the
// mean-field limit of reciprocal ties. It also returns, per city, the
// factor that turns the k fresh contacts of a well-mixed trial into the
// exposure of a firm with that city's expected ties: a firm of ci expects
// k·mass(ci) ties (mass the sum of the mixture's weights), each adding
// 1/norm of exposure, so the k fresh ones count mass(ci)·k/norm each.
func (m *model) tieCum(firms func(int) float64) ([][]float64, []float64) {
	nC := m.nC
	prob := func(a, b int) float64 { // P(a→b) from the cumulative table
		p := m.contactCum[a][b]
		if b > 0 {
			p -= m.contactCum[a][b-1]
		}
		return p
	}
	out := make([][]float64, nC)
	scale := make([]float64, nC)
	for ci := range nC {
		mass := make([]float64, nC)
		for cj := range nC {
			if cj == ci {
				mass[cj] = 2 * prob(ci, ci)
				continue
			}
			mass[cj] = prob(ci, cj) + float64(firms(cj)*prob(cj, ci))/firms(ci)
		}
		out[ci] = cumulate(mass)
		scale[ci] = floatsSum(mass) * float64(m.k) / float64(m.norm())
	}
	return out, scale
}

// norm is the number of ties whose adoption makes a firm's signal q: k
// with directed ties, and with reciprocal ones 2k, the mean number of ties
// a firm has (every contact drawn is a tie at both ends). It depends on k
// alone, so no tie another firm draws, and no parameter that adds ties,
// can lower a firm's exposure: a tie adds to the signal and never dilutes
// it (docs/MODEL.md, 3.3.3).
func (m *model) norm() int {
	if m.reciprocal {
		return 2 * m.k
	}
	return m.k
}

func floatsSum(xs []float64) float64 {
	var t float64
	for _, x := range xs {
		t += x
	}
	return t
}

// cumulate returns the running sums of w normalized to end at 1, or all
// zeros when w sums to zero.
func cumulate(w []float64) []float64 {
	out := make([]float64, len(w))
	var t float64
	for i, x := range w {
		t += x
		out[i] = t
	}
	if t > 0 {
		for i := range out {
			out[i] /= t
		}
		out[len(out)-1] = 1
	}
	return out
}

// threshold returns the integer t with v < t exactly when
// float64(v)·2⁻⁵³ < x, for every integer v in [0, 2⁵³): a draw of rng.float
// is (Uint64()>>11)·2⁻⁵³, so comparing Uint64()>>11 with threshold(x) decides
// as float() < x would, without a conversion. For x in (0, 1), x·2⁵³ and
// v·2⁻⁵³ are exact (scalings by a power of two), and v < x·2⁵³ holds for an
// integer v exactly when v < ⌈x·2⁵³⌉.
func threshold(x float64) uint64 {
	switch {
	case !(x > 0): // 0, negative or NaN: no draw is below it
		return 0
	case x >= 1:
		return 1 << 53
	}
	return uint64(math.Ceil(x * 0x1p53))
}

// pickBits is pick on thresholds: with thr[i] = threshold(cum[i]) and
// v = Uint64()>>11, it returns pick(cum, float64(v)·2⁻⁵³), since cum[i] <= u
// exactly when thr[i] <= v.
func pickBits(thr []uint64, v uint64) int {
	if len(thr) <= 16 {
		i := 0
		for i < len(thr)-1 && thr[i] <= v {
			i++
		}
		return i
	}
	i, _ := slices.BinarySearch(thr[:len(thr)-1], v+1) // the first thr[i] > v
	return i
}

// pick returns the index i with cum[i-1] <= u < cum[i]; cum must end at 1.
// Short tables are scanned, longer ones searched; both give the same i.
func pick(cum []float64, u float64) int {
	if len(cum) <= 16 {
		i := 0
		for i < len(cum)-1 && cum[i] <= u {
			i++
		}
		return i
	}
	i, _ := slices.BinarySearch(cum, u)
	for i < len(cum)-1 && cum[i] <= u {
		i++
	}
	return min(i, len(cum)-1)
}

// capOf returns firm i's capability.
func (m *model) capOf(i int) float32 {
	if m.capability == nil {
		return float32(m.city(int(m.firmCity[i])).Capability.Mean)
	}
	return m.capability[i]
}

// city returns the City of global city index ci.
func (m *model) city(ci int) *City {
	r := m.cityRegion[ci]
	return &m.cfg.Regions[r].Cities[ci-m.firstCity[r]]
}

// drawCapabilities sets every firm's capability from its own uniform draw,
// so that a policy that changes a city's capability moves every firm
// consistently. While no city spreads them, every firm has its city's
// mean (the draw would add 0 to it) and none is stored: the draws come
// from a stream of their own, so drawing them later, when a policy sets a
// spread, gives the same capabilities as drawing them from the start.
func (m *model) drawCapabilities() {
	m.adoptThr = nil
	spread := false
	for ci := range m.nC {
		spread = spread || m.city(ci).Capability.Spread != 0
	}
	if !spread {
		m.capability = nil
		for b := range m.blocks {
			for si := range m.blocks[b] {
				s := &m.blocks[b][si]
				s.cmin = float32(m.city(s.city).Capability.Mean)
				s.cmax = s.cmin
			}
		}
		return
	}
	if m.capability == nil {
		m.capability = make([]float32, m.n)
	}
	m.parallel(len(m.blocks), func(b int) {
		r := stream(m.seed, purposeCapability, 0, b)
		for si := range m.blocks[b] {
			s := &m.blocks[b][si]
			cp := m.city(s.city).Capability
			s.cmin, s.cmax = float32(math.Inf(1)), 0
			for i := s.lo; i < s.hi; i++ {
				m.capability[i] = float32(cp.Mean + float64(cp.Spread*(float64(2*r.float())-1)))
				s.cmax = max(s.cmax, m.capability[i])
				s.cmin = min(s.cmin, m.capability[i])
			}
		}
	})
}

// contact draws one contact of firm i in city ci: the contact's city from
// contactCum (tested first for the firm's own city, the likeliest), then a
// firm of that city other than i. The draws are those of
// pick(contactCum[ci], r.float()) and r.intn.
func contact(r *rng, thr []uint64, cityStart []int, i, ci int) int32 {
	v := r.Uint64() >> 11
	below := uint64(0)
	if ci > 0 {
		below = thr[ci-1]
	}
	cj := ci // when below <= v < thr[ci], or v >= below in the last city
	if v < below || v >= thr[ci] && ci < len(thr)-1 {
		cj = pickBits(thr, v)
	}
	lo, n := cityStart[cj], cityStart[cj+1]-cityStart[cj]
	if cj != ci {
		return int32(lo + r.intn(n))
	}
	j := lo + r.intn(n-1)
	if j >= i {
		j++
	}
	return int32(j)
}

// drawContacts draws the k contacts of each firm i of [lo, hi), all of
// city ci, into dst[(i-lo)*k:][:k], with the draws of contact, and returns
// the stream as it left it. The stream is passed and returned by value and
// the draws of contact and r.intn are written out here, the rare retry of
// intn aside, so that its state stays in registers instead of going
// through memory at every draw; the contact's own city is tested first.
func drawContacts(rr rng, thr []uint64, cityStart []int, ci, lo, hi, k int, dst []int32) rng {
	below := uint64(0)
	if ci > 0 {
		below = thr[ci-1]
	}
	// The draw v < 2⁵³ falls in the own city when below <= v < thr[ci],
	// or below <= v in the last city: when v-below < span, unsigned (v <
	// below wraps around to more than any span), one test instead of three.
	span := thr[ci] - below
	if ci == len(thr)-1 {
		span = 1<<53 - below
	}
	own, nOwn := cityStart[ci], uint64(cityStart[ci+1]-cityStart[ci]-1)
	for i := lo; i < hi; i++ {
		cs := dst[(i-lo)*k:][:k]
		for c := range cs {
			v := rr.Uint64() >> 11
			cj := ci
			if v-below >= span {
				cj = pickBits(thr, v)
			}
			if cj == ci { // a firm of the own city other than i
				x, l := bits.Mul64(rr.Uint64(), nOwn)
				if l < nOwn {
					x, rr = intnRetry(rr, nOwn, x, l)
				}
				j := own + int(x)
				if j >= i {
					j++
				}
				cs[c] = int32(j)
				continue
			}
			n := uint64(cityStart[cj+1] - cityStart[cj])
			x, l := bits.Mul64(rr.Uint64(), n)
			if l < n {
				x, rr = intnRetry(rr, n, x, l)
			}
			cs[c] = int32(cityStart[cj] + int(x))
		}
	}
	return rr
}

// degree returns firm i's number of ties: its k contacts, and with
// reciprocal ties the firms that drew it.
func (m *model) degree(i int) int {
	switch {
	case m.indeg != nil:
		return m.k + int(m.indeg[i])
	case m.backTies:
		return m.k + int(m.roff[i+1]-m.roff[i])
	}
	return m.k
}

// ties appends firm i's ties to dst: the contacts it drew, in the order
// drawn, then (reciprocal ties) the firms that drew it, in firm order.
func (m *model) ties(i int, dst []int32) []int32 {
	dst = append(dst, m.contacts[i*m.k:(i+1)*m.k]...)
	if m.backTies {
		m.needRev()
		dst = append(dst, m.rev[m.roff[i]:m.roff[i+1]]...)
	}
	return dst
}

// wire draws every firm's k contacts, in firm order within each block.
// Duplicate contacts are allowed; self-contacts are not. With reciprocal
// ties each drawn contact becomes a tie at both ends: firm i's ties are
// the contacts it drew, in the order drawn, followed by the firms that
// drew i, in firm order (so the list depends only on the draws). The
// drawn contacts stay where they were drawn; the others are counted
// (indeg) and listed apart (rev, roff) only when needed (needRev): a
// single innovation with weights all 1 counts each firm's adopters among
// them as they adopt (recv) instead.
func (m *model) wire(step int) {
	k := m.k
	m.contacts, m.rev, m.roff, m.indeg = nil, nil, nil, nil // let the old ties go first
	m.recv, m.recvPart = nil, nil
	m.kinds, m.rkinds = nil, nil
	m.pushed = nil
	drawn := tieTable(m.n * k)
	m.parallel(len(m.blocks), func(b int) {
		r := stream(m.seed, purposeContacts, step, b)
		for _, s := range m.blocks[b] {
			r = drawContacts(r, m.contactThr[s.city], m.cityStart, s.city, s.lo, s.hi, k, drawn[s.lo*k:s.hi*k])
		}
	})
	m.contacts = drawn
	m.backTies = m.reciprocal
	if m.reciprocal {
		m.countIndeg()
	}
}

// countIndeg sets m.indeg, the number of firms that drew each firm, or,
// where one was drawn by more than 255, m.roff. Each worker counts the
// contacts drawn by one part of the firms into a table of its own (the
// first into indeg); the tables are then summed.
func (m *model) countIndeg() {
	parts, n, k := min(m.workers, len(m.blocks)), m.n, m.k
	tables := make([][]uint8, parts)
	over := make([]bool, parts)
	m.parallel(parts, func(p int) {
		t, wrapped := make([]uint8, n), false
		for _, j := range m.contacts[p*n/parts*k : (p+1)*n/parts*k] {
			t[j]++
			wrapped = wrapped || t[j] == 0
		}
		tables[p], over[p] = t, wrapped
	})
	indeg := tables[0]
	m.parallel(parts, func(q int) {
		lo, hi := q*n/parts, (q+1)*n/parts
		most := uint(0)
		for _, t := range tables[1:] {
			for j, v := range t[lo:hi] {
				sum := uint(indeg[lo+j]) + uint(v)
				indeg[lo+j] = uint8(sum)
				most = max(most, sum)
			}
		}
		over[q] = over[q] || most > math.MaxUint8
	})
	if !slices.Contains(over, true) {
		m.indeg = indeg
		return
	}
	tables, indeg = nil, nil
	// roff[j+1] counts the firms that drew j, then, summed, is where the
	// list of j ends and that of j+1 starts.
	roff := make([]uint32, n+1)
	for _, j := range m.contacts {
		roff[j+1]++
	}
	for i := 1; i < len(roff); i++ {
		roff[i] += roff[i-1]
	}
	m.roff = roff
}

// needRev lists, for reciprocal ties, the firms that drew each firm (rev),
// if that is not done: a counting sort of the drawn contacts by the firm
// drawn, in the order of the drawing firms. The first time, it sets roff
// from indeg.
func (m *model) needRev() {
	if !m.backTies || m.rev != nil {
		return
	}
	if m.roff == nil {
		m.roff = make([]uint32, m.n+1)
		for i, d := range m.indeg {
			m.roff[i+1] = m.roff[i] + uint32(d)
		}
	}
	k, roff := m.k, m.roff
	next := slices.Clone(roff[:m.n]) // where j's next entry goes
	rev := tieTable(int(roff[m.n]))
	for i := range m.n {
		for _, j := range m.contacts[i*k : (i+1)*k] {
			rev[next[j]] = int32(i)
			next[j]++
		}
	}
	m.rev = rev
}

// maxKinds is the number of contact kinds a uint8 holds: scenarios with more
// regions look weights up by the contact's city instead.
const maxKinds = 256

// classify fills m.kinds, the kind of every contact, which with the firm's
// city gives the contact's weight without a look-up of the contact's city
// (a scattered read). It is needed only when weights are not all 1.
func (m *model) classify() {
	if m.uniform || m.wellMixed || m.kinds != nil || m.nR+1 > maxKinds {
		return
	}
	m.needRev()
	kind := func(ks []uint8, js []int32, ci int) {
		for c, j := range js {
			if cj := int(m.firmCity[j]); cj != ci {
				ks[c] = uint8(1 + m.cityRegion[cj])
			}
		}
	}
	m.kinds = make([]uint8, len(m.contacts))
	if m.backTies {
		m.rkinds = make([]uint8, len(m.rev))
	}
	m.parallel(len(m.blocks), func(b int) {
		for _, s := range m.blocks[b] {
			kind(m.kinds[s.lo*m.k:s.hi*m.k], m.contacts[s.lo*m.k:s.hi*m.k], s.city)
			if m.backTies {
				lo, hi := m.roff[s.lo], m.roff[s.hi]
				kind(m.rkinds[lo:hi], m.rev[lo:hi], s.city)
			}
		}
	})
}

// parallel calls f(b) for b in [0, n) on up to m.workers goroutines. Which
// goroutine runs which b never matters: f writes only to b's own slots.
func (m *model) parallel(n int, f func(b int)) {
	w := min(m.workers, n)
	if w <= 1 {
		for b := range n {
			f(b)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range w {
		wg.Go(func() {
			for {
				b := int(next.Add(1) - 1)
				if b >= n {
					return
				}
				f(b)
			}
		})
	}
	wg.Wait()
}

// each is parallel for the jobs of a step: f takes the model as an
// argument and captures nothing, so that a step on one worker, as a fit's
// proposals run, allocates nothing (a closure over local variables passed
// to parallel is allocated each time it is made).
func (m *model) each(n int, f func(m *model, b int)) {
	if min(m.workers, n) <= 1 {
		for b := range n {
			f(m, b)
		}
		return
	}
	m.parallel(n, func(b int) { f(m, b) })
}

// commercialize makes innovation x a product of firm i at the current step.
func (m *model) commercialize(x int, i int, step int) {
	in := m.inns[x]
	in.status = commercialized
	in.commStep = step
	in.fateStep = step
	in.commRegion = m.cityRegion[m.firmCity[i]]
	m.track(x)
	m.adopt(x, i)
}

// track allocates the adoption state of a newly commercialized innovation.
func (m *model) track(x int) {
	in := m.inns[x]
	in.slot = m.adoption.add(x)
	m.recv, m.recvPart = nil, nil
	if m.pushed != nil {
		m.pushed.fit(m.adoption)
	}
	if m.commercCount == 0 && m.indeg != nil && m.uniform {
		m.recv, m.recvInn = make([]uint8, m.n), x
	}
	if m.wellMixed {
		in.wmCum = make([]float64, m.nC*m.nC)
		in.wmW = make([]float64, m.nC*m.nC)
	}
	in.cityCount = make([]int32, m.nC)
	in.regionCount = make([]int32, m.nR)
	for t := range in.reachedAt {
		in.reachedAt[t] = make([]int32, m.nR)
		for r := range in.reachedAt[t] {
			in.reachedAt[t][r] = -1
		}
	}
	for a := range in.atAge {
		in.atAge[a] = make([]float64, m.nR)
		for r := range in.atAge[a] {
			in.atAge[a][r] = math.NaN()
		}
	}
	m.active = append(m.active, x)
	m.commercCount++
}

// adopt records that firm i adopted innovation x (bit and counts).
func (m *model) adopt(x, i int) {
	m.mark(x, i)
	if m.pushed != nil {
		m.pushOne(x, i, 0, uint32(m.n))
	}
	if m.recv != nil && x == m.recvInn {
		for _, j := range m.contacts[i*m.k : (i+1)*m.k] {
			m.recv[j]++
		}
	}
}

// countRecv adds the adoptions of m.lists to m.recv. With several
// workers, the lists are cut into parts of about as many adoptions each;
// the first part adds to recv, each other one to a table of its own, on
// its own goroutine, and the tables are then summed into recv eight
// counts at a time (integers: the same counts whatever the parts; a count
// never exceeds 255, the firms that drew a firm, or recv would not be
// kept, so no sum carries into the next firm's byte).
func (m *model) countRecv() {
	total := 0
	for _, list := range m.lists {
		total += len(list)
	}
	parts := min(m.workers, total/1024+1) // small steps are not worth a goroutine
	for len(m.recvPart) < parts-1 {
		m.recvPart = append(m.recvPart, make([]uint8, len(m.recv)))
	}
	m.recvCut = append(m.recvCut[:0], make([]int, parts+1)...) // part p counts the lists [cut[p], cut[p+1])
	cut := m.recvCut
	cut[parts] = len(m.lists)
	for b, sum, p := 0, 0, 1; p < parts; b++ { // part p starts at the first list that ends after p/parts of the adoptions
		sum += len(m.lists[b])
		for ; p < parts && sum > p*total/parts; p++ {
			cut[p] = b + 1
		}
	}
	m.each(parts, (*model).countRecvPart)
	if parts == 1 {
		return
	}
	m.each(m.workers, (*model).sumRecvParts)
}

// countRecvPart adds part p of the step's lists (m.recvCut) to m.recv, or
// to the table of the part.
func (m *model) countRecvPart(p int) {
	cut, contacts, k := m.recvCut, m.contacts, m.k
	dst := m.recv
	if p > 0 {
		dst = m.recvPart[p-1]
	}
	for _, list := range m.lists[cut[p]:cut[p+1]] {
		for _, e := range list {
			for _, j := range contacts[int(e.i)*k : int(e.i)*k+k] {
				dst[j]++
			}
		}
	}
}

// sumRecvParts adds, for share q of the firms, the tables of parts 1.. of
// countRecv to m.recv and clears them.
func (m *model) sumRecvParts(q int) {
	parts := len(m.recvCut) - 1
	words := (len(m.recv) + 7) / 8
	lo, hi := q*words/m.workers*8, min(len(m.recv), (q+1)*words/m.workers*8)
	recv := m.recv[lo:hi]
	for _, part := range m.recvPart[:parts-1] {
		part := part[lo:hi]
		w := 0
		for ; w+8 <= len(recv); w += 8 {
			sum := binary.LittleEndian.Uint64(recv[w:]) + binary.LittleEndian.Uint64(part[w:])
			binary.LittleEndian.PutUint64(recv[w:], sum)
			binary.LittleEndian.PutUint64(part[w:], 0)
		}
		for ; w < len(recv); w++ {
			recv[w] += part[w]
			part[w] = 0
		}
	}
}

// mark records that firm i adopted innovation x: its bit and the counts,
// but not m.recv.
func (m *model) mark(x, i int) {
	in := m.inns[x]
	m.adoption.set(i, in.slot)
	ci := m.firmCity[i]
	in.cityCount[ci]++
	in.regionCount[m.cityRegion[ci]]++
	in.total++
}

// seedInitial adds the innovations that are already commercialized at step
// 0, each adopted by a share of one city's firms chosen at random.
func (m *model) seedInitial() {
	var perm []int32 // reused: one city's worth, not one per innovation
	for k, init := range m.cfg.Initial {
		ci := 0
		for ; ci < m.nC && m.city(ci).ID != init.City; ci++ {
		}
		m.inns = append(m.inns, &innovation{originCity: ci, originRegion: m.cityRegion[ci], discovered: -1, quality: 1})
		x := len(m.inns) - 1
		m.inns[x].status = commercialized
		m.inns[x].commStep = -1
		m.inns[x].fateStep = -1
		m.inns[x].commRegion = m.cityRegion[ci]
		m.track(x)
		lo, n := m.cityStart[ci], m.cityStart[ci+1]-m.cityStart[ci]
		want := max(1, int(math.Round(init.Share*float64(n))))
		perm = slices.Grow(perm[:0], n)[:n]
		for j := range perm {
			perm[j] = int32(j)
		}
		r := stream(m.seed, purposeInitial, 0, k)
		for j := range want { // partial Fisher-Yates
			s := j + r.intn(n-j)
			perm[j], perm[s] = perm[s], perm[j]
			m.adopt(x, lo+int(perm[j]))
		}
	}
}
