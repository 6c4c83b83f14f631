package output

import (
	"fmt"
	"io"
)

// PrintCheckVerdict prints the notes about a check, one a line, and its
// verdict res: as JSON (WriteCheckJSON) on w with the notes on errw when
// asJSON, else as a table (PrintCheck) on w after the notes and a blank
// line. When quiet, a check that passed prints its JSON and nothing else.
func PrintCheckVerdict(w, errw io.Writer, notes []string, res CheckResult, asJSON, quiet bool) error {
	show := !quiet || res.Failed > 0
	notesTo := w
	if asJSON {
		notesTo = errw
	}
	if show {
		for _, n := range notes {
			fmt.Fprintln(notesTo, n)
		}
	}
	switch {
	case asJSON:
		return WriteCheckJSON(w, res)
	case !show:
		return nil
	}
	if len(notes) > 0 {
		fmt.Fprintln(w)
	}
	return PrintCheck(w, res)
}
