package output

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Progress reports finished runs once the work has taken more than a
// couple of seconds (ProgressDelay): a line that redraws itself on a
// terminal, a line per 10 % otherwise. Its clock is its caller's.
type Progress struct {
	mu      sync.Mutex
	w       io.Writer
	tty     bool
	now     func() time.Time
	total   int
	n       int
	last    int
	start   time.Time
	silent  bool
	printed bool
}

// ProgressDelay is how long a run goes before progress is shown.
const ProgressDelay = 2 * time.Second

// NewProgress reports to w, a terminal when tty is set, on total runs of
// which done are finished already, timed from now() on; it says nothing
// when quiet or for fewer than two runs.
func NewProgress(w io.Writer, tty bool, now func() time.Time, total, done int, quiet bool) *Progress {
	return &Progress{w: w, tty: tty, now: now, total: total, n: done, last: done * 10 / max(total, 1), start: now(), silent: quiet || total < 2}
}

// Done counts one more finished run, and reports.
func (p *Progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	el := p.now().Sub(p.start)
	if p.silent || el < ProgressDelay {
		return
	}
	eta := time.Duration(float64(el) / float64(p.n) * float64(p.total-p.n))
	line := fmt.Sprintf("runs %d/%d  elapsed %s  eta %s", p.n, p.total, el.Round(time.Second), eta.Round(time.Second))
	if p.tty {
		fmt.Fprintf(p.w, "\r%s %-60s", bar(p.n, p.total), line)
		p.printed = true
		return
	}
	if tenth := p.n * 10 / p.total; tenth > p.last || p.n == p.total {
		p.last = tenth
		fmt.Fprintln(p.w, line)
	}
}

// bar draws a 20-character progress bar.
func bar(n, total int) string {
	full := 20 * n / max(total, 1)
	return "[" + strings.Repeat("#", full) + strings.Repeat(".", 20-full) + "]"
}

// Finish ends the line that a terminal's report redraws, if any.
func (p *Progress) Finish() {
	if p.printed {
		fmt.Fprintln(p.w)
	}
}
