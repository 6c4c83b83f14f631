package main

import (
	"os"

	"golang.org/x/term"
)

// isTerminal reports whether w is a terminal. It asks the terminal driver
// (golang.org/x/term) rather than checking for a character device, which
// /dev/null also is: a run with its output sent to /dev/null must not draw
// a progress bar.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
