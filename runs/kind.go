package runs

import (
	"encoding/json"
	"errors"
	"path/filepath"
)

// ErrOptimization means a folder holds an optimization (triad optimize)
// where the runs of one scenario are needed.
var ErrOptimization = errors.New("an optimization, not runs")

// The kinds of output folder a manifest.json can describe (see
// ManifestKind).
const (
	// KindRun is the folder of a run, of a shard or of merged shards.
	KindRun = "run"
	// KindComparison is the folder of a comparison (triad compare).
	KindComparison = "compare"
	// KindOptimization is the folder of an optimization (triad optimize),
	// whose manifest says "kind": "optimize".
	KindOptimization = "optimize"
)

// ManifestKind says which kind of folder dir's manifest.json describes,
// from its keys alone: KindComparison for a comparison's (its "compare"),
// KindOptimization for one whose "kind" says so or, as the first
// optimizations wrote it, that holds a "levers_sha256", and KindRun for
// any other, which ReadManifest then checks. A manifest that is missing
// gives an error for which errors.Is(err, fs.ErrNotExist) holds, one that
// is no JSON object an error wrapping ErrBadFile.
func ManifestKind(dir string) (string, error) {
	b, err := ReadFile(filepath.Join(dir, ManifestName), "a manifest", MaxManifestSize)
	if err != nil {
		return "", err
	}
	return manifestKind(b, filepath.Join(dir, ManifestName))
}

// manifestKind is ManifestKind of the manifest b read from path.
func manifestKind(b []byte, path string) (string, error) {
	var keys struct {
		Kind    string          `json:"kind"`
		Compare json.RawMessage `json:"compare"`
		Levers  json.RawMessage `json:"levers_sha256"`
	}
	if err := json.Unmarshal(b, &keys); err != nil {
		return "", mark(&pathError{path, err}, ErrBadFile)
	}
	switch {
	case keys.Compare != nil:
		return KindComparison, nil
	case keys.Kind == KindOptimization || keys.Levers != nil:
		return KindOptimization, nil
	}
	return KindRun, nil
}

// pathError is a file's error prefixed with its path.
type pathError struct {
	path string
	err  error
}

func (e *pathError) Error() string { return e.path + " is damaged (" + e.err.Error() + ")" }
func (e *pathError) Unwrap() error { return e.err }
