package runs

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// Program says which triad wrote a manifest, where and by what command
// line; a run's Manifest and a comparison's CompareManifest begin with it.
type Program struct {
	// Version is the triad program version.
	Version string `json:"version"`
	// GoVersion is the Go release the program was built with
	// (runtime.Version()).
	GoVersion string `json:"go_version"`
	// Commit and BuildDate identify the program's build ("unknown" when
	// it was built without them).
	Commit    string `json:"commit,omitempty"`
	BuildDate string `json:"build_date,omitempty"`
	// Platform is the operating system and processor (GOOS/GOARCH, such
	// as linux/arm64) of the triad that wrote the manifest: the one that
	// ran, resumed or merged the run. The numbers do not depend on it.
	Platform string `json:"platform,omitempty"`
	// Command is the command line as run, and Host the machine it ran on,
	// so that a result can be made again and a shard rerun by hand.
	Command []string `json:"command,omitempty"`
	Host    string   `json:"host,omitempty"`
}

// Manifest records how a set of output files was made, so that a result can
// be traced back to its inputs and checked. It is written beside the
// results; the command fills in what only it knows (version, host,
// command line, times).
//
// Wall time, start time and workers legitimately differ between two runs of
// the same scenario, so the manifest is not part of the byte-identical
// determinism checks; the files it lists are.
type Manifest struct {
	Program
	// Scenario is the resolved scenario: the checked Config after defaults
	// and command-line overrides.
	Scenario sim.Config `json:"scenario"`
	// ScenarioFileSHA256 is the SHA-256 (hex) of the scenario file as read,
	// or empty for a built-in scenario; ConfigSHA256 that of the resolved
	// scenario without its seed and replications (output.ConfigHash), the
	// hash a baseline records, which identifies the model's inputs whatever
	// file, flags or seed they came from.
	ScenarioFileSHA256 string `json:"scenario_sha256,omitempty"`
	ConfigSHA256       string `json:"config_sha256,omitempty"`
	// Seed and Replicates repeat the Config's for quick reading.
	Seed       uint64 `json:"seed"`
	Replicates int    `json:"replicates"`
	// Workers is the number of goroutines used; it never changes the
	// numbers.
	Workers int `json:"workers"`
	// Start is when the run started and WallSeconds how long it took.
	Start       time.Time `json:"start"`
	WallSeconds float64   `json:"wall_seconds"`
	// Complete is false when the run was interrupted and the files hold
	// only the runs that had finished.
	Complete bool `json:"complete"`
	// Files maps each output file's path, relative to the manifest, to its
	// SHA-256 (hex).
	Files map[string]string `json:"files"`
	// NoPlots is true for a run started with --no-plots: its folder holds
	// the tables and the report but no charts (resume and merge keep it so).
	NoPlots bool `json:"no_plots,omitempty"`
	// Shard is set in the folder of one shard of a sharded run: it holds
	// only the runs of that shard, as run files.
	Shard *Shard `json:"shard,omitempty"`
	// Shards is the number of shards a merged folder was assembled from.
	Shards int `json:"shards,omitempty"`
}

// Shard names one of Count shards, 0 <= Index < Count.
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// WriteManifest writes m as JSON indented by two spaces. Fields come in a
// fixed order and map keys (Files, policy settings) sorted, so equal
// manifests give equal bytes.
func WriteManifest(w io.Writer, m Manifest) error {
	if m.Files == nil {
		m.Files = map[string]string{}
	}
	if err := output.WriteJSON(w, m); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	return nil
}

// ReadManifest reads dir/manifest.json (a regular file of at most
// MaxManifestSize bytes, see ReadFile) and checks that it is one that
// triad could have written: a valid scenario, with the seed, replications
// and config_sha256 it repeats; a shard within its count; and files named
// by clean paths inside the folder with a SHA-256 each. A manifest that is
// missing gives an error for which errors.Is(err, fs.ErrNotExist) holds;
// one that is no regular file, too large or damaged an error wrapping
// ErrBadFile that names it; any other failure wraps ErrInaccessible.
// The manifest of a comparison (see CompareManifest), which holds no
// runs, gives an error that wraps ErrComparison, that of an optimization
// (see ManifestKind) one that wraps ErrOptimization.
func ReadManifest(dir string) (Manifest, error) {
	var m Manifest
	path := filepath.Join(dir, ManifestName)
	const fix = "triad cannot use the folder: run the scenario again into another folder"
	b, err := ReadFile(path, "a manifest", MaxManifestSize)
	switch {
	case errors.Is(err, ErrBadFile):
		return m, fmt.Errorf("%w; %s", err, fix)
	case err != nil:
		return m, mark(err, ErrInaccessible)
	}
	switch kind, err := manifestKind(b, path); {
	case err == nil && kind == KindComparison:
		return m, mark(fmt.Errorf("%s holds a comparison (triad compare), not runs", dir), ErrComparison)
	case err == nil && kind == KindOptimization:
		return m, mark(fmt.Errorf("%s holds an optimization (triad optimize), not runs", dir), ErrOptimization)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, mark(fmt.Errorf("%s is damaged (%v); %s", path, err, fix), ErrBadFile)
	}
	if err := m.check(); err != nil {
		return m, mark(fmt.Errorf("%s is damaged or of another triad: %v; %s", path, err, fix), ErrBadFile)
	}
	return m, nil
}

// check returns what makes m a manifest that triad cannot have written,
// or nil.
func (m *Manifest) check() error {
	cfg := &m.Scenario
	if err := cfg.Validate(); err != nil {
		first, _, _ := strings.Cut(err.Error(), "\n")
		return fmt.Errorf("its scenario is invalid: %s", first)
	}
	switch {
	case m.Version == "":
		return errors.New("it names no version of triad")
	case m.Seed != cfg.Seed:
		return fmt.Errorf("seed %d is not its scenario's %d", m.Seed, cfg.Seed)
	case m.Replicates != cfg.Replicates:
		return fmt.Errorf("replications %d is not its scenario's %d", m.Replicates, cfg.Replicates)
	case m.ConfigSHA256 != "" && m.ConfigSHA256 != output.ConfigHash(*cfg):
		return fmt.Errorf("config_sha256 %.12s… is not the hash of its scenario (%.12s…): the scenario was changed", m.ConfigSHA256, output.ConfigHash(*cfg))
	case m.Shard != nil && (m.Shard.Count < 1 || m.Shard.Index < 0 || m.Shard.Index >= m.Shard.Count):
		return fmt.Errorf("shard %d of %d does not exist", m.Shard.Index, m.Shard.Count)
	case m.Shards < 0 || m.Workers < 0:
		return fmt.Errorf("%d shards and %d workers: counts cannot be negative", m.Shards, m.Workers)
	case math.IsNaN(m.WallSeconds) || m.WallSeconds < 0:
		return fmt.Errorf("wall_seconds %v is not a duration", m.WallSeconds)
	}
	for _, rel := range slices.Sorted(maps.Keys(m.Files)) {
		if !insideFolder(rel) {
			return fmt.Errorf("it lists %q, which is no file in the folder", rel)
		}
		if h := m.Files[rel]; !isSHA256(h) {
			return fmt.Errorf("the SHA-256 of %s, %q, is not one", rel, h)
		}
	}
	return nil
}

// insideFolder reports whether rel is a clean, relative slash path that
// stays inside the folder: "plots/adoption.svg", not "../x" or "/etc/x".
func insideFolder(rel string) bool {
	return rel != "." && path.Clean(rel) == rel && !strings.Contains(rel, "\\") && filepath.IsLocal(filepath.FromSlash(rel))
}

// isSHA256 reports whether h is a SHA-256 in lower-case hex.
func isSHA256(h string) bool {
	if len(h) != 2*sha256.Size {
		return false
	}
	_, err := hex.DecodeString(h)
	return err == nil && strings.ToLower(h) == h
}

// SaveManifest writes dir/manifest.json atomically.
func SaveManifest(dir string, m Manifest) error {
	return WriteFileAtomic(filepath.Join(dir, ManifestName), func(w io.Writer) error {
		return WriteManifest(w, m)
	})
}

// CompareManifest is the manifest.json of a comparison's folder (triad
// compare): which triad made it, by what command line, from which sets of
// runs, and the SHA-256 of every file. A comparison holds no runs of its
// own, so ReadManifest refuses it; ReadCompareManifest reads it. Older
// comparison folders have none.
type CompareManifest struct {
	Program
	// Compare lists the sets of runs in the comparison's order, the first
	// the one the others are compared with.
	Compare []CompareSet `json:"compare"`
	// Files maps each file's path, relative to the manifest, to its
	// SHA-256 (hex).
	Files map[string]string `json:"files"`
}

// CompareSet records where one set of a comparison's runs came from.
type CompareSet struct {
	// Label is the set's name in the comparison's tables; Source the
	// scenario (a file or a built-in name) or the finished output folder
	// as the command line gave it, and Folder true for a folder.
	Label  string `json:"label"`
	Source string `json:"source"`
	Folder bool   `json:"folder,omitempty"`
	// ScenarioFileSHA256 and ConfigSHA256 are as in a run's Manifest (a
	// folder's are its manifest's): the scenario file as read, and the
	// resolved scenario without its seed and replications.
	ScenarioFileSHA256 string `json:"scenario_sha256,omitempty"`
	ConfigSHA256       string `json:"config_sha256"`
	// Seed and Replicates are the scenario's, from which every run's seed
	// follows.
	Seed       uint64 `json:"seed"`
	Replicates int    `json:"replicates"`
}

// ReadCompareManifest reads the manifest.json of a comparison's folder
// dir. A manifest that is missing gives an error for which
// errors.Is(err, fs.ErrNotExist) holds; one that is no regular file or
// too large one that wraps ErrBadFile (see ReadFile); a run's manifest one
// that wraps ErrNotOurFolder; every other error wraps ErrInaccessible.
func ReadCompareManifest(dir string) (CompareManifest, error) {
	var m CompareManifest
	name := filepath.Join(dir, ManifestName)
	b, err := ReadFile(name, "a manifest", MaxManifestSize)
	switch {
	case errors.Is(err, ErrBadFile):
		return m, err
	case err != nil:
		return m, mark(err, ErrInaccessible)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, mark(fmt.Errorf("%s: %w", name, err), ErrInaccessible)
	}
	if m.Compare == nil {
		return m, mark(fmt.Errorf("%s is a run's manifest, not a comparison's: it is %w", name, ErrNotOurFolder), ErrInaccessible)
	}
	return m, nil
}

// SaveCompareManifest writes dir/manifest.json of a comparison atomically,
// as JSON indented by two spaces with its map keys sorted, so that equal
// manifests give equal bytes.
func SaveCompareManifest(dir string, m CompareManifest) error {
	if m.Files == nil {
		m.Files = map[string]string{}
	}
	if m.Compare == nil {
		m.Compare = []CompareSet{}
	}
	return WriteFileAtomic(filepath.Join(dir, ManifestName), func(w io.Writer) error {
		if err := output.WriteJSON(w, m); err != nil {
			return fmt.Errorf("write manifest: %w", err)
		}
		return nil
	})
}
