package output

import (
	"bytes"
	"math"
	"reflect"
	"testing"

	"triad/sim"
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
	if err := WriteRun(&buf, run); err != nil {
		t.Fatal(err)
	}
	got, err := ReadRun(&buf)
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
	if _, err := ReadRun(bytes.NewReader([]byte("not a run"))); err == nil {
		t.Error("got no error for garbage")
	}
}
