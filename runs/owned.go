package runs

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
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
// fit (fit.json beside its tables, fitted scenario and charts). Beside any
// of these marks, three kinds of entries that triad did not write are
// allowed, since it keeps them when it replaces the folder (see Prepare):
// hidden files and folders (.DS_Store, .git/, .ipynb_checkpoints/, in the
// folder or in its runs/, plots/ and logs/), charts of the user's in
// plots/ (PNG or SVG), and a logs/ folder of job logs (*.out, *.err, *.log,
// as the Slurm scripts write them). Otherwise it returns an error wrapping
// ErrNotOurFolder that names what is foreign. The file system root, the
// user's home folder home (the command passes it in; "" for none) and the
// current folder are never ours.
func Owned(dir, home string) error {
	if reason := protectedFolder(dir, home); reason != "" {
		return fmt.Errorf("%s is %s: %w", dir, reason, ErrNotOurFolder)
	}
	return owned(dir)
}

func owned(dir string) error {
	w, err := readWritten(dir)
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	// Hidden entries and job logs mark nothing as ours: a folder of them
	// alone is not a triad folder.
	marked := w.known()
	for _, e := range entries {
		if _, shard := ParseShardDirName(e.Name()); shard && e.IsDir() {
			marked = true
		}
	}
	var foreign []string
	for _, e := range entries {
		name := e.Name()
		_, shard := ParseShardDirName(name)
		switch {
		case name == LockName, isTempName(name) && e.Type().IsRegular():
		case isHidden(name) && marked:
		case e.Type()&fs.ModeSymlink != 0:
			foreign = append(foreign, name+" (a link)")
		case e.IsDir() && shard:
			if owned(filepath.Join(dir, name)) != nil {
				foreign = append(foreign, name+"/")
			}
		case name == RunsDir && e.IsDir():
			if !onlyNames(filepath.Join(dir, name), isRunFileName) {
				foreign = append(foreign, name+"/ (files that are not run files)")
			}
		case name == PlotsDir && e.IsDir() && w.known():
			if !onlyNames(filepath.Join(dir, name), isChartName) {
				foreign = append(foreign, name+"/ (files that are not charts)")
			}
		case name == FitProposalsDir && e.IsDir() && w.fit:
			if !onlyNames(filepath.Join(dir, name), IsFitProposalName) {
				foreign = append(foreign, name+"/ (files that are not a fit's proposals)")
			}
		case name == LogsDir && e.IsDir() && marked:
			if !onlyNames(filepath.Join(dir, name), isLogName) {
				foreign = append(foreign, name+"/ (files that are not job logs)")
			}
		case e.IsDir() && w.listedDirs[name]:
		case e.Type().IsRegular() && w.ours(name):
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

// written is what the marks of an output folder say triad wrote there.
// Owned, Prepare, PrepareFit and Kept all tell triad's files from the
// user's through it.
type written struct {
	// listed holds the files manifest.json lists, as slash paths, and
	// listedDirs the folders at the top that hold some of them.
	listed, listedDirs map[string]bool
	// manifest, compare and fit say which marks the folder holds: a
	// manifest.json that triad can read (a run's folder), compare.json (a
	// comparison's) and fit.json (a fit's).
	manifest, compare, fit bool
}

// readWritten reads the marks of dir. A manifest.json that is not triad's
// gives an error wrapping ErrNotOurFolder.
func readWritten(dir string) (written, error) {
	w := written{listed: map[string]bool{}, listedDirs: map[string]bool{}}
	b, err := ReadFile(filepath.Join(dir, ManifestName), "a manifest", MaxManifestSize)
	switch {
	case err == nil:
		var m struct {
			Version *string           `json:"version"`
			Files   map[string]string `json:"files"`
		}
		if json.Unmarshal(b, &m) != nil || m.Version == nil {
			return w, fmt.Errorf("%s is not a triad manifest: %w", filepath.Join(dir, ManifestName), ErrNotOurFolder)
		}
		w.manifest = true
		for rel := range m.Files {
			rel = filepath.ToSlash(rel)
			w.listed[rel] = true
			if top, _, nested := strings.Cut(rel, "/"); nested {
				w.listedDirs[top] = true
			}
		}
	case !errors.Is(err, fs.ErrNotExist):
		return w, fmt.Errorf("%w, so the folder is %w", err, ErrNotOurFolder)
	}
	w.compare = IsFile(filepath.Join(dir, CompareName))
	w.fit = IsFile(filepath.Join(dir, FitName)) || IsFile(filepath.Join(dir, FitStateName))
	return w, nil
}

// known reports whether the folder holds a mark of one of triad's output
// folders.
func (w written) known() bool { return w.manifest || w.compare || w.fit }

// ours reports whether rel, the slash path of a regular file in the
// folder, is one that triad writes there: one its manifest lists, the
// manifest and the tables of a run or a comparison, the files of a fit,
// the charts of a comparison or a fit, a run file in runs/, or a temporary
// file of triad's in the folder, runs/ or plots/. A run's own charts are
// those its manifest lists.
func (w written) ours(rel string) bool {
	dir, name := path.Split(rel)
	switch {
	case w.listed[rel]:
		return true
	case isTempName(name):
		return dir == "" || dir == RunsDir+"/" || dir == PlotsDir+"/" || dir == FitProposalsDir+"/" && w.fit
	case dir == "":
		return w.known() && fixedOutputNames[name] || w.fit && slices.Contains(FitOutputNames, name)
	case dir == RunsDir+"/":
		return isRunFileName(name)
	case dir == FitProposalsDir+"/":
		return w.fit && IsFitProposalName(name)
	case dir == PlotsDir+"/":
		chart := strings.TrimSuffix(name, path.Ext(name))
		return isChartName(name) && (w.compare && slices.Contains(compareCharts, chart) || w.fit && isFitChartName(chart))
	}
	return false
}

// sortOut goes through the output folder dir, one that Owned accepts, and
// returns, as slash paths relative to dir (a folder with a trailing /),
// the entries that triad did not write there: hidden files and folders,
// logs/, and the user's charts in plots/. With remove set it removes the
// rest: every file triad wrote (see written.ours), the shard folders with
// what triad wrote in them, and runs/, plots/ and the shard folders when
// they are left empty. The lock at the top of dir is its caller's and
// stays; a lock in a shard folder goes with the shard's files.
func sortOut(dir string, remove bool) ([]string, error) {
	return sortOutIn(dir, "", true, remove)
}

// sortOutIn is sortOut of the folder dir, at the slash path prefix of the
// folder sortOut was given; top says whether dir is that folder.
func sortOutIn(dir, prefix string, top, remove bool) ([]string, error) {
	w, err := readWritten(dir)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	var kept []string
	drop := func(p string) error {
		if !remove {
			return nil
		}
		if err := os.Remove(p); err != nil {
			return fmt.Errorf("replace %s: %w", dir, err)
		}
		return nil
	}
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(dir, name)
		_, shard := ParseShardDirName(name)
		switch {
		case name == LockName && top:
		case name == LockName:
			if err := drop(p); err != nil {
				return nil, err
			}
		case e.IsDir() && shard:
			k, err := sortOutIn(p, prefix+name+"/", false, remove)
			if err != nil {
				return nil, err
			}
			kept = append(kept, k...)
			if err := dropIfEmpty(p, remove); err != nil {
				return nil, err
			}
		case e.IsDir() && (name == RunsDir || name == PlotsDir || w.listedDirs[name] || name == FitProposalsDir && w.fit):
			inner, err := os.ReadDir(p)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", p, err)
			}
			for _, f := range inner {
				rel := name + "/" + f.Name()
				switch {
				case f.Type().IsRegular() && w.ours(rel):
					if err := drop(filepath.Join(p, f.Name())); err != nil {
						return nil, err
					}
				case f.IsDir():
					kept = append(kept, prefix+rel+"/")
				default:
					kept = append(kept, prefix+rel)
				}
			}
			if err := dropIfEmpty(p, remove); err != nil {
				return nil, err
			}
		case e.Type().IsRegular() && w.ours(name):
			if err := drop(p); err != nil {
				return nil, err
			}
		case e.IsDir():
			kept = append(kept, prefix+name+"/")
		default:
			kept = append(kept, prefix+name)
		}
	}
	return kept, nil
}

// dropIfEmpty removes the folder dir if remove is set and dir is empty.
func dropIfEmpty(dir string, remove bool) error {
	if !remove {
		return nil
	}
	left, err := os.ReadDir(dir)
	if err != nil || len(left) > 0 {
		return err
	}
	return os.Remove(dir)
}

// Kept lists what the output folder dir holds that triad did not write,
// and so never removes: hidden files and folders, logs/ and the user's
// own charts in plots/, as slash paths relative to dir (a folder with a
// trailing /), in the order of their names. After Prepare, Create or
// PrepareFit with force, it is what they kept, for the command to name.
func Kept(dir string) ([]string, error) {
	return sortOut(dir, false)
}

// KeptNote says what Kept lists, for a note once a folder was replaced:
// "kept in DIR what triad did not write: logs/, notes.txt", the first five
// entries and, after them, ", and 3 more"; "" when it kept nothing or
// cannot be read.
func KeptNote(dir string) string {
	kept, err := Kept(dir)
	if err != nil || len(kept) == 0 {
		return ""
	}
	if len(kept) > 5 {
		kept = append(kept[:5], fmt.Sprintf("and %d more", len(kept)-5))
	}
	return fmt.Sprintf("kept in %s what triad did not write: %s", dir, strings.Join(kept, ", "))
}

// maxRecognized is how much of an existing file PrepareFile shows to the
// function that recognizes a file of triad's.
const maxRecognized = 64 << 20

// PrepareFile makes sure path can take a file that triad writes whole,
// such as a baseline or the report of a check, by the rule of output
// folders: nothing may be there, or an empty file, or, replaced only when
// force is set, a file of the same kind that triad wrote, which ours
// recognizes from its contents (what names that kind in messages: "a
// baseline"). Anything else is never replaced, whatever force says: a
// file that ours does not recognize (a scenario, the user's notes), a
// folder or a link; the error then wraps ErrNotOurFile. A file of
// triad's without force gives an error wrapping ErrFileExists. It writes
// nothing: WriteFileAtomic does, once the contents are ready.
func PrepareFile(path, what string, force bool, ours func(io.Reader) bool) error {
	st, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return mark(err, ErrInaccessible)
	case !st.Mode().IsRegular():
		return &Advice{Err: mark(fmt.Errorf("%s exists and is not a regular file: triad will not replace it", path), ErrNotOurFile), Fix: FixOtherFile}
	case st.Size() == 0:
		return nil
	}
	f, err := openRegular(path, what, -1)
	if err != nil {
		return mark(err, ErrInaccessible)
	}
	defer f.Close()
	// What tells a file of triad's is at its start: ours never needs more
	// than the largest file of a kind that triad reads back.
	if !ours(io.LimitReader(f, maxRecognized)) {
		return &Advice{Err: mark(fmt.Errorf("%s exists and is not %s that triad wrote: triad will not replace it", path, what), ErrNotOurFile), Fix: FixNeverReplaced}
	}
	if !force {
		return &Advice{Err: mark(fmt.Errorf("%s exists (%s that triad wrote)", path, what), ErrFileExists), Fix: FixReplaceFile}
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
// ok, and hidden entries (temporary files among them), which triad keeps.
func onlyNames(dir string, ok func(string) bool) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !isHidden(e.Name()) && !(e.Type().IsRegular() && ok(e.Name())) {
			return false
		}
	}
	return true
}

// PrepareFit makes sure dir can take a fit, by the rules of Prepare: it
// must not exist, be empty (but for job logs in LogsDir), or be a fit's folder that triad wrote (see
// Owned), replaced only when force is set. It removes the files triad
// wrote there and keeps the rest, as Prepare does, and leaves dir in
// place.
func PrepareFit(dir, home string, force bool) error {
	entries, err := os.ReadDir(dir)
	// Job logs alone (a fit submitted to a cluster writes them first)
	// leave the folder empty.
	entries = slices.DeleteFunc(entries, func(e os.DirEntry) bool {
		return e.IsDir() && e.Name() == LogsDir && onlyNames(filepath.Join(dir, LogsDir), isLogName)
	})
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return mark(fmt.Errorf("output folder: %w", err), ErrInaccessible)
	case len(entries) > 0:
		if !IsFile(filepath.Join(dir, FitName)) && !IsFile(filepath.Join(dir, FitStateName)) {
			// A run's or a comparison's folder is ours, but not a fit's.
			return &Advice{Err: fmt.Errorf("output folder %s exists and holds no %s: triad will not replace it: %w", dir, FitName, ErrNotOurFolder), Dir: dir, Fix: FixOtherFolder}
		}
		if err := Owned(dir, home); err != nil {
			return &Advice{Err: fmt.Errorf("output folder %s exists and triad will not replace it: %w", dir, err), Dir: dir, Fix: FixOtherFolder}
		}
		if !force {
			if !IsFile(filepath.Join(dir, FitName)) {
				return &Advice{Err: mark(fmt.Errorf("output folder %s holds an unfinished fit", dir), ErrExists), Dir: dir, Fix: FixResumeFitOrReplace}
			}
			return &Advice{Err: mark(fmt.Errorf("output folder %s exists", dir), ErrExists), Dir: dir, Fix: FixReplace}
		}
		if _, err := sortOut(dir, true); err != nil {
			return err
		}
	}
	return os.MkdirAll(dir, 0o755)
}

// Prepare makes sure dir can take a new run: it must not exist, be empty,
// or be an output folder that triad wrote (see Owned, to which home is
// passed), replaced only when force is set. Replacing removes only the
// files triad wrote there and keeps what it did not (hidden files and
// folders, logs/, the user's charts in plots/; Kept lists them). It
// leaves dir with an empty runs/ folder. A folder that holds anything
// else is never replaced: the error wraps ErrNotOurFolder; one of ours
// without force wraps ErrExists.
func Prepare(dir, home string, force bool) error {
	entries, err := os.ReadDir(dir)
	entries = slices.DeleteFunc(entries, func(e os.DirEntry) bool { return e.Name() == LockName })
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return mark(fmt.Errorf("output folder: %w", err), ErrInaccessible)
	case len(entries) > 0:
		if err := Owned(dir, home); err != nil {
			return &Advice{Err: fmt.Errorf("output folder %s exists and triad will not replace it: %w", dir, err), Dir: dir, Fix: FixOtherFolder}
		}
		if !force {
			fix := FixReplace
			if m, err := ReadManifest(dir); err == nil && !m.Complete {
				fix = FixResumeOrReplace
			}
			return &Advice{Err: mark(fmt.Errorf("output folder %s exists", dir), ErrExists), Dir: dir, Fix: fix}
		}
		// What triad wrote, but the lock, which this process holds.
		if _, err := sortOut(dir, true); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, RunsDir), 0o755); err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	return nil
}

// removeTemps removes the temporary files that an interrupted write left in
// an output folder, its runs/ and its plots/: names that start with "."
// and hold ".tmp-", as WriteFileAtomic and Assemble make them. The caller
// must hold the folder's lock, or they may be another process's files being
// written.
func removeTemps(dir string) error {
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
