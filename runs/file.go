package runs

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes a file through write: it writes to a new temporary
// file in the same directory as path, syncs it to disk and renames it over
// path, so that path holds either its old contents or the complete new ones,
// never a part. On any error, or if write panics, the temporary file is
// removed and path is left as it was. The new file has mode 0644.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := write(f); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	done = true
	// Make the rename itself durable where the system allows syncing a
	// directory; where it does not (Windows) the file is already complete.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// HashFile returns the SHA-256 of the file at path as lower-case hex, as
// recorded in Manifest.Files. Only a regular file is read (see ReadFile).
func HashFile(path string) (string, error) {
	f, err := openRegular(path, "a file triad wrote", -1)
	if err != nil {
		return "", fmt.Errorf("hash file: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash file: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// publish syncs and closes a temporary file and renames it to path.
func publish(f *os.File, path string) error {
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// writeHashed writes dir/rel atomically and records its SHA-256 under rel
// (with forward slashes) in hashes.
func writeHashed(dir, rel string, hashes map[string]string, write func(io.Writer) error) error {
	path := filepath.Join(dir, rel)
	if err := WriteFileAtomic(path, write); err != nil {
		return err // it names the file
	}
	h, err := HashFile(path)
	if err != nil {
		return err
	}
	hashes[filepath.ToSlash(rel)] = h
	return nil
}
