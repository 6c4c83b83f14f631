package runs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestManifestKind tells the manifests of a run, a comparison and an
// optimization (new and first ones) apart, and ReadManifest refuses an
// optimization's as such.
func TestManifestKind(t *testing.T) {
	for _, c := range []struct {
		name, manifest, want string
		err                  error
	}{
		{"a run (whose scenario ReadManifest checks)", testManifest, KindRun, ErrBadFile},
		{"a comparison", `{"version":"1","compare":{"a":"x"}}`, KindComparison, ErrComparison},
		{"an optimization", `{"kind":"optimize","version":"1","levers_sha256":"ab"}`, KindOptimization, ErrOptimization},
		{"a first optimization", `{"version":"1","levers_file":"l.yaml","levers_sha256":"ab"}`, KindOptimization, ErrOptimization},
		{"no JSON", `{"version":`, "", ErrBadFile},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, ManifestName), []byte(c.manifest), 0o644); err != nil {
				t.Fatal(err)
			}
			kind, err := ManifestKind(dir)
			if kind != c.want || (c.want == "") != (err != nil) {
				t.Errorf("ManifestKind = %q, %v; want %q", kind, err, c.want)
			}
			if _, err := ReadManifest(dir); !errors.Is(err, c.err) {
				t.Errorf("ReadManifest: %v, want an error wrapping %v", err, c.err)
			}
		})
	}
	if _, err := ManifestKind(t.TempDir()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ManifestKind of a folder without a manifest: %v, want fs.ErrNotExist", err)
	}
}
