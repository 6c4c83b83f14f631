//go:build unix

package runs

import (
	"errors"
	"io"
	"os"
	"syscall"
)

// tryLock takes an exclusive flock on the file at path, creating it, and
// writes who holds it. When another process holds it, it returns what
// that process wrote instead. The kernel releases a flock when its holder
// dies, so a lock is never stale.
func tryLock(path, who string) (l *Lock, held string, err error) {
	for {
		// Never through a link, and never waiting for a writer: a lock
		// file that is a link or a named pipe is not triad's.
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o644)
		if errors.Is(err, syscall.ELOOP) {
			return nil, "", notALock(path)
		}
		if err != nil {
			return nil, "", err
		}
		if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
			f.Close()
			return nil, "", notALock(path)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			b, _ := io.ReadAll(io.LimitReader(f, 4096))
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, string(b) + "\n", nil
			}
			return nil, "", err
		}
		// The holder before us may have removed the file between our open
		// and our flock: then we hold a lock on a file no one else sees.
		fi, err1 := f.Stat()
		pi, err2 := os.Stat(path)
		if err1 != nil || err2 != nil || !os.SameFile(fi, pi) {
			f.Close()
			continue
		}
		if err := f.Truncate(0); err != nil {
			f.Close()
			return nil, "", err
		}
		if _, err := f.WriteAt([]byte(who), 0); err != nil {
			f.Close()
			return nil, "", err
		}
		return &Lock{f: f, path: path}, "", nil
	}
}

// Unlock removes the lock file and releases the lock, in that order, so
// that no one takes a lock on a file that is about to go.
func (l *Lock) Unlock() {
	if l == nil || l.f == nil {
		return
	}
	os.Remove(l.path)
	l.f.Close()
	l.f = nil
}
