package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// root is the project's folder, from this package's.
const root = "../.."

// TestNoticesAreCurrent holds THIRD_PARTY_NOTICES to the modules linked
// into triad and the assets checked into the project: a new or updated
// dependency fails here until make notices has been run.
func TestNoticesAreCurrent(t *testing.T) {
	if err := checkNotices(root); err != nil {
		t.Fatal(err)
	}
}

// TestNoticesHoldTheVendoredAssets checks that the notices carry the
// licences of what triad embeds besides Go code: the Liberation fonts of
// the charts (through gonum/plot) and uPlot, the explorer's charts, and
// that freetype is credited under the licence triad chose.
func TestNoticesHoldTheVendoredAssets(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, noticesName))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, want := range []string{
		"gonum.org/v1/plot", "codeberg.org/go-fonts/liberation", "SIL OPEN FONT LICENSE Version 1.1",
		"uPlot 1.6.32", "Copyright (c) 2022 Leon Sorokin",
		"Portions of this software are copyright © The FreeType Project",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("%s lacks %q", noticesName, want)
		}
	}
	if strings.Contains(text, "--- licenses/gpl.txt") {
		t.Errorf("%s holds freetype's GPL, which triad does not use it under", noticesName)
	}
}

// TestEveryVendoredFolderIsKnown finds the folders of assets checked into
// the project (under a folder named vendor) and checks that each is one of
// vendored, whose licences go into the notices.
func TestEveryVendoredFolderIsKnown(t *testing.T) {
	var found []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		switch d.Name() {
		case ".git", "out", "dist", "testdata", "node_modules":
			return filepath.SkipDir
		}
		if filepath.Base(filepath.Dir(p)) == "vendor" {
			rel, _ := filepath.Rel(root, p)
			found = append(found, filepath.ToSlash(rel))
			return filepath.SkipDir
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) == 0 {
		t.Fatal("found no vendored folder; uPlot's is internal/serve/static/vendor/uplot")
	}
	for _, f := range found {
		if !slices.ContainsFunc(vendored, func(v struct{ Name, Dir, Home, PURL, Licence string }) bool { return v.Dir == f }) {
			t.Errorf("%s is vendored but not in the list of vendored assets, so its licence is not in %s", f, noticesName)
		}
	}
}

func TestLicenceTexts(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"LICENSE":                "MIT\n",
		"COPYING.txt":            "copying\n",
		"README.md":              "not a licence\n",
		"licenses/ftl.txt":       "copyright \xa9 1996\n", // Latin-1
		"licenses/gpl.txt":       "GPL\n",
		"docs/LICENSE-elsewhere": "not at the top\n",
		"src/README":             "no licence here\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := licenceTexts(dir, []string{"licenses/gpl.txt"})
	if err != nil {
		t.Fatal(err)
	}
	want := []licenceText{{"COPYING.txt", "copying\n"}, {"LICENSE", "MIT\n"}, {"licenses/ftl.txt", "copyright © 1996\n"}}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := licenceTexts(filepath.Join(dir, "src"), nil); err == nil {
		t.Error("a folder without a licence file at its top gave no error")
	}
}

func TestSameNotices(t *testing.T) {
	want := "THIRD-PARTY NOTICES\n\n- a v1\n- b v2\n"
	if err := sameNotices([]byte(want), want); err != nil {
		t.Errorf("the same text: %v", err)
	}
	err := sameNotices([]byte("THIRD-PARTY NOTICES\n\n- a v1\n"), want)
	if !errors.Is(err, errStaleNotices) || !strings.Contains(err.Error(), "line 4") {
		t.Errorf("a file without b: %v, want %v on line 4", err, errStaleNotices)
	}
}
