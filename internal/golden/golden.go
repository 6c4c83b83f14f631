// Package golden compares what a test made with a golden file, or rewrites
// the file instead when the test binary runs with -update (make golden
// passes it to the packages that have goldens). Only tests import it; its
// diffs are reviewed like code.
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files with what the tests make, instead of comparing")

// maxShown is the length in lines up to which a failed check shows what
// the test made and the golden file whole.
const maxShown = 40

// Update reports whether the test binary runs with -update.
func Update() bool { return *update }

// Check compares got with the golden file at path and reports a
// difference as an error of t that names the file, the first line that
// differs, and hint (what to run to accept a change made on purpose).
// Under -update it writes got to path instead. It reports whether got
// matched (or was written).
func Check(t testing.TB, path string, got []byte, hint string) bool {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return true
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (%s)", err, hint)
	}
	if bytes.Equal(got, want) {
		return true
	}
	msg := fmt.Sprintf("%s differs from what the test made (%s): %s", path, hint, firstDifference(got, want))
	if bytes.Count(got, []byte("\n")) <= maxShown {
		msg += fmt.Sprintf("\ngot:\n%s\nwant:\n%s", got, want)
	}
	t.Errorf("%s", msg)
	return false
}

// firstDifference names the first line at which got and want differ.
func firstDifference(got, want []byte) string {
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(gl), len(wl)) {
		if gl[i] != wl[i] {
			return fmt.Sprintf("line %d is %q, want %q", i+1, gl[i], wl[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(gl), len(wl))
}
