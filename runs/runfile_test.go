package runs

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/triad-sim/triad/sim"
)

func TestRunFileRoundTrip(t *testing.T) {
	run := &sim.RunResult{
		Point: 2, Replicate: 5, Seed: 1<<63 + 7,
		Rows:      []sim.Row{{Step: 0, Region: 1, Discovered: 3, AdoptionShare: 0.1 + 0.2}, {Step: 1, Region: 0, Reached50: 2}},
		Transfer:  [][]int{{1, 2}, {0, 3}},
		Lags:      []int{4, 0, 9},
		T50:       []float64{math.NaN(), 12.5},
		Reached50: []float64{0, 1.0 / 3},
		Trials:    123456789,
	}
	var buf bytes.Buffer
	if err := WriteRun(&buf, "abc", run); err != nil {
		t.Fatal(err)
	}
	got, err := ReadRun(&buf, RunHeader{Scenario: "abc", Point: 2, Replicate: 5, Seed: 1<<63 + 7})
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(got.T50[0]) {
		t.Errorf("got t50 %v, want NaN kept", got.T50[0])
	}
	got.T50[0], run.T50[0] = 0, 0
	if !reflect.DeepEqual(got, run) {
		t.Errorf("got %+v, want %+v", got, run)
	}
}

func TestReadRunRejectsGarbage(t *testing.T) {
	if _, err := ReadRun(bytes.NewReader([]byte("not a run")), RunHeader{}); !errors.Is(err, ErrRunCorrupt) {
		t.Errorf("got %v, want ErrRunCorrupt", err)
	}
}

// TestReadRunRefusesDamagedAndForeignFiles flips every bit of a run file
// once, truncates it at every length, and reads it as another run: each
// is refused with the matching error, never accepted or a panic.
func TestReadRunRefusesDamagedAndForeignFiles(t *testing.T) {
	run := &sim.RunResult{Point: 1, Replicate: 2, Seed: 99, Rows: []sim.Row{{Step: 0, AdoptionShare: 0.5}}, Transfer: [][]int{{1}}, T50: []float64{3}, Reached50: []float64{1}}
	want := RunHeader{Scenario: "s1", Point: 1, Replicate: 2, Seed: 99}
	var buf bytes.Buffer
	if err := WriteRun(&buf, "s1", run); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	for i := range len(good) * 8 {
		b := bytes.Clone(good)
		b[i/8] ^= 1 << (i % 8)
		if _, err := ReadRun(bytes.NewReader(b), want); !errors.Is(err, ErrRunCorrupt) {
			t.Fatalf("bit %d flipped: got %v, want ErrRunCorrupt", i, err)
		}
	}
	for n := range len(good) {
		if _, err := ReadRun(bytes.NewReader(good[:n]), want); !errors.Is(err, ErrRunCorrupt) {
			t.Fatalf("truncated to %d bytes: got %v, want ErrRunCorrupt", n, err)
		}
	}
	for _, other := range []RunHeader{
		{Scenario: "s2", Point: 1, Replicate: 2, Seed: 99},
		{Scenario: "s1", Point: 1, Replicate: 3, Seed: 99},
		{Scenario: "s1", Point: 1, Replicate: 2, Seed: 98},
	} {
		if _, err := ReadRun(bytes.NewReader(good), other); !errors.Is(err, ErrRunForeign) {
			t.Errorf("read as %+v: got %v, want ErrRunForeign", other, err)
		}
	}
}
