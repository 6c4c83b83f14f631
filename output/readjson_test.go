package output

import (
	"bytes"
	"testing"

	"github.com/triad-sim/triad/output/internal/fixture"
)

// TestReadJSONWritesTheSameBytes reads every JSON file this package writes
// and writes what it read again: the bytes must not change, NaN (null)
// included.
func TestReadJSONWritesTheSameBytes(t *testing.T) {
	cfg, ps := sweepFixture("regions.acc.pull", "diffusion.q")
	c, err := Compare(fixture.CompareSets[RunSet](), nil)
	if err != nil {
		t.Fatal(err)
	}
	res := fixture.Result()
	s := Summarize(res.Regions, res.Runs)
	paths := cfg.SweepPaths()
	for _, tt := range []struct {
		name  string
		write func(*bytes.Buffer) error
		again func(*bytes.Buffer, *bytes.Buffer) error
	}{
		{"a run's summary",
			func(b *bytes.Buffer) error { return WriteSummaryJSON(b, s) },
			func(in, out *bytes.Buffer) error {
				f, err := ReadSummaryJSON(in)
				if err != nil || f.Sweep {
					t.Fatalf("got sweep %v, %v; want a run's summary", f.Sweep, err)
				}
				return WriteSummaryJSON(out, f.Summary)
			}},
		{"a sweep's summary",
			func(b *bytes.Buffer) error { return WriteSweepSummaryJSON(b, paths, ps) },
			func(in, out *bytes.Buffer) error {
				f, err := ReadSummaryJSON(in)
				if err != nil || !f.Sweep {
					t.Fatalf("got sweep %v, %v; want a sweep's summary", f.Sweep, err)
				}
				return WriteSweepSummaryJSON(out, f.Paths, f.Points)
			}},
		{"a comparison",
			func(b *bytes.Buffer) error { return WriteCompareJSON(b, c) },
			func(in, out *bytes.Buffer) error {
				got, err := ReadCompareJSON(in)
				if err != nil {
					t.Fatal(err)
				}
				return WriteCompareJSON(out, got)
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var first, second bytes.Buffer
			if err := tt.write(&first); err != nil {
				t.Fatal(err)
			}
			want := first.String()
			if err := tt.again(&first, &second); err != nil {
				t.Fatal(err)
			}
			if second.String() != want {
				t.Errorf("read and written again:\n%s\nwant\n%s", second.String(), want)
			}
		})
	}
}
