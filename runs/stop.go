package runs

import (
	"errors"
	"fmt"
	"syscall"
)

// Stop is what the folder of a run that stopped before its end keeps, as
// an error of Folder.Run tells it (a *StoppedError or an *AssembleError),
// for the command to say how to finish it.
type Stop struct {
	Dir string
	// Saved of Total runs are kept. Assembled is set when every run was
	// saved and the assembly of the outputs failed.
	Saved, Total int
	Assembled    bool
	// Err is what stopped the run: the first error saving a run when Save
	// is set, the assembly's when Assembled is. DiskFull is set when it
	// says that the disk is full.
	Err            error
	Save, DiskFull bool
}

// StopOf returns what the folder of the run that err stopped keeps; ok is
// false unless err is a *StoppedError or an *AssembleError.
func StopOf(err error) (s Stop, ok bool) {
	if se, ok := errors.AsType[*StoppedError](err); ok {
		s = Stop{Dir: se.Dir, Saved: se.Saved, Total: se.Total, Err: se.Unwrap(), Save: se.Save != nil}
	} else if ae, ok := errors.AsType[*AssembleError](err); ok {
		s = Stop{Dir: ae.Dir, Assembled: true, Err: ae.Err}
	} else {
		return Stop{}, false
	}
	s.DiskFull = errors.Is(s.Err, syscall.ENOSPC)
	return s, true
}

// Kept says what the folder keeps, and where: "3 of 8 runs are kept in
// out/x", or, once every run was saved, "every run is kept in out/x".
func (s Stop) Kept() string {
	if s.Assembled {
		return "every run is kept in " + s.Dir
	}
	return fmt.Sprintf("%d of %d runs are kept in %s", s.Saved, s.Total, s.Dir)
}
