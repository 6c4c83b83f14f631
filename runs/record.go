package runs

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
)

// A record file keeps one result of a computation that processes share
// through a folder (an optimization's evaluated run, say), so that a
// stopped computation goes on without computing it again and shards of it
// split the work: magic (which names the kind of record), the value
// gob-encoded (gob keeps every float's bits, NaN included), then the
// SHA-256 of everything before it. It is written atomically, so a reader
// finds it whole or not at all, and two processes that write the same
// record write the same bytes.

// WriteRecord writes v to the record file path, atomically.
func WriteRecord(path, magic string, v any) error {
	var b bytes.Buffer
	b.WriteString(magic)
	if err := gob.NewEncoder(&b).Encode(v); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:])
	return WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(b.Bytes())
		return err
	})
}

// ReadRecord reads the record file path, of at most max bytes, into v and
// says whether it was there. A file that is not a record of magic's kind,
// or whose checksum does not match, gives an error wrapping ErrBadFile
// that names it and says that removing it is safe (the computation does
// the work again).
func ReadRecord(path, magic string, max int64, v any) (bool, error) {
	b, err := ReadFile(path, "a record file", max)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return false, nil
	case err != nil:
		return false, err
	}
	bad := func(why string) (bool, error) {
		return false, mark(fmt.Errorf("%s: %s; remove it and triad computes it again", path, why), ErrBadFile)
	}
	n := len(b) - sha256.Size
	if n < len(magic) || !bytes.HasPrefix(b, []byte(magic)) {
		return bad("not a record of its kind")
	}
	if sum := sha256.Sum256(b[:n]); !bytes.Equal(sum[:], b[n:]) {
		return bad("damaged (its checksum does not match)")
	}
	if err := gob.NewDecoder(bytes.NewReader(b[len(magic):n])).Decode(v); err != nil {
		return bad(err.Error())
	}
	return true, nil
}
