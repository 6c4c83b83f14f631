package runs

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Owned returns nil when dir is an output folder that triad wrote and may
// replace: a manifest.json that triad can read and nothing but the files
// and folders triad writes beside it (or that its manifest lists), or only
// shard folders that are ours, an empty runs/ folder and temporary files (a
// run stopped before its manifest was written), or the files of a
// comparison (compare.json beside its tables and charts), or the files of a
// fit (fit.json beside its tables, fitted scenario and charts). Beside a manifest
// or shard folders, a logs/ folder of job logs (*.out, *.err, *.log, as the
// Slurm scripts write them) is ours too. Otherwise it returns an error
// wrapping ErrNotOurFolder that names what is foreign. The file system
// root, the user's home folder home (the command passes it in; "" for
// none) and the current folder are never ours.
func Owned(dir, home string) error {
	if reason := protectedFolder(dir, home); reason != "" {
		return fmt.Errorf("%s is %s: %w", dir, reason, ErrNotOurFolder)
	}
	return owned(dir)
}

func owned(dir string) error {
	listed := map[string]bool{}
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	hasManifest := err == nil
	if hasManifest {
		var m struct {
			Version *string           `json:"version"`
			Files   map[string]string `json:"files"`
		}
		if json.Unmarshal(b, &m) != nil || m.Version == nil {
			return fmt.Errorf("%s is not a triad manifest: %w", filepath.Join(dir, ManifestName), ErrNotOurFolder)
		}
		for rel := range m.Files {
			top, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
			listed[top] = true
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s cannot be read: %w", filepath.Join(dir, ManifestName), ErrNotOurFolder)
	}
	// A compare folder made before comparisons had a manifest is marked by
	// its compare.json; a fit's folder has none: its fit.json marks it.
	fit := IsFile(filepath.Join(dir, FitName))
	known := hasManifest || fit || IsFile(filepath.Join(dir, CompareName))
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	// The job logs of a run (cluster/slurm writes them to OUT/logs/) mark
	// nothing as ours: a folder of logs alone is not a triad folder.
	runFolder := hasManifest
	for _, e := range entries {
		if _, shard := ParseShardDirName(e.Name()); shard && e.IsDir() {
			runFolder = true
		}
	}
	var foreign []string
	for _, e := range entries {
		name := e.Name()
		_, shard := ParseShardDirName(name)
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			foreign = append(foreign, name+" (a link)")
		case e.IsDir() && shard:
			if owned(filepath.Join(dir, name)) != nil {
				foreign = append(foreign, name+"/")
			}
		case isTempName(name), name == LockName:
		case name == RunsDir && e.IsDir():
			if !onlyNames(filepath.Join(dir, name), isRunFileName) {
				foreign = append(foreign, name+"/ (files that are not run files)")
			}
		case name == PlotsDir && e.IsDir() && known:
			if !onlyNames(filepath.Join(dir, name), isChartName) {
				foreign = append(foreign, name+"/ (files that are not charts)")
			}
		case name == LogsDir && e.IsDir() && runFolder:
			if !onlyNames(filepath.Join(dir, name), isLogName) {
				foreign = append(foreign, name+"/ (files that are not job logs)")
			}
		case known && (fixedOutputNames[name] || listed[name]):
		case fit && slices.Contains(FitOutputNames, name):
		default:
			foreign = append(foreign, name)
		}
	}
	if len(foreign) > 0 {
		if len(foreign) > 5 {
			foreign = append(foreign[:5], fmt.Sprintf("and %d more", len(foreign)-5))
		}
		return fmt.Errorf("%s holds files that triad did not write (%s): %w", dir, strings.Join(foreign, ", "), ErrNotOurFolder)
	}
	return nil
}

// protectedFolder says why dir must never be replaced ("the file system
// root", "your home folder", "the current folder"), or returns "".
func protectedFolder(dir, home string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "a folder whose place cannot be told"
	}
	abs = filepath.Clean(abs)
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	if abs == filepath.Dir(abs) {
		return "the file system root"
	}
	if home != "" {
		if h, err := filepath.EvalSymlinks(home); err == nil && h == abs {
			return "your home folder"
		}
	}
	if wd, err := os.Getwd(); err == nil {
		if w, err := filepath.EvalSymlinks(wd); err == nil && (w == abs || strings.HasPrefix(w, abs+string(filepath.Separator))) {
			return "the current folder or one that holds it"
		}
	}
	return ""
}

// onlyNames reports whether dir holds only regular files whose names pass
// ok, and temporary files.
func onlyNames(dir string, ok func(string) bool) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !(ok(e.Name()) || isTempName(e.Name())) {
			return false
		}
	}
	return true
}

// PrepareFit makes sure dir can take a fit, by the rules of Prepare: it
// must not exist, be empty, or be a folder that triad wrote (see Owned),
// replaced only when force is set. It removes the fit's own entries
// (FitOutputNames and PlotsDir) and leaves dir in place.
func PrepareFit(dir, home string, force bool) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return mark(fmt.Errorf("output folder: %w", err), ErrInaccessible)
	case len(entries) > 0:
		if !IsFile(filepath.Join(dir, FitName)) {
			// A run's or a comparison's folder is ours, but not a fit's.
			return fmt.Errorf("output folder %s exists and holds no %s: triad will not replace it: %w; choose another with --out", dir, FitName, ErrNotOurFolder)
		}
		if err := Owned(dir, home); err != nil {
			return fmt.Errorf("output folder %s exists and triad will not replace it: %w; choose another with --out", dir, err)
		}
		if !force {
			return mark(fmt.Errorf("output folder %s exists; add --force to replace it or choose another with --out", dir), ErrExists)
		}
		for _, name := range append(slices.Clone(FitOutputNames), PlotsDir) {
			if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
				return fmt.Errorf("replace %s: %w", dir, err)
			}
		}
	}
	return os.MkdirAll(dir, 0o755)
}

// Prepare makes sure dir can take a new run: it must not exist, be empty,
// or be an output folder that triad wrote (see Owned, to which home is
// passed), replaced only when force is set. It leaves dir with an empty
// runs/ folder. A folder that holds anything else is never replaced: the
// error wraps ErrNotOurFolder; one of ours without force wraps ErrExists.
func Prepare(dir, home string, force bool) error {
	entries, err := os.ReadDir(dir)
	entries = slices.DeleteFunc(entries, func(e os.DirEntry) bool { return e.Name() == LockName })
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return mark(fmt.Errorf("output folder: %w", err), ErrInaccessible)
	case len(entries) > 0:
		if err := Owned(dir, home); err != nil {
			return fmt.Errorf("output folder %s exists and triad will not replace it: %w; choose another with --out", dir, err)
		}
		if !force {
			hint := "add --force to replace it or choose another with --out"
			if m, err := ReadManifest(dir); err == nil && !m.Complete {
				hint = "it holds a stopped run: finish it with 'triad run --resume " + dir + "', or " + hint
			}
			return mark(fmt.Errorf("output folder %s exists; %s", dir, hint), ErrExists)
		}
		// Everything but the lock, which this process holds.
		for _, e := range entries {
			if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("replace %s: %w", dir, err)
			}
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, RunsDir), 0o755); err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	return nil
}

// RemoveTemps removes the temporary files that an interrupted write left in
// an output folder, its runs/ and its plots/: names that start with "."
// and hold ".tmp-", as WriteFileAtomic and Assemble make them. The caller
// must hold the folder's lock, or they may be another process's files being
// written.
func RemoveTemps(dir string) error {
	for _, d := range []string{dir, filepath.Join(dir, RunsDir), filepath.Join(dir, PlotsDir)} {
		entries, err := os.ReadDir(d)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", d, err)
		}
		for _, e := range entries {
			if n := e.Name(); isTempName(n) && e.Type().IsRegular() {
				if err := os.Remove(filepath.Join(d, n)); err != nil {
					return fmt.Errorf("remove a stale temporary file: %w", err)
				}
			}
		}
	}
	return nil
}
