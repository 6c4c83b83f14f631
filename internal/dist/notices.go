package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
)

// A third is a piece of others' software in the triad program, with the
// texts of its licences.
type third struct {
	Name    string // module path, or the name of a vendored asset
	Version string
	Home    string // where to read about it
	Note    string // what it is to triad and under which licence, when that needs saying
	Texts   []licenceText

	dir string // the folder of its files, such as the module's in the module cache
}

// A licenceText is one licence file of a third party.
type licenceText struct {
	File string // its name in the module or folder, with / between folders
	Text string
}

// vendored are the assets of others checked into the project (not Go
// modules), each in a folder whose VENDOR.md starts with "# NAME VERSION"
// and which holds its licence files. triad embeds them.
var vendored = []struct{ Name, Dir, Home, PURL, Licence string }{
	{"uPlot", "internal/serve/static/vendor/uplot", "https://github.com/leeoniya/uPlot", "pkg:npm/uplot", "MIT"},
}

// moduleNotes say what a module is to triad when its licence files alone
// would not, and which of its licence files do not apply.
var moduleNotes = map[string]struct {
	Note string
	Omit []string
}{
	"codeberg.org/go-fonts/liberation": {Note: "The Liberation fonts, which gonum/plot embeds in triad to draw the charts' text: " +
		"the fonts are under the SIL Open Font License 1.1 (LICENSE-SIL), the Go code that holds them under LICENSE."},
	"github.com/golang/freetype": {Note: "It offers the FreeType License or the GNU GPL version 2; triad uses it under the FreeType License (licenses/ftl.txt), " +
		"which asks for this credit: Portions of this software are copyright © The FreeType Project (www.freetype.org). All rights reserved.",
		Omit: []string{"licenses/gpl.txt"}},
}

// isLicenceFile reports whether a file at the top of a module's folder is
// one of its licence files.
func isLicenceFile(name string) bool {
	up := strings.ToUpper(name)
	for _, p := range []string{"LICENSE", "LICENCE", "COPYING", "NOTICE", "PATENTS"} {
		if strings.HasPrefix(up, p) {
			return true
		}
	}
	return false
}

// isLicenceDir reports whether a folder at the top of a module's folder
// holds licence files, each of which applies to some of its code.
func isLicenceDir(name string) bool {
	up := strings.ToUpper(name)
	return up == "LICENSES" || up == "LICENCES" || up == "THIRD_PARTY_LICENSES"
}

// licenceTexts reads the licence files of the module or asset in dir,
// sorted by name, leaving out those in omit. A text that is not UTF-8 is
// read as Latin-1, as older licence files are.
func licenceTexts(dir string, omit []string) ([]licenceText, error) {
	top, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range top {
		switch {
		case e.Type().IsRegular() && isLicenceFile(e.Name()):
			names = append(names, e.Name())
		case e.IsDir() && isLicenceDir(e.Name()):
			sub, err := os.ReadDir(filepath.Join(dir, e.Name()))
			if err != nil {
				return nil, err
			}
			for _, s := range sub {
				if s.Type().IsRegular() {
					names = append(names, e.Name()+"/"+s.Name())
				}
			}
		}
	}
	slices.Sort(names)
	var texts []licenceText
	for _, n := range names {
		if slices.Contains(omit, n) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(n)))
		if err != nil {
			return nil, err
		}
		texts = append(texts, licenceText{File: n, Text: toUTF8(b)})
	}
	if len(texts) == 0 {
		return nil, fmt.Errorf("%s: no licence file", dir)
	}
	return texts, nil
}

// toUTF8 returns b as text: itself when it is UTF-8, else read as Latin-1.
func toUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// goCommand runs the go command in root with extra environment variables
// and returns its standard output.
func goCommand(root string, env []string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return out, nil
}

// linkedModules lists the modules of others whose packages go into triad
// (./cmd/triad of the project in root) on any of the targets, sorted by
// path, with their folders in the module cache.
func linkedModules(root string, targets []string) ([]third, error) {
	const format = "{{with .Module}}{{if not .Main}}{{with .Replace}}{{.Path}}\t{{.Version}}\t{{.Dir}}{{else}}{{.Path}}\t{{.Version}}\t{{.Dir}}{{end}}{{end}}{{end}}"
	mods := map[string]third{}
	for _, p := range targets {
		goos, goarch, err := splitPlatform(p)
		if err != nil {
			return nil, err
		}
		out, err := goCommand(root, []string{"CGO_ENABLED=0", "GOOS=" + goos, "GOARCH=" + goarch}, "list", "-deps", "-f", format, "./cmd/triad")
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(bytes.NewReader(out))
		for sc.Scan() {
			f := strings.Split(sc.Text(), "\t")
			if len(f) != 3 {
				continue
			}
			if f[2] == "" {
				return nil, fmt.Errorf("module %s %s is not in the module cache: run go mod download", f[0], f[1])
			}
			mods[f[0]] = third{Name: f[0], Version: f[1], Home: "https://pkg.go.dev/" + f[0] + "@" + f[1], dir: f[2]}
		}
	}
	var list []third
	for _, name := range slices.Sorted(maps.Keys(mods)) {
		list = append(list, mods[name])
	}
	return list, nil
}

// thirdParties lists the software of others in triad: the Go standard
// library, the modules linked into triad on the release platforms, and the
// vendored assets, each with its licence texts.
func thirdParties(root string) ([]third, error) {
	goroot, err := goCommand(root, nil, "env", "GOROOT")
	if err != nil {
		return nil, err
	}
	std := third{Name: "The Go standard library", Home: "https://go.dev", Note: "Linked into every Go program."}
	if std.Texts, err = licenceTexts(strings.TrimSpace(string(goroot)), nil); err != nil {
		return nil, err
	}
	all := []third{std}
	mods, err := linkedModules(root, platforms)
	if err != nil {
		return nil, err
	}
	for _, m := range mods {
		n := moduleNotes[m.Name]
		m.Note = n.Note
		if m.Texts, err = licenceTexts(m.dir, n.Omit); err != nil {
			return nil, fmt.Errorf("module %s: %w", m.Name, err)
		}
		all = append(all, m)
	}
	for _, v := range vendored {
		dir := filepath.Join(root, filepath.FromSlash(v.Dir))
		version, err := vendoredVersion(dir, v.Name)
		if err != nil {
			return nil, err
		}
		t := third{Name: v.Name, Version: version, Home: v.Home, Note: "Checked into " + v.Dir + " and embedded in triad."}
		if t.Texts, err = licenceTexts(dir, nil); err != nil {
			return nil, err
		}
		all = append(all, t)
	}
	return all, nil
}

// vendoredVersion reads the version of the asset name from the first line
// of the VENDOR.md in dir, "# NAME VERSION".
func vendoredVersion(dir, name string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "VENDOR.md"))
	if err != nil {
		return "", err
	}
	first, _, _ := strings.Cut(string(b), "\n")
	v, ok := strings.CutPrefix(strings.TrimSpace(first), "# "+name+" ")
	if !ok || v == "" {
		return "", fmt.Errorf("%s: the first line is %q, want \"# %s VERSION\"", path.Join(dir, "VENDOR.md"), first, name)
	}
	return v, nil
}

// noticesText is THIRD_PARTY_NOTICES for the parties in all.
func noticesText(all []third) string {
	var b strings.Builder
	b.WriteString(`THIRD-PARTY NOTICES

The triad program (the binary of the release archives and of the container
image) contains the software of others listed below, each under its own
licence, whose texts follow. triad itself is under the BSD 3-Clause
licence in LICENSE.

This file is written by "make notices" from the modules that
"go list -deps ./cmd/triad" finds on the release platforms and from the
assets checked into the project; a test checks that it is current.

`)
	for _, t := range all {
		fmt.Fprintf(&b, "- %s\n", title(t))
	}
	for _, t := range all {
		fmt.Fprintf(&b, "\n%s\n%s\n%s\n", strings.Repeat("=", 76), title(t), t.Home)
		if t.Note != "" {
			fmt.Fprintf(&b, "\n%s\n", wrap(t.Note, 76))
		}
		for _, l := range t.Texts {
			fmt.Fprintf(&b, "\n--- %s\n\n%s\n", l.File, strings.TrimRight(strings.ReplaceAll(l.Text, "\r\n", "\n"), "\n \t"))
		}
	}
	return b.String()
}

// title names t with its version.
func title(t third) string {
	if t.Version == "" {
		return t.Name
	}
	return t.Name + " " + t.Version
}

// wrap breaks s into lines of at most width characters, between words.
func wrap(s string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(s) {
		if n > 0 && n+1+utf8.RuneCountInString(w) > width {
			b.WriteByte('\n')
			n = 0
		} else if n > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += utf8.RuneCountInString(w)
	}
	return b.String()
}

// notices returns the THIRD_PARTY_NOTICES that the project in root should
// have.
func notices(root string) (string, error) {
	all, err := thirdParties(root)
	if err != nil {
		return "", fmt.Errorf("third-party notices: %w", err)
	}
	return noticesText(all), nil
}

// writeNotices writes THIRD_PARTY_NOTICES of the project in root.
func writeNotices(root string) error {
	text, err := notices(root)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(root, noticesName), []byte(text), 0o644)
}

// errStaleNotices is returned when THIRD_PARTY_NOTICES is not what make
// notices would write.
var errStaleNotices = errors.New(noticesName + " is not current: run make notices and review its diff")

// checkNotices returns an error unless THIRD_PARTY_NOTICES of the project
// in root is current.
func checkNotices(root string) error {
	want, err := notices(root)
	if err != nil {
		return err
	}
	got, err := os.ReadFile(filepath.Join(root, noticesName))
	if err != nil {
		return err
	}
	return sameNotices(got, want)
}

// sameNotices returns errStaleNotices, with the first line that differs,
// unless got is want.
func sameNotices(got []byte, want string) error {
	if string(got) != want {
		return fmt.Errorf("%w (first difference on line %d)", errStaleNotices, firstDiffLine(string(got), want))
	}
	return nil
}

// firstDiffLine returns the first line, from 1, on which a and b differ.
func firstDiffLine(a, b string) int {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return i + 1
		}
	}
	return min(len(al), len(bl)) + 1
}
