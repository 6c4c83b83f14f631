package optimize

import (
	"fmt"
	"strconv"
	"strings"
)

// Allocation shares a budget among levers: lever i gets Units[i]/Grid of
// it. Grid 0 (and no units) is the scenario as it is: nothing spent.
type Allocation struct {
	Units []int
	Grid  int
}

// Baseline is the allocation that spends nothing.
func Baseline(levers int) Allocation { return Allocation{Units: make([]int, levers)} }

// IsBaseline reports whether a spends nothing.
func (a Allocation) IsBaseline() bool { return a.Grid == 0 }

// Share is lever i's share of the budget.
func (a Allocation) Share(i int) float64 {
	if a.Grid == 0 {
		return 0
	}
	return float64(a.Units[i]) / float64(a.Grid)
}

// reduced is a with its units and grid divided by their greatest common
// divisor: equal shares give equal reduced allocations.
func (a Allocation) reduced() Allocation {
	if a.Grid == 0 {
		return Allocation{Units: make([]int, len(a.Units))}
	}
	g := a.Grid
	for _, u := range a.Units {
		g = gcd(g, u)
	}
	r := Allocation{Units: make([]int, len(a.Units)), Grid: a.Grid / g}
	for i, u := range a.Units {
		r.Units[i] = u / g
	}
	return r
}

// Key names a's shares: equal shares on any grid give the same key, such
// as "1,0,1/2"; "none" for the baseline.
func (a Allocation) Key() string {
	if a.Grid == 0 {
		return "none"
	}
	r := a.reduced()
	s := make([]string, len(r.Units))
	for i, u := range r.Units {
		s[i] = strconv.Itoa(u)
	}
	return strings.Join(s, ",") + "/" + strconv.Itoa(r.Grid)
}

// ParseKey is the inverse of Key.
func ParseKey(key string, levers int) (Allocation, error) {
	if key == "none" {
		return Baseline(levers), nil
	}
	units, grid, ok := strings.Cut(key, "/")
	g, err := strconv.Atoi(grid)
	parts := strings.Split(units, ",")
	if !ok || err != nil || g < 1 || len(parts) != levers {
		return Allocation{}, fmt.Errorf("%q is not an allocation of %d levers", key, levers)
	}
	a := Allocation{Units: make([]int, levers), Grid: g}
	sum := 0
	for i, p := range parts {
		u, err := strconv.Atoi(p)
		if err != nil || u < 0 {
			return Allocation{}, fmt.Errorf("%q is not an allocation of %d levers", key, levers)
		}
		a.Units[i], sum = u, sum+u
	}
	if sum != g || a.Key() != key {
		return Allocation{}, fmt.Errorf("%q is not an allocation of %d levers", key, levers)
	}
	return a, nil
}

// at is a on grid g, a multiple of its own.
func (a Allocation) at(g int) Allocation {
	r := Allocation{Units: make([]int, len(a.Units)), Grid: g}
	for i, u := range a.Units {
		r.Units[i] = u * (g / a.Grid)
	}
	return r
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// latticeSize is the number of allocations of levers on grid h: the
// compositions of h into that many parts, C(h+levers−1, levers−1).
func latticeSize(levers, h int) int {
	n := 1
	for k := 1; k < levers; k++ {
		n = n * (h + k) / k
	}
	return n
}

// lattice lists every allocation of levers on grid h, in lexicographic
// order of their units (the first lever's share largest first).
func lattice(levers, h int) []Allocation {
	var out []Allocation
	units := make([]int, levers)
	var fill func(i, left int)
	fill = func(i, left int) {
		if i == levers-1 {
			units[i] = left
			out = append(out, Allocation{Units: append([]int(nil), units...), Grid: h})
			return
		}
		for u := left; u >= 0; u-- {
			units[i] = u
			fill(i+1, left-u)
		}
	}
	fill(0, h)
	return out
}

// neighbours lists the allocations on grid 2×a.Grid whose units differ
// from a's (on that grid) by at most one each: a itself and the points
// half a step of a's grid around it, in lexicographic order.
func neighbours(a Allocation) []Allocation {
	c := a.at(2 * a.Grid)
	var out []Allocation
	units := make([]int, len(c.Units))
	var fill func(i, sum int)
	fill = func(i, sum int) {
		if i == len(units) {
			if sum == c.Grid {
				out = append(out, Allocation{Units: append([]int(nil), units...), Grid: c.Grid})
			}
			return
		}
		for d := 1; d >= -1; d-- {
			if u := c.Units[i] + d; u >= 0 {
				units[i] = u
				fill(i+1, sum+u)
			}
		}
	}
	fill(0, 0)
	return out
}
