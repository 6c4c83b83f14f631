package main

import (
	"os"
	"strings"
	"time"

	"github.com/triad-sim/triad/runs"
)

// holderFor is this process as the lock file of a folder names it, for
// command (the words after "triad").
func holderFor(command string) runs.Holder {
	host, _ := os.Hostname()
	return runs.Holder{Command: command, Host: host, Since: time.Now()}
}

// lockFolder takes the lock of dir for command (see runs.LockFolder).
func lockFolder(dir, command string) (*runs.Lock, error) {
	return runs.LockFolder(dir, holderFor(command))
}

// lockCommand is how a lock file names the command that holds it: the
// command and its arguments, shortened.
func lockCommand(name string, args []string) string {
	c := strings.Join(append([]string{name}, args...), " ")
	if len(c) > 200 {
		c = c[:200] + "..."
	}
	return c
}

// homeDir is the user's home folder, which runs never replaces ("" when
// it cannot be told).
func homeDir() string {
	home, _ := os.UserHomeDir()
	return home
}

// prepareOut makes sure dir can take a new run (see runs.Prepare).
func prepareOut(dir string, force bool) error { return runs.Prepare(dir, homeDir(), force) }

// invocation is this triad and its command line, as a manifest records
// them.
func (e *env) invocation() runs.Invocation {
	host, _ := os.Hostname()
	return runs.Invocation{Version: version, Platform: platform(), Command: append([]string{"triad"}, e.args...), Host: host}
}

// clock times work from now on, for a manifest.
func clock() runs.Timing { return runs.Timing{Start: time.Now(), Now: time.Now} }
