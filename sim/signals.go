package sim

import "math/bits"

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
// drawn contacts that have adopted (bits64 holds the adopters). The sum
// goes two contacts at a time: written as one sum of eight, the compiler
// loads all eight words first and runs out of registers (a tenth more
// instructions, spilled to the stack).
func signals8(bits64 []uint64, contacts []int32, w int, free uint64, sigs *[64]uint32) {
	bit := func(j int32) uint32 { return uint32(bits64[uint32(j)>>6]>>(uint32(j)&63)) & 1 }
	for ; free != 0; free &= free - 1 {
		b := bits.TrailingZeros64(free) & 63
		cs := contacts[(w*64+b)*8:][:8]
		s := bit(cs[0]) + bit(cs[1])
		s += bit(cs[2]) + bit(cs[3])
		s += bit(cs[4]) + bit(cs[5])
		s += bit(cs[6]) + bit(cs[7])
		sigs[b] = s
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
