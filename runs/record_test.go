package runs

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
)

type testRecord struct {
	Key     string
	Figures []float64
}

// TestRecordKeepsBits: a record read back holds the bits written (NaN
// too); a missing one is not there; a damaged one, one of another kind
// and one cut short are refused, naming the file.
func TestRecordKeepsBits(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.bin")
	want := testRecord{"1,2/3", []float64{0.1, math.NaN(), math.Inf(-1)}}
	if ok, err := ReadRecord(path, "triad test\n", 1<<10, new(testRecord)); ok || err != nil {
		t.Fatalf("a missing record: %v, %v; want not there", ok, err)
	}
	if err := WriteRecord(path, "triad test\n", want); err != nil {
		t.Fatal(err)
	}
	var got testRecord
	if ok, err := ReadRecord(path, "triad test\n", 1<<10, &got); !ok || err != nil {
		t.Fatalf("ReadRecord: %v, %v", ok, err)
	}
	if got.Key != want.Key || len(got.Figures) != len(want.Figures) {
		t.Fatalf("read %+v, want %+v", got, want)
	}
	for i := range want.Figures {
		if math.Float64bits(got.Figures[i]) != math.Float64bits(want.Figures[i]) {
			t.Errorf("figure %d: %v, want %v to the bit", i, got.Figures[i], want.Figures[i])
		}
	}
	good, _ := os.ReadFile(path)
	for name, b := range map[string][]byte{
		"damaged":      append(append([]byte{}, good[:20]...), append([]byte{good[20] ^ 1}, good[21:]...)...),
		"another kind": append([]byte("triad other\n"), good[len("triad test\n"):]...),
		"cut short":    good[:len(good)-3],
	} {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if ok, err := ReadRecord(path, "triad test\n", 1<<10, new(testRecord)); ok || !errors.Is(err, ErrBadFile) {
			t.Errorf("%s: %v, %v; want ErrBadFile", name, ok, err)
		}
	}
}
