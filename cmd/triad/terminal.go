package main

import (
	"io"
	"os"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/triad-sim/triad/scenarios"
)

// isTerminal reports whether w is a terminal. It asks the terminal driver
// (golang.org/x/term) rather than checking for a character device, which
// /dev/null also is: a run with its output sent to /dev/null must not draw
// a progress bar.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// printableWriter escapes control characters other than newline and tab
// (see scenarios.Printable) in what is written through it. A character
// that one write cuts is held until the next completes it.
type printableWriter struct {
	w    io.Writer
	rest []byte // the start of a character cut at the end of a write
}

func (p *printableWriter) Write(b []byte) (int, error) {
	buf := append(p.rest, b...)
	cut := len(buf)
	for i := len(buf) - 1; i >= 0 && i >= len(buf)-utf8.UTFMax; i-- {
		if utf8.RuneStart(buf[i]) {
			if !utf8.FullRune(buf[i:]) {
				cut = i
			}
			break
		}
	}
	p.rest = append([]byte(nil), buf[cut:]...)
	if _, err := io.WriteString(p.w, scenarios.Printable(string(buf[:cut]))); err != nil {
		return 0, err
	}
	return len(b), nil
}

// flush writes what a cut character left held, escaped.
func (p *printableWriter) flush() {
	if len(p.rest) > 0 {
		io.WriteString(p.w, scenarios.Printable(string(p.rest)))
		p.rest = nil
	}
}
