package optimize

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/triad-sim/triad/runs"
)

// EvaluationsDir holds, in the folder of a sharded optimization, every
// run evaluated so far, one record file each (see runs.WriteRecord): the
// processes that share the folder share them. It stays when the
// optimization is done, since other shards may still read it; removing it
// then changes nothing, and --force removes it with the rest.
const EvaluationsDir = "evaluations"

// evaluationMagic starts every evaluation's record file.
const evaluationMagic = "triad optimize evaluation\n"

// maxEvaluationBytes caps an evaluation's record file: it holds a key and
// one or two figures.
const maxEvaluationBytes = 64 << 10

// evaluation is an evaluation's record: the optimization it belongs to
// (Key), the allocation's key and the replicate, and its figures.
type evaluation struct {
	Optimization, Alloc string
	Rep                 int
	Figures             []float64
}

// The evaluations' type is numbered by gob when the program starts, so
// that a record's bytes do not depend on what the process wrote before it
// (see runs.RegisterGob).
func init() { runs.RegisterGob(evaluation{}) }

// EvaluationName names the record file, in EvaluationsDir, of the run of
// allocation key on replicate rep: "1-2-0_3-r5.bin" for key "1,2,0/3".
func EvaluationName(key string, rep int) string {
	return strings.NewReplacer(",", "-", "/", "_").Replace(key) + "-r" + strconv.Itoa(rep) + ".bin"
}

// isEvaluationName reports whether name is one that EvaluationName gives,
// or a temporary file of one being written.
func isEvaluationName(name string) bool {
	if runs.IsTempName(name) {
		return true
	}
	alloc, rep, ok := strings.Cut(strings.TrimSuffix(name, ".bin"), "-r")
	r, err := strconv.Atoi(rep)
	if !ok || err != nil || r < 0 || !strings.HasSuffix(name, ".bin") {
		return false
	}
	key := strings.NewReplacer("-", ",", "_", "/").Replace(alloc)
	return EvaluationName(key, r) == name && (key == "none" || strings.Contains(key, "/"))
}

// FolderStore is the Store of the optimization with key (Settings.Key)
// in the folder dir: its runs in EvaluationsDir.
func FolderStore(dir, key string) Store { return folderStore{dir, key} }

type folderStore struct{ dir, key string }

func (s folderStore) path(key string, rep int) string {
	return filepath.Join(s.dir, EvaluationsDir, EvaluationName(key, rep))
}

func (s folderStore) Save(key string, rep int, figures []float64) error {
	if err := os.MkdirAll(filepath.Join(s.dir, EvaluationsDir), 0o755); err != nil {
		return err
	}
	return runs.WriteRecord(s.path(key, rep), evaluationMagic, evaluation{s.key, key, rep, figures})
}

func (s folderStore) Load(key string, rep int) ([]float64, bool, error) {
	var e evaluation
	path := s.path(key, rep)
	ok, err := runs.ReadRecord(path, evaluationMagic, maxEvaluationBytes, &e)
	switch {
	case err != nil || !ok:
		return nil, false, err
	case e.Optimization != s.key || e.Alloc != key || e.Rep != rep:
		return nil, false, fmt.Errorf("%s is a run of another optimization (of other settings, scenario or levers): start it again with --force or choose another --out: %w", path, runs.ErrBadFile)
	}
	return e.Figures, true, nil
}

// Key identifies an optimization: what decides its every figure (the
// scenario's and the levers' SHA-256, the seed, the settings but the
// store, shards and workers). Shards join only an optimization of their
// key.
func (s Settings) Key(scenarioSHA256, leversSHA256 string, seed uint64) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\n%s\n%d\n%d %v %d %d %d %d", scenarioSHA256, leversSHA256, seed,
		s.Levers, s.Signs, s.Evaluations, s.Replications, s.Fresh, s.Top))
	return hex.EncodeToString(sum[:])
}

// ErrFinished means a shard found the optimization it was to join
// finished: it has nothing to do.
var ErrFinished = errors.New("the optimization is finished")

// Join readies the folder dir for a shard of the optimization with key:
// a folder that does not exist or is empty is made ready (nil, nil), one
// that holds that optimization unfinished gives its state (the shard
// joins it), one that holds it finished ErrFinished. One that holds
// another optimization (unfinished, or finished with another key in its
// manifest), or anything an optimization does not
// write, is refused with an error that says so, as Prepare refuses it.
func Join(dir, key, command string) (*State, error) {
	if err := Prepare(dir, false); err == nil || !errors.Is(err, runs.ErrExists) {
		return nil, err
	}
	if runs.IsFile(filepath.Join(dir, Name)) {
		var m Manifest
		b, err := runs.ReadFile(filepath.Join(dir, runs.ManifestName), "a manifest", runs.MaxManifestSize)
		if err == nil && json.Unmarshal(b, &m) == nil && m.Key != "" && m.Key != key {
			return nil, fmt.Errorf("%s holds another optimization (of other settings, scenario or levers) than this shard's, finished: choose another --out: %w", dir, runs.ErrExists)
		}
		return nil, fmt.Errorf("%s: %w", dir, ErrFinished)
	}
	st, err := ReadState(dir, command)
	if err != nil {
		return nil, err
	}
	if st.Key != key {
		return nil, fmt.Errorf("%s holds another optimization (of other settings, scenario or levers) than this shard's: give the same command to every shard, or choose another --out: %w", dir, runs.ErrExists)
	}
	return &st, nil
}
