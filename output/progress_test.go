package output

import (
	"bytes"
	"testing"
	"time"
)

// TestProgress checks what Progress reports on a clock the test moves:
// nothing while the runs take less than ProgressDelay, when quiet or for
// a single run; a line per tenth of the runs otherwise, counted from the
// runs a resumed folder held already; a bar that redraws itself on a
// terminal, ended by Finish.
func TestProgress(t *testing.T) {
	const sec = time.Second
	tests := []struct {
		name        string
		tty, quiet  bool
		total, done int
		// after[i] is how long after the start run i+1 (of those Done
		// counts) finishes.
		after []time.Duration
		want  string
	}{
		{"fast runs say nothing", false, false, 4, 0, []time.Duration{0, sec, sec, sec}, ""},
		{"quiet says nothing", false, true, 2, 0, []time.Duration{3 * sec, 4 * sec}, ""},
		{"a single run says nothing", false, false, 1, 0, []time.Duration{5 * sec}, ""},
		{"a line per tenth", false, false, 4, 0, []time.Duration{sec, 3 * sec, 4 * sec, 8 * sec},
			"runs 2/4  elapsed 3s  eta 3s\nruns 3/4  elapsed 4s  eta 1s\nruns 4/4  elapsed 8s  eta 0s\n"},
		{"a line per tenth of many runs", false, false, 20, 0, []time.Duration{3 * sec, 3 * sec, 3 * sec, 3 * sec},
			"runs 2/20  elapsed 3s  eta 27s\nruns 4/20  elapsed 3s  eta 12s\n"},
		{"resumed: counted from the runs kept", false, false, 10, 5, []time.Duration{3 * sec, 4 * sec},
			"runs 6/10  elapsed 3s  eta 2s\nruns 7/10  elapsed 4s  eta 2s\n"},
		{"a bar on a terminal", true, false, 2, 0, []time.Duration{2 * sec, 4 * sec},
			"\r[##########..........] runs 1/2  elapsed 2s  eta 2s" + pad(32) +
				"\r[####################] runs 2/2  elapsed 4s  eta 0s" + pad(32) + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
			now := start
			var b bytes.Buffer
			p := NewProgress(&b, tt.tty, func() time.Time { return now }, tt.total, tt.done, tt.quiet)
			for _, d := range tt.after {
				now = start.Add(d)
				p.Done()
			}
			p.Finish()
			if got := b.String(); got != tt.want {
				t.Errorf("progress wrote\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// pad is n spaces, as the bar's line is padded to 60 characters.
func pad(n int) string { return string(bytes.Repeat([]byte{' '}, n)) }

// TestProgressBegin checks a Progress made before the number of runs is
// known: it says nothing until Begin, and times the runs from Begin on.
func TestProgressBegin(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	now := start
	var b bytes.Buffer
	p := NewProgress(&b, false, func() time.Time { return now }, 0, 0, false)
	now = start.Add(10 * time.Second)
	p.Done()
	p.Begin(4, 1)
	for _, d := range []time.Duration{11, 13, 14} {
		now = start.Add(d * time.Second)
		p.Done()
	}
	p.Finish()
	want := "runs 3/4  elapsed 3s  eta 1s\nruns 4/4  elapsed 4s  eta 0s\n"
	if got := b.String(); got != want {
		t.Errorf("progress wrote\n%q\nwant\n%q", got, want)
	}
}
