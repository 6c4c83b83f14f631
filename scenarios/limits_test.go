package scenarios

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// hostileInputs are files that once made Load take minutes or gigabytes
// (issue 12): each must now be refused quickly with a positioned message.
// They are generated, not stored, and seed FuzzLoad too.
func hostileInputs(tb testing.TB) []struct {
	name string
	src  []byte
} {
	tb.Helper()
	bass, err := Source("bass")
	if err != nil {
		tb.Fatal(err)
	}
	var laughs, merges strings.Builder
	// Nine aliases to the level below, nine levels: 9⁹ values.
	laughs.Write(bass)
	laughs.WriteString("sweep:\n  params:\n    - path: diffusion.q\n      values: &l0 [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&laughs, "    - path: regions.market.p\n      values: &l%d [%s]\n", i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 9), ", "))
	}
	// The same with merge keys.
	merges.Write(bass)
	merges.WriteString("policies:\n  - at: 1\n    set: &m0 {diffusion.q: 0.1}\n")
	for i := 1; i <= 15; i++ {
		fmt.Fprintf(&merges, "  - at: 1\n    set: &m%d\n      <<: [%s]\n", i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*m%d, ", i-1), 9), ", "))
	}
	lhs := string(bass) + "sweep:\n  design: latin-hypercube\n  points: 100000\n  params:\n    - path: diffusion.q\n      from: 0.1\n      to: 0.5\n"
	var indent strings.Builder
	indent.WriteString("regions:\n")
	for i := range 2000 {
		fmt.Fprintf(&indent, "%s- x:\n", strings.Repeat(" ", 2+i))
	}
	return []struct {
		name string
		src  []byte
	}{
		{"20000 nested [", []byte("regions: " + strings.Repeat("[", 20_000) + "\n")},
		{"20000 nested {", []byte("regions: " + strings.Repeat("{a: ", 20_000) + "\n")},
		{"50000 chained - ", []byte("regions:\n  " + strings.Repeat("- ", 50_000) + "x\n")},
		{"50000 - entries", []byte("regions:\n" + strings.Repeat("- \n", 50_000))},
		{"deep indentation", []byte(indent.String())},
		{"aliases that multiply", []byte(laughs.String())},
		{"merge keys that multiply", []byte(merges.String())},
		{"a 100000-point latin hypercube", []byte(lhs)},
		{"NUL bytes", []byte("steps: 12\n\x00\x00\x00\n")},
	}
}

func TestLoadRefusesHostileInputsWithinBounds(t *testing.T) {
	for _, tc := range hostileInputs(t) {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := Load("hostile.yaml", tc.src)
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%v, %d MB allocated: %.200v", took.Round(time.Millisecond), alloc>>20, err)
			es, ok := err.(Errors)
			if !ok || len(es) == 0 {
				t.Fatalf("got %T %v, want Errors", err, err)
			}
			if es[0].Line < 1 || es[0].Col < 1 {
				t.Errorf("got position %d:%d, want both ≥ 1", es[0].Line, es[0].Col)
			}
			// Generous bounds: the target is under 1 s and 100 MB on one
			// core; the race detector and a busy machine multiply both.
			if alloc > 400<<20 {
				t.Errorf("allocated %d MB, want under 400 MB", alloc>>20)
			}
			if took > 20*time.Second {
				t.Errorf("took %v, want well under 20 s", took)
			}
		})
	}
}
