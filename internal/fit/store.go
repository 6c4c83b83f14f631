package fit

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/triad-sim/triad/internal/calibrate"
	"github.com/triad-sim/triad/runs"
)

// proposalMagic starts every proposal file, so that a reader tells one
// from anything else before it decodes a byte.
var proposalMagic = []byte("triad proposal\n")

// proposalVersion changes whenever the encoding of a proposal file
// changes.
const proposalVersion = 1

// maxProposalBytes caps a proposal file read back: one holds a few
// numbers per parameter and target.
const maxProposalBytes = 1 << 20

// A proposal file is proposalMagic, a gob-encoded proposalFile, then the
// SHA-256 of everything before it. Gob keeps every float's bits (NaN
// figures included).
type proposalFile struct {
	Version int
	// Fit is the key of the fit the proposal belongs to (Spec.key), G and
	// I its generation and index.
	Fit  string
	G, I int
	calibrate.Evaluated
}

// The proposals' type is numbered by gob when the program starts, so that a
// proposal file's bytes do not depend on what the process wrote before it
// (see runs.RegisterGob).
func init() { runs.RegisterGob(proposalFile{}) }

// folderStore keeps a fit's simulated proposals in its folder, one file
// each in runs.FitProposalsDir, written atomically: processes that share
// the folder (shards, or a fit and its resumption) share them.
type folderStore struct {
	dir, key string
}

func (s folderStore) path(g, i int) string {
	return filepath.Join(s.dir, runs.FitProposalsDir, runs.FitProposalName(g, i))
}

func (s folderStore) Save(g, i int, e calibrate.Evaluated) error {
	var b bytes.Buffer
	b.Write(proposalMagic)
	if err := gob.NewEncoder(&b).Encode(proposalFile{Version: proposalVersion, Fit: s.key, G: g, I: i, Evaluated: e}); err != nil {
		return fmt.Errorf("save proposal %d of generation %d: %w", i, g+1, err)
	}
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:])
	err := runs.WriteFileAtomic(s.path(g, i), func(w io.Writer) error {
		_, err := w.Write(b.Bytes())
		return err
	})
	if err == nil && AfterSave != nil {
		AfterSave(g, i)
	}
	return err
}

// AfterSave, when set, is called after each proposal a fit saves in its
// folder (g the generation, from 0; i the proposal), from the goroutine
// that simulated it; tests stop a fit there, in the middle of a
// generation, which no clock can time.
var AfterSave func(g, i int)

func (s folderStore) Load(g, i int) (calibrate.Evaluated, bool, error) {
	path := s.path(g, i)
	b, err := runs.ReadFile(path, "a proposal file", maxProposalBytes)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return calibrate.Evaluated{}, false, nil
	case err != nil:
		return calibrate.Evaluated{}, false, err
	}
	bad := func(why string) (calibrate.Evaluated, bool, error) {
		return calibrate.Evaluated{}, false, fmt.Errorf("%s: %s; remove it and the fit simulates the proposal again", path, why)
	}
	n := len(b) - sha256.Size
	if n < len(proposalMagic) || !bytes.HasPrefix(b, proposalMagic) {
		return bad("not a proposal file")
	}
	if sum := sha256.Sum256(b[:n]); !bytes.Equal(sum[:], b[n:]) {
		return bad("damaged (its checksum does not match)")
	}
	var f proposalFile
	if err := gob.NewDecoder(bytes.NewReader(b[len(proposalMagic):n])).Decode(&f); err != nil {
		return bad(err.Error())
	}
	if f.Version != proposalVersion || f.Fit != s.key || f.G != g || f.I != i {
		return bad("a proposal of another fit or another version of triad")
	}
	return f.Evaluated, true, nil
}
