package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// lockName is the lock file of an output folder. A process that writes
// to the folder (run, resume, a shard, merge, report) or reads a folder to
// record it (baseline) holds the lock; a second one exits 2 naming the
// holder, so that two runs never mix their files in one folder. The file
// is removed when the lock is released; a lock file left by a process
// that died holds no lock and is taken over.
const lockName = ".lock"

// errLocked means another process holds the lock of a folder.
var errLocked = errors.New("in use by another triad")

// folderLock is a held lock on a folder.
type folderLock struct {
	f    *os.File
	path string
}

// holder describes this process in the lock file.
func holder(command string) string {
	host, _ := os.Hostname()
	return fmt.Sprintf("pid %d\nhost %s\ncommand triad %s\nsince %s\n", os.Getpid(), host, command, time.Now().UTC().Format(time.RFC3339))
}

// holderFields reads the "key value" lines of a lock file.
func holderFields(text string) map[string]string {
	fields := map[string]string{}
	for line := range strings.Lines(text) {
		k, v, _ := strings.Cut(strings.TrimSpace(line), " ")
		fields[k] = v
	}
	return fields
}

// describeHolder turns the text of a lock file into "triad run (pid 12 on
// host a, since ...)".
func describeHolder(text string) string {
	f := holderFields(text)
	if f["pid"] == "" {
		return "another triad process (it has not said which yet)"
	}
	return fmt.Sprintf("%s (pid %s on host %s, since %s)", f["command"], f["pid"], f["host"], f["since"])
}

// shortHolder is "pid 12 on host a", for a table.
func shortHolder(text string) string {
	f := holderFields(text)
	if f["pid"] == "" {
		return "starting"
	}
	return fmt.Sprintf("pid %s on host %s", f["pid"], f["host"])
}

// lockFolder takes the lock of dir for command (the words after "triad",
// for the message another process shows). It fails at once, with an input
// error wrapping errLocked that names the holder, when another process
// holds it. A folder that does not exist needs no lock: it returns a nil
// lock (whose unlock does nothing) and leaves the caller to report it.
func lockFolder(dir, command string) (*folderLock, error) {
	if st, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) || (err == nil && !st.IsDir()) {
		return nil, nil
	}
	path := filepath.Join(dir, lockName)
	l, held, err := tryLock(path, holder(command))
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	if held != "" {
		return nil, &inputError{fmt.Errorf("%s is %w: %s; wait for it to finish or stop it, or choose another folder", dir, errLocked, describeHolder(held))}
	}
	return l, nil
}

// lockHeld reports whether a process holds the lock of dir, and the text
// of its lock file; it takes no lock itself for longer than a moment.
func lockHeld(dir string) (bool, string) {
	path := filepath.Join(dir, lockName)
	if _, err := os.Stat(path); err != nil {
		return false, ""
	}
	l, held, err := tryLock(path, holder("status"))
	if err != nil {
		return false, ""
	}
	if held != "" {
		return true, held
	}
	l.unlock()
	return false, ""
}
