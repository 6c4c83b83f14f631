//go:build !unix

package runs

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
)

// tryLock creates the lock file at path exclusively and writes who holds
// it. When the file exists, it returns what its holder wrote, unless that
// holder was a process of this host that no longer runs: then the lock is
// stale and is taken over.
func tryLock(path, who string) (l *Lock, held string, err error) {
	for range 2 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			if _, err := f.WriteString(who); err != nil {
				f.Close()
				os.Remove(path)
				return nil, "", err
			}
			return &Lock{f: f, path: path}, "", nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, "", err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, "", err
		}
		if !stale(string(b), holderFields(who)["host"]) {
			return nil, string(b) + "\n", nil
		}
		os.Remove(path)
	}
	return nil, "", errors.New("the lock file keeps coming back")
}

// stale reports whether the holder a lock file names was a process of
// host, this process's, that has ended.
func stale(text, host string) bool {
	fields := holderFields(text)
	pid, err := strconv.Atoi(fields["pid"])
	if err != nil || fields["host"] != host {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return true
	}
	p.Release()
	return false
}

// Unlock closes and removes the lock file.
func (l *Lock) Unlock() {
	if l == nil || l.f == nil {
		return
	}
	l.f.Close()
	os.Remove(l.path)
	l.f = nil
}
