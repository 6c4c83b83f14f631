package runs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"testing"
)

// TestStopOf checks what StopOf reads from the errors of Folder.Run: the
// runs kept, what stopped them and whether the disk is full.
func TestStopOf(t *testing.T) {
	full := fmt.Errorf("write out/x/runs/a.run: %w", syscall.ENOSPC)
	for _, tc := range []struct {
		name                          string
		err                           error
		ok, save, assembled, diskFull bool
		cause                         error
		kept                          string
	}{
		{"the disk filled while saving", fmt.Errorf("run: %w", &StoppedError{Dir: "out/x", Saved: 3, Total: 8, Save: full, Err: context.Canceled}),
			true, true, false, true, full, "3 of 8 runs are kept in out/x"},
		{"a save failed otherwise", &StoppedError{Dir: "out/x", Saved: 3, Total: 8, Save: fs.ErrPermission},
			true, true, false, false, fs.ErrPermission, "3 of 8 runs are kept in out/x"},
		{"interrupted", &StoppedError{Dir: "out/x", Saved: 0, Total: 8, Err: context.Canceled},
			true, false, false, false, context.Canceled, "0 of 8 runs are kept in out/x"},
		{"the assembly filled the disk", &AssembleError{Dir: "out/x", Err: full},
			true, false, true, true, full, "every run is kept in out/x"},
		{"the assembly failed otherwise", &AssembleError{Dir: "out/x", Err: fs.ErrPermission},
			true, false, true, false, fs.ErrPermission, "every run is kept in out/x"},
		{"another error", fs.ErrNotExist, false, false, false, false, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ok := StopOf(tc.err)
			if ok != tc.ok || s.Save != tc.save || s.Assembled != tc.assembled || s.DiskFull != tc.diskFull || !errors.Is(s.Err, tc.cause) || (tc.cause == nil) != (s.Err == nil) {
				t.Errorf("StopOf gave %+v, %v; want ok %v, save %v, assembled %v, disk full %v, err %v", s, ok, tc.ok, tc.save, tc.assembled, tc.diskFull, tc.cause)
			}
			if ok && s.Kept() != tc.kept {
				t.Errorf("Kept() = %q, want %q", s.Kept(), tc.kept)
			}
		})
	}
}
