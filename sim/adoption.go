package sim

import "math/bits"

// adoption is the adoption state of every active innovation, stored firm by
// firm: each firm has a row of 2^lb bits, bit s of firm j's row telling
// whether j has adopted the innovation in slot s. Rows narrower than a word
// are packed (firm j's row starts at bit j·2^lb); rows of 64 bits or more
// take whole words.
//
// One row holds a firm's state for all innovations at once, so a firm's
// trials read each of its k contacts' rows once per step, whatever the
// number of innovations, instead of one scattered bit per contact and
// innovation. With a single innovation the rows are one bit wide and the
// table is the plain bitset of its adopters.
//
// Slots are handed out as innovations are commercialized and freed when an
// innovation has been adopted by every firm; the row width doubles when
// every slot is taken. Which slot an innovation gets depends only on the
// order of commercializations, never on the workers.
type adoption struct {
	n     int
	lb    uint     // rows are 1<<lb bits wide
	mask  uint64   // low 1<<lb bits, for rows narrower than a word
	bits  []uint64 // the rows
	slots []int32  // innovation in each slot, -1 when free
	live  []uint64 // occupied slots, one word per row word
}

func newAdoption(n int) *adoption {
	a := &adoption{n: n}
	a.resize(0)
	return a
}

// words is the number of words of one row (1 for packed rows).
func (a *adoption) words() int {
	if a.lb < 6 {
		return 1
	}
	return 1 << (a.lb - 6)
}

// row returns word w of firm j's row: the adoption bits of slots
// [64w, 64w+64).
func (a *adoption) row(j, w int) uint64 {
	if a.lb >= 6 {
		return a.bits[j<<(a.lb-6)+w]
	}
	return a.bits[j>>(6-a.lb)] >> (uint(j) << a.lb & 63) & a.mask
}

// has reports whether firm j has adopted the innovation in slot s.
func (a *adoption) has(j, s int) bool {
	return a.row(j, s/64)>>(s%64)&1 != 0
}

// set records that firm j adopted the innovation in slot s.
func (a *adoption) set(j, s int) {
	p := j<<a.lb + s // bit position
	a.bits[p/64] |= 1 << (p % 64)
}

// add gives innovation x a free slot, widening the rows if none is left.
func (a *adoption) add(x int) int {
	for s, v := range a.slots {
		if v < 0 {
			a.slots[s] = int32(x)
			a.live[s/64] |= 1 << (s % 64)
			return s
		}
	}
	s := len(a.slots)
	a.resize(a.lb + 1)
	a.slots[s] = int32(x)
	a.live[s/64] |= 1 << (s % 64)
	return s
}

// free releases slot s of an innovation that every firm has adopted: it
// clears the slot's bit in every row.
func (a *adoption) free(s int) {
	if a.lb >= 6 {
		w := 1 << (a.lb - 6)
		bit := uint64(1) << (s % 64)
		for p := s / 64; p < len(a.bits); p += w {
			a.bits[p] &^= bit
		}
	} else {
		var pattern uint64 // bit s of every row in a word
		for p := s; p < 64; p += 1 << a.lb {
			pattern |= 1 << p
		}
		for p := range a.bits {
			a.bits[p] &^= pattern
		}
	}
	a.slots[s] = -1
	a.live[s/64] &^= 1 << (s % 64)
}

// resize makes rows 1<<lb bits wide, keeping every firm's bits.
func (a *adoption) resize(lb uint) {
	old := *a
	a.lb = lb
	a.mask = 1<<(1<<min(lb, 6)) - 1
	if lb >= 6 {
		a.mask = ^uint64(0)
	}
	a.bits = make([]uint64, (a.n<<lb+63)/64)
	a.slots = make([]int32, 1<<lb)
	for s := range a.slots {
		a.slots[s] = -1
	}
	copy(a.slots, old.slots)
	a.live = make([]uint64, a.words())
	copy(a.live, old.live)
	if old.bits == nil {
		return
	}
	for j := range a.n {
		for w := range old.words() {
			for v := old.row(j, w); v != 0; v &= v - 1 {
				a.set(j, w*64+bits.TrailingZeros64(v))
			}
		}
	}
}
