package main

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// progress reports finished runs on stderr once the work has taken more
// than a couple of seconds: a line that redraws itself on a terminal, a
// line per 10 % otherwise.
type progress struct {
	mu      sync.Mutex
	e       *env
	total   int
	n       int
	last    int
	start   time.Time
	silent  bool
	printed bool
}

// progressDelay is how long a run goes before progress is shown.
const progressDelay = 2 * time.Second

func newProgress(e *env, total, done int, quiet bool) *progress {
	return &progress{e: e, total: total, n: done, last: done * 10 / max(total, 1), start: time.Now(), silent: quiet || total < 2}
}

func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	el := time.Since(p.start)
	if p.silent || el < progressDelay {
		return
	}
	eta := time.Duration(float64(el) / float64(p.n) * float64(p.total-p.n))
	line := fmt.Sprintf("runs %d/%d  elapsed %s  eta %s", p.n, p.total, el.Round(time.Second), eta.Round(time.Second))
	if p.e.stderrTTY {
		fmt.Fprintf(p.e.stderr, "\r%s %-60s", bar(p.n, p.total), line)
		p.printed = true
		return
	}
	if tenth := p.n * 10 / p.total; tenth > p.last || p.n == p.total {
		p.last = tenth
		fmt.Fprintln(p.e.stderr, line)
	}
}

// bar draws a 20-character progress bar.
func bar(n, total int) string {
	full := 20 * n / max(total, 1)
	return "[" + strings.Repeat("#", full) + strings.Repeat(".", 20-full) + "]"
}

func (p *progress) finish() {
	if p.printed {
		fmt.Fprintln(p.e.stderr)
	}
}
