package runs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// LockName is the lock file of an output folder. A process that writes
// to the folder (run, resume, a shard, merge, report) or reads a folder to
// record it (baseline) holds the lock; a second one exits 2 naming the
// holder, so that two runs never mix their files in one folder. The file
// is removed when the lock is released; a lock file left by a process
// that died holds no lock and is taken over.
const LockName = ".lock"

// Lock is a held lock on a folder.
type Lock struct {
	f    *os.File
	path string
}

// Holder is who takes a lock, as its lock file tells another process: the
// command passes in its host name and the time, which this package never
// reads itself.
type Holder struct {
	// Command is the words after "triad" ("run small.yaml --out x").
	Command string
	Host    string
	Since   time.Time
}

// text is the lock file's content for h, held by this process.
func (h Holder) text() string {
	return fmt.Sprintf("pid %d\nhost %s\ncommand triad %s\nsince %s\n", os.Getpid(), h.Host, h.Command, h.Since.UTC().Format(time.RFC3339))
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

// ShortHolder turns the text of a lock file into "pid 12 on host a", for
// a table.
func ShortHolder(text string) string {
	f := holderFields(text)
	if f["pid"] == "" {
		return "starting"
	}
	return fmt.Sprintf("pid %s on host %s", f["pid"], f["host"])
}

// LockFolder takes the lock of dir for h. It fails at once, with an error
// wrapping ErrLocked that names the holder, when another process holds it.
// A folder that does not exist needs no lock: it returns a nil lock (whose
// Unlock does nothing) and leaves the caller to report it.
func LockFolder(dir string, h Holder) (*Lock, error) {
	if st, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) || (err == nil && !st.IsDir()) {
		return nil, nil
	}
	path := filepath.Join(dir, LockName)
	l, held, err := tryLock(path, h.text())
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	if held != "" {
		return nil, fmt.Errorf("%s is %w: %s; wait for it to finish or stop it, or choose another folder", dir, ErrLocked, describeHolder(held))
	}
	return l, nil
}

// notALock is the error of a lock file that is not a regular file (a
// link, a named pipe): triad never made it, and takes no lock through it.
func notALock(path string) error {
	return mark(fmt.Errorf("%s is not a regular file, so not a lock of triad's: remove it", path), ErrBadFile)
}

// lockHeld reports whether a process holds the lock of dir, and the text
// of its lock file; it takes no lock itself for longer than a moment, as
// probe.
func lockHeld(dir string, probe Holder) (bool, string) {
	path := filepath.Join(dir, LockName)
	if _, err := os.Stat(path); err != nil {
		return false, ""
	}
	l, held, err := tryLock(path, probe.text())
	if err != nil {
		return false, ""
	}
	if held != "" {
		return true, held
	}
	l.Unlock()
	return false, ""
}

// LockCommand is how a lock names the command line args (the words
// after "triad"): joined by spaces, cut after 200 bytes.
func LockCommand(args ...string) string {
	c := strings.Join(args, " ")
	if len(c) > 200 {
		c = c[:200] + "..."
	}
	return c
}
