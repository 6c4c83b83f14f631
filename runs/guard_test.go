//go:build unix

package runs

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReadFileReadsOnlyRegularFiles gives ReadFile every kind of thing
// that can sit at a path: a regular file and a link to one are read; a
// folder, a named pipe, a device and an oversize file are refused at once
// with ErrBadFile, naming the path, the kind and the cap; a missing file is
// fs.ErrNotExist.
func TestReadFileReadsOnlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	if err := os.WriteFile(at("plain"), []byte("twelve bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(at("plain"), at("link")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(at("fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", at("zero")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(at("folder"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"plain", "link"} {
		if b, err := ReadFile(at(name), "a test file", 12); err != nil || string(b) != "twelve bytes" {
			t.Errorf("%s: got %q, %v; want its twelve bytes", name, b, err)
		}
	}
	for _, c := range []struct {
		name, want string
		max        int64
	}{
		{"fifo", "is a named pipe, not a test file", 100},
		{"zero", "is a device, not a test file", 100},
		{"folder", "is a folder, not a test file", 100},
		{"plain", "has 12 bytes, more than 11 bytes, the cap on a test file", 11},
	} {
		done := make(chan error, 1)
		go func() {
			_, err := ReadFile(at(c.name), "a test file", c.max)
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, ErrBadFile) || !strings.Contains(err.Error(), at(c.name)+" "+c.want) {
				t.Errorf("%s: got %v, want ErrBadFile saying %q", c.name, err, c.want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: ReadFile has not returned after 5 s", c.name)
		}
	}
	if _, err := ReadFile(at("none"), "a test file", 100); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: got %v, want fs.ErrNotExist", err)
	}
	if _, err := HashFile(at("fifo")); !errors.Is(err, ErrBadFile) {
		t.Errorf("HashFile of a named pipe: got %v, want ErrBadFile", err)
	}
}

// TestLockRefusesAForeignLockFile puts a link and a named pipe where the
// lock of a folder goes: LockFolder refuses both with ErrBadFile instead
// of writing through the link or waiting on the pipe, and the file the
// link points to is left as it was.
func TestLockRefusesAForeignLockFile(t *testing.T) {
	for _, kind := range []string{"link", "fifo"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			target := filepath.Join(t.TempDir(), "precious")
			if err := os.WriteFile(target, []byte("mine"), 0o644); err != nil {
				t.Fatal(err)
			}
			lock := filepath.Join(dir, LockName)
			var err error
			if kind == "link" {
				err = os.Symlink(target, lock)
			} else {
				err = syscall.Mkfifo(lock, 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
			lk, err := LockFolder(dir, Holder{Command: "test"})
			if !errors.Is(err, ErrBadFile) {
				lk.Unlock()
				t.Errorf("got %v, want ErrBadFile", err)
			}
			if b, _ := os.ReadFile(target); !bytes.Equal(b, []byte("mine")) {
				t.Errorf("the file the link points to now holds %q", b)
			}
		})
	}
}
