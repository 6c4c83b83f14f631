package runs

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// TestReadSensitivity checks that a folder's sensitivity.json reads back
// as written, that a folder without one gives nil and no error, and that
// a damaged one is an error.
func TestReadSensitivity(t *testing.T) {
	cfg := toy(t)
	dir := t.TempDir()
	if r, err := ReadSensitivity(dir, &cfg); r != nil || err != nil {
		t.Errorf("a folder without an analysis: %+v, %v; want nil and no error", r, err)
	}
	want := output.SensitivityResult{Method: sim.DesignSobol, Samples: 3, Replicates: 2,
		Params: []output.SensitivityParam{{Path: "diffusion.q", Low: 0.2, High: 0.5}},
		Rows:   []output.SensitivityRow{{Metric: sim.MetricFinalAdoption, Param: "diffusion.q", Index: output.IndexST, Estimate: output.Estimate{Value: 0.5, CILow: 0.25, CIHigh: 0.75}}}}
	var b bytes.Buffer
	if err := output.WriteSensitivityJSON(&b, want); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, SensitivityName), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSensitivity(dir, &cfg)
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := output.WriteSensitivityJSON(&again, *got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), b.Bytes()) || !reflect.DeepEqual(got.Params, want.Params) {
		t.Errorf("read back:\n%s\nwant\n%s", again.Bytes(), b.Bytes())
	}
	if err := os.WriteFile(filepath.Join(dir, SensitivityName), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r, err := ReadSensitivity(dir, &cfg); err == nil {
		t.Errorf("a damaged analysis reads as %+v, want an error", r)
	}
}

// TestWriteDrivers checks that a folder's drivers are written as
// output.WriteDrivers writes its sensitivity analysis, naming the folder's
// table of indices, that a folder without an analysis writes nothing, and
// that a damaged one is an error.
func TestWriteDrivers(t *testing.T) {
	cfg := toy(t)
	dir := t.TempDir()
	var none bytes.Buffer
	if err := WriteDrivers(&none, dir, &cfg); err != nil || none.Len() > 0 {
		t.Errorf("a folder without an analysis: wrote %q, %v; want nothing and no error", none.String(), err)
	}
	r := output.SensitivityResult{Method: sim.DesignSobol, Samples: 3, Replicates: 2,
		Params: []output.SensitivityParam{{Path: "diffusion.q", Low: 0.2, High: 0.5}},
		Rows:   []output.SensitivityRow{{Metric: sim.MetricFinalAdoption, Param: "diffusion.q", Index: output.IndexST, Estimate: output.Estimate{Value: 0.5, CILow: 0.25, CIHigh: 0.75}}}}
	var b bytes.Buffer
	if err := output.WriteSensitivityJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, SensitivityName), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var got, want bytes.Buffer
	if err := WriteDrivers(&got, dir, &cfg); err != nil {
		t.Fatal(err)
	}
	if err := output.WriteDrivers(&want, r, &cfg, filepath.Join(dir, SensitivityCSVName)); err != nil {
		t.Fatal(err)
	}
	if got.Len() == 0 || got.String() != want.String() || !bytes.Contains(got.Bytes(), []byte(filepath.Join(dir, SensitivityCSVName))) {
		t.Errorf("wrote\n%s\nwant\n%s", got.String(), want.String())
	}
	if err := os.WriteFile(filepath.Join(dir, SensitivityName), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteDrivers(io.Discard, dir, &cfg); err == nil {
		t.Error("a damaged analysis: got no error")
	}
}
