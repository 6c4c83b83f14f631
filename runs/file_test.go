package runs

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// entries returns the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// holdsOnly checks that the file at path holds want and that its folder
// holds nothing else (no temporary file left behind).
func holdsOnly(t *testing.T, path, want string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(b); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := entries(t, filepath.Dir(path)); len(got) != 1 {
		t.Errorf("got directory %q, want only %s", got, filepath.Base(path))
	}
}

func TestWriteFileAtomic(t *testing.T) {
	write := func(s string) func(io.Writer) error {
		return func(w io.Writer) error {
			_, err := io.WriteString(w, s)
			return err
		}
	}
	for _, tc := range []struct {
		name string
		old  string // the file's contents before, "" for no file
	}{
		{"a new file is created", ""},
		{"an existing file is replaced", "old contents that are longer\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "a.csv")
			if tc.old != "" {
				if err := os.WriteFile(path, []byte(tc.old), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := WriteFileAtomic(path, write("new\n")); err != nil {
				t.Fatal(err)
			}
			holdsOnly(t, path, "new\n")
		})
	}
	t.Run("an error leaves the old file and no temporary file", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "a.csv")
		if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		err := WriteFileAtomic(path, func(w io.Writer) error {
			io.WriteString(w, "half")
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("got error %v, want %v", err, boom)
		}
		holdsOnly(t, path, "old\n")
	})
	t.Run("a panic leaves no file and no temporary file", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "a.csv")
		func() {
			defer func() {
				if recover() == nil {
					t.Error("got no panic, want it passed on")
				}
			}()
			WriteFileAtomic(path, func(w io.Writer) error { panic("oops") })
		}()
		if got := entries(t, dir); len(got) != 0 {
			t.Errorf("got directory %q, want it empty", got)
		}
	})
	t.Run("a missing directory is an error naming the file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "missing", "a.csv")
		err := WriteFileAtomic(path, write("x"))
		if err == nil {
			t.Fatal("got no error, want one")
		}
		if !errors.Is(err, os.ErrNotExist) {
			t.Errorf("got %v, want a not-exist error", err)
		}
	})
}

func TestHashFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.txt")
	if err := os.WriteFile(path, []byte("abc"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := HashFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// SHA-256("abc") from FIPS 180-2, appendix B.1.
	if want := "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if _, err := HashFile(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got %v, want a not-exist error", err)
	}
}
