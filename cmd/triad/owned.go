package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// errNotOurs marks a folder that triad did not write: --force never
// replaces it.
var errNotOurs = errors.New("not a triad output folder")

// fixedOutputNames are the entries that triad writes at the top of an
// output folder, whatever the manifest lists.
var fixedOutputNames = map[string]bool{
	manifestName: true, runsDir: true, "plots": true, reportName: true,
	"timeseries.csv": true, "summary.csv": true, "summary.json": true,
	"runs.csv": true, "points.csv": true, "innovations.csv": true,
	"compare.csv": true, "compare.json": true,
}

// ownedFolder returns nil when dir is an output folder that triad wrote
// and may replace: a manifest.json that triad can read and nothing but the
// files and folders triad writes beside it (or that its manifest lists),
// or only shard folders that are ours, an empty runs/ folder and
// temporary files (a run stopped before its manifest was written), or
// the files of a comparison (compare.json beside its tables and charts).
// Beside a manifest or shard folders, a logs/ folder of job logs (*.out,
// *.err, *.log, as the Slurm scripts write them) is ours too.
// Otherwise it returns an error wrapping errNotOurs that
// names what is foreign. The file system root and the home folder are
// never ours.
func ownedFolder(dir string) error {
	if reason := protectedFolder(dir); reason != "" {
		return fmt.Errorf("%s is %s: %w", dir, reason, errNotOurs)
	}
	listed := map[string]bool{}
	b, err := os.ReadFile(filepath.Join(dir, manifestName))
	hasManifest := err == nil
	if hasManifest {
		var m struct {
			Version *string           `json:"version"`
			Files   map[string]string `json:"files"`
		}
		if json.Unmarshal(b, &m) != nil || m.Version == nil {
			return fmt.Errorf("%s is not a triad manifest: %w", filepath.Join(dir, manifestName), errNotOurs)
		}
		for rel := range m.Files {
			top, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
			listed[top] = true
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s cannot be read: %w", filepath.Join(dir, manifestName), errNotOurs)
	}
	// A compare folder has no manifest: its compare.json marks it.
	known := hasManifest || isFile(filepath.Join(dir, "compare.json"))
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	// The job logs of a run (cluster/slurm writes them to OUT/logs/) mark
	// nothing as ours: a folder of logs alone is not a triad folder.
	runFolder := hasManifest
	for _, e := range entries {
		if _, shard := parseShardDirName(e.Name()); shard && e.IsDir() {
			runFolder = true
		}
	}
	var foreign []string
	for _, e := range entries {
		name := e.Name()
		_, shard := parseShardDirName(name)
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			foreign = append(foreign, name+" (a link)")
		case e.IsDir() && shard:
			if ownedFolder(filepath.Join(dir, name)) != nil {
				foreign = append(foreign, name+"/")
			}
		case isTempName(name), name == lockName:
		case name == runsDir && e.IsDir():
			if !onlyNames(filepath.Join(dir, name), isRunFileName) {
				foreign = append(foreign, name+"/ (files that are not run files)")
			}
		case name == "plots" && e.IsDir() && known:
			if !onlyNames(filepath.Join(dir, name), isChartName) {
				foreign = append(foreign, name+"/ (files that are not charts)")
			}
		case name == logsDir && e.IsDir() && runFolder:
			if !onlyNames(filepath.Join(dir, name), isLogName) {
				foreign = append(foreign, name+"/ (files that are not job logs)")
			}
		case known && (fixedOutputNames[name] || listed[name]):
		default:
			foreign = append(foreign, name)
		}
	}
	if len(foreign) > 0 {
		if len(foreign) > 5 {
			foreign = append(foreign[:5], fmt.Sprintf("and %d more", len(foreign)-5))
		}
		return fmt.Errorf("%s holds files that triad did not write (%s): %w", dir, strings.Join(foreign, ", "), errNotOurs)
	}
	return nil
}

// protectedFolder says why dir must never be replaced ("the file system
// root", "your home folder", "the current folder"), or returns "".
func protectedFolder(dir string) string {
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
	if home, err := os.UserHomeDir(); err == nil {
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

// isTempName reports whether name is that of a temporary file triad
// writes before renaming it into place (".summary.csv.tmp-123").
func isTempName(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp-")
}

func isRunFileName(name string) bool {
	_, ok := parseRunFileName(name)
	return ok
}

// logsDir is the folder of job logs in an output folder.
const logsDir = "logs"

// isLogName reports whether name is that of a job log: the Slurm scripts
// write %x-%A_%a.out, and a site may split out .err or prefer .log.
func isLogName(name string) bool {
	ext := filepath.Ext(name)
	return ext == ".out" || ext == ".err" || ext == ".log"
}

func isChartName(name string) bool {
	ext := filepath.Ext(name)
	return ext == ".png" || ext == ".svg"
}
