package scenarios

import (
	"io"
	"unicode/utf8"
)

// PrintableWriter writes through to W what is written to it, with its
// control characters escaped (see Printable), so that names and values
// echoed from files and arguments cannot drive a terminal. A character
// that one write cuts is held until the next completes it; Flush writes
// what is held.
type PrintableWriter struct {
	W    io.Writer
	rest []byte // the start of a character cut at the end of a write
}

func (p *PrintableWriter) Write(b []byte) (int, error) {
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
	if _, err := io.WriteString(p.W, Printable(string(buf[:cut]))); err != nil {
		return 0, err
	}
	return len(b), nil
}

// Flush writes what a cut character left held, escaped.
func (p *PrintableWriter) Flush() error {
	if len(p.rest) == 0 {
		return nil
	}
	_, err := io.WriteString(p.W, Printable(string(p.rest)))
	p.rest = nil
	return err
}
