package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that keeps the errors a check reports.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, format)
}

func (r *recorder) Helper() {}

// TestCheckNamesTheFirstDifference checks that a golden file equal to
// what the test made passes and one that differs fails, naming the
// first line that differs.
func TestCheckNamesTheFirstDifference(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.golden")
	if err := os.WriteFile(path, []byte("a\nb\nc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, got, diff string
	}{
		{"equal", "a\nb\nc\n", ""},
		{"second line differs", "a\nB\nc\n", `line 2 is "B", want "b"`},
		{"one line more", "a\nb\nc\nd\n", `line 4 is "d", want ""`},
		{"one line less", "a\nb", "got 2 lines, want 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &recorder{TB: t}
			ok := Check(r, path, []byte(tt.got), "run go test -update")
			if ok != (tt.diff == "") || len(r.errs) > 0 != !ok {
				t.Fatalf("Check returned %v with %d errors", ok, len(r.errs))
			}
			if d := firstDifference([]byte(tt.got), []byte("a\nb\nc\n")); tt.diff != "" && !strings.Contains(d, tt.diff) {
				t.Errorf("got %q, want %q", d, tt.diff)
			}
		})
	}
}
