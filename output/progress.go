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
	quiet   bool
	silent  bool
	printed bool
}

// ProgressDelay is how long a run goes before progress is shown.
const ProgressDelay = 2 * time.Second

// NewProgress reports to w, a terminal when tty is set, on total runs of
// which done are finished already (see Begin), on the clock now; it says
// nothing when quiet.
func NewProgress(w io.Writer, tty bool, now func() time.Time, total, done int, quiet bool) *Progress {
	p := &Progress{w: w, tty: tty, now: now, quiet: quiet}
	p.Begin(total, done)
	return p
}

// Begin starts the report over, from now on, on total runs of which done
// are finished already; it says nothing for fewer than two runs.
func (p *Progress) Begin(total, done int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total, p.n, p.last, p.start, p.silent = total, done, done*10/max(total, 1), p.now(), p.quiet || total < 2
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
