package runs

import (
	"bytes"
	"encoding/gob"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/triad-sim/triad/sim"
)

// TestRunFileBytesDoNotDependOnTheProcess writes the same run in two fresh
// processes (this test binary, run again), one of which gob-encodes types
// of its own first, as a process that wrote a fit or an optimization before
// a sweep does: the two run files must be the same bytes. Before the types
// of run files were numbered at init, the second file differed.
func TestRunFileBytesDoNotDependOnTheProcess(t *testing.T) {
	dir := t.TempDir()
	write := func(name, foreign string) []byte {
		path := filepath.Join(dir, name)
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriteRun$", "-test.count=1")
		cmd.Env = append(os.Environ(), "RUNS_TEST_WRITE_RUN="+path, "RUNS_TEST_FOREIGN="+foreign)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	plain, after := write("plain.run", ""), write("after.run", "1")
	if !bytes.Equal(plain, after) {
		t.Errorf("a run file written after other gob types differs from one written first (%d and %d bytes)", len(after), len(plain))
	}
}

// TestHelperWriteRun is the process of TestRunFileBytesDoNotDependOnTheProcess:
// it does nothing unless RUNS_TEST_WRITE_RUN names the file to write.
func TestHelperWriteRun(t *testing.T) {
	path := os.Getenv("RUNS_TEST_WRITE_RUN")
	if path == "" {
		t.Skip("run by TestRunFileBytesDoNotDependOnTheProcess")
	}
	if os.Getenv("RUNS_TEST_FOREIGN") != "" {
		type other struct {
			A []string
			B map[string]float64
		}
		if err := gob.NewEncoder(io.Discard).Encode(other{A: []string{"x"}}); err != nil {
			t.Fatal(err)
		}
	}
	run := &sim.RunResult{Point: 1, Replicate: 2, Seed: 3, Rows: []sim.Row{{Step: 0, Region: 1, Discovered: 3}}, Lags: []int{4}, T50: []float64{7.5}}
	var b bytes.Buffer
	if err := WriteRun(&b, "s", run); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
