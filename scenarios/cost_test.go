package scenarios

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// costShape is a file whose reading once took seconds and gigabytes
// although it was under the byte limit (issue 6), or the costliest file
// within one of the caps and limits on reading.
type costShape struct {
	name string
	src  func() string
	// caps are the caps it is read under.
	caps Caps
	// valid is true when the file must load; otherwise it must be refused.
	valid bool
}

// shapeHead is a valid scenario that the shapes add to.
const shapeHead = "name: shape\nsteps: 2\nreplications: 1\nregions:\n  - id: r\n    p: 0.01\n    cities:\n      - {id: c, firms: 10}\n"

// citiesFile is a valid scenario of n cities, ten to a region, written as
// some editors write them: a flow mapping a city.
func citiesFile(n int) string {
	var b strings.Builder
	b.WriteString("name: large\nsteps: 2\nreplications: 1\ndiffusion: {k: 2, q: 0.3}\nregions:\n")
	for i := range n {
		if i%10 == 0 {
			fmt.Fprintf(&b, "  - id: r%d\n    p: 0.001\n    cities:\n", i/10)
		}
		fmt.Fprintf(&b, "      - {id: c%d, labs: 1, firms: 1, research: 0.01}\n", i)
	}
	return b.String()
}

// keysFile is shapeHead with n unknown keys in the top-level mapping.
func keysFile(n int) string {
	var b strings.Builder
	b.WriteString(shapeHead)
	for i := range n {
		fmt.Fprintf(&b, "u%d: 1\n", i)
	}
	return b.String()
}

func costShapes() []costShape {
	flowList := func(n int) func() string {
		return func() string {
			return shapeHead + "sweep: {params: [{path: diffusion.q, values: [" + strings.TrimSuffix(strings.Repeat("0,", n), ",") + "]}]}\n"
		}
	}
	flowMap := func(n int) func() string {
		return func() string {
			var b strings.Builder
			b.WriteString(shapeHead + "diffusion: {")
			for i := range n {
				if i > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "a%d: 1", i)
			}
			b.WriteString("}\n")
			return b.String()
		}
	}
	policySet := func(n int) func() string {
		return func() string {
			var b strings.Builder
			b.WriteString(shapeHead + "policies:\n  - at: 1\n    name: many\n    set:\n")
			for i := range n {
				fmt.Fprintf(&b, "      regions.r.x%d: 1\n", i)
			}
			return b.String()
		}
	}
	return []costShape{
		// The shapes of issue 6, under the default caps.
		{name: "100,000 unknown keys", src: func() string { return keysFile(100_000) }, caps: DefaultCaps},
		{name: "900,000 unknown keys", src: func() string { return keysFile(900_000) }, caps: DefaultCaps},
		{name: "a flow list of 1.4 million numbers", src: flowList(1_400_000), caps: DefaultCaps},
		{name: "a flow map of 900,000 pairs", src: flowMap(900_000), caps: DefaultCaps},
		{name: "60,000 cities", src: func() string { return citiesFile(60_000) }, caps: DefaultCaps},
		{name: "20,000 cities", src: func() string { return citiesFile(20_000) }, caps: DefaultCaps},
		// The costliest files within each cap and limit.
		{name: "4,000 cities, within the token cap", src: func() string { return citiesFile(4_000) }, caps: DefaultCaps, valid: true},
		{name: "a scalar of a megabyte, within the byte cap", src: func() string {
			return shapeHead + "description: " + strings.Repeat("x", DefaultCaps.Bytes-len(shapeHead)-20) + "\n"
		}, caps: DefaultCaps, valid: true},
		{name: "a sweep of 50,000 values, within the token cap", src: flowList(DefaultCaps.Tokens/2 - 40), caps: DefaultCaps, valid: true},
		{name: "a flow map at the token cap", src: flowMap(DefaultCaps.Tokens/4 - 20), caps: DefaultCaps},
		{name: "a mapping at the key limit", src: func() string { return keysFile(maxBlockKeys - 10) }, caps: DefaultCaps},
		{name: "a mapping past the key limit, without caps", src: func() string { return keysFile(maxBlockKeys + 1) }, caps: NoCaps},
		{name: "a policy setting unknown paths at the key limit", src: policySet(maxBlockKeys - 10), caps: DefaultCaps},
	}
}

// TestReadingCostsAreBounded reads every shape, logs the time and memory
// it took (docs/SCENARIOS.md quotes them), and holds its memory and the
// size of its messages within bounds. The bound on memory is generous
// (the target is a hundred megabytes of resident memory, which the bytes
// allocated exceed); time is logged, not held, since a busy machine
// stretches it.
func TestReadingCostsAreBounded(t *testing.T) {
	for _, tc := range costShapes() {
		t.Run(tc.name, func(t *testing.T) {
			src := []byte(tc.src())
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := LoadCapped("shape.yaml", src, tc.caps)
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d bytes: %v, %d MB allocated: %.200v", len(src), took.Round(time.Millisecond), alloc>>20, err)
			if tc.valid {
				if err != nil {
					t.Fatalf("got %.500v, want the file to load", err)
				}
			} else {
				es, ok := err.(Errors)
				if !ok || len(es) == 0 {
					t.Fatalf("got %T %.500v, want Errors", err, err)
				}
				if msg := es.Error(); len(msg) > 20<<10 {
					t.Errorf("the message has %d bytes, want at most 20 KB", len(msg))
				}
				for _, e := range es[:min(len(es), MaxShown)] {
					if e.Line < 1 || e.Col < 1 {
						t.Errorf("got position %d:%d in %v, want both ≥ 1", e.Line, e.Col, e)
					}
					if s := e.Snippet(src); len(s) > 4*SnippetWidth+20 {
						t.Errorf("the snippet of %v has %d bytes, want at most %d", e, len(s), 4*SnippetWidth+20)
					}
				}
			}
			if alloc > 400<<20 {
				t.Errorf("allocated %d MB, want under 400 MB", alloc>>20)
			}
		})
	}
}
