package main

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The container image is part of a release: these tests hold the
// Dockerfile to the project without a Docker daemon, by doing what its
// build stage does with the same files.

// An instruction is one instruction of a Dockerfile, its continuation
// lines joined, its arguments split at white space.
type instruction struct {
	Cmd  string // upper case: FROM, COPY, RUN, ...
	Args []string
	Line int
}

// A stage is a FROM of a Dockerfile and the instructions after it.
type stage struct {
	Name         string
	Instructions []instruction
}

// readDockerfile reads the stages of the Dockerfile at p.
func readDockerfile(p string) ([]stage, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var stages []stage
	var cur string
	start, n := 0, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") || line == "" && cur == "" {
			continue // comments, also within continued lines
		}
		if cur == "" {
			start = n
		}
		if s, ok := strings.CutSuffix(line, `\`); ok {
			cur += s + " "
			continue
		}
		cur += line
		fields := strings.Fields(cur)
		cur = ""
		in := instruction{Cmd: strings.ToUpper(fields[0]), Args: fields[1:], Line: start}
		switch {
		case in.Cmd == "FROM":
			s := stage{Name: fmt.Sprint(len(stages))}
			if len(in.Args) == 3 && strings.EqualFold(in.Args[1], "AS") {
				s.Name = in.Args[2]
			}
			stages = append(stages, s)
		case len(stages) == 0:
			if in.Cmd != "ARG" {
				return nil, fmt.Errorf("%s:%d: %s before FROM", p, in.Line, in.Cmd)
			}
		default:
			stages[len(stages)-1].Instructions = append(stages[len(stages)-1].Instructions, in)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(stages) == 0 {
		return nil, fmt.Errorf("%s: no FROM", p)
	}
	return stages, nil
}

// A copy is a COPY instruction: its sources, its destination and the
// stage it copies from ("" for the build context).
type copyInstr struct {
	From, Dest string
	Srcs       []string
	Line       int
}

// copies returns the COPY instructions of s, with their destinations made
// absolute against the WORKDIR in force, and the WORKDIR at the end.
func (s stage) copies() ([]copyInstr, string, error) {
	workdir := "/"
	var cs []copyInstr
	for _, in := range s.Instructions {
		switch in.Cmd {
		case "WORKDIR":
			if path.IsAbs(in.Args[0]) {
				workdir = path.Clean(in.Args[0])
			} else {
				workdir = path.Join(workdir, in.Args[0])
			}
		case "ADD":
			return nil, "", fmt.Errorf("line %d: ADD; the test knows only COPY", in.Line)
		case "COPY":
			c := copyInstr{Line: in.Line}
			args := in.Args
			for len(args) > 0 && strings.HasPrefix(args[0], "--") {
				if v, ok := strings.CutPrefix(args[0], "--from="); ok {
					c.From = v
				}
				args = args[1:]
			}
			if len(args) < 2 || strings.HasPrefix(args[0], "[") {
				return nil, "", fmt.Errorf("line %d: COPY %s: the test knows only COPY SRC... DEST", in.Line, strings.Join(in.Args, " "))
			}
			c.Srcs, c.Dest = args[:len(args)-1], args[len(args)-1]
			if !path.IsAbs(c.Dest) {
				// A destination ending in / (or .) is a folder.
				folder := strings.HasSuffix(c.Dest, "/") || c.Dest == "."
				c.Dest = path.Join(workdir, c.Dest)
				if folder {
					c.Dest += "/"
				}
			}
			cs = append(cs, c)
		}
	}
	return cs, workdir, nil
}

// A dockerignore is the patterns of a .dockerignore file, with Docker's
// meaning: a path is left out of the build context when the last pattern
// that matches it or one of its parent folders is not an exception (!).
type dockerignore []ignorePattern

type ignorePattern struct {
	re        *regexp.Regexp
	exception bool
}

// readDockerignore reads a .dockerignore file. It refuses the pattern
// syntax this test does not emulate (character classes, escapes).
func readDockerignore(p string) (dockerignore, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	var ig dockerignore
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var pat ignorePattern
		if s, ok := strings.CutPrefix(line, "!"); ok {
			pat.exception, line = true, strings.TrimSpace(s)
		}
		if strings.ContainsAny(line, `[\`) {
			return nil, fmt.Errorf("%s:%d: %q: the test does not emulate [ or \\ in patterns", p, i+1, line)
		}
		line = strings.TrimPrefix(path.Clean(line), "/")
		pat.re = regexp.MustCompile("^" + globRegexp(line) + "$")
		ig = append(ig, pat)
	}
	return ig, nil
}

// globRegexp translates a .dockerignore pattern into a regular expression,
// as Docker's pattern matcher does: ** is any number of folders (none
// included), * any characters but /, ? one such character.
func globRegexp(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '*' && i+1 < len(p) && p[i+1] == '*':
			i++
			if i+1 < len(p) && p[i+1] == '/' {
				i++
			}
			if i+1 == len(p) {
				b.WriteString(".*")
			} else {
				b.WriteString("(.*/)?")
			}
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return b.String()
}

// excludes reports whether the path p (relative to the context, with /)
// is left out of the build context.
func (ig dockerignore) excludes(p string) bool {
	parts := strings.Split(p, "/")
	excluded := false
	for _, pat := range ig {
		if pat.exception != excluded {
			continue // cannot change the verdict
		}
		match := pat.re.MatchString(p)
		for i := 1; !match && i < len(parts); i++ {
			match = pat.re.MatchString(strings.Join(parts[:i], "/"))
		}
		if match {
			excluded = !pat.exception
		}
	}
	return excluded
}

// hasExceptions reports whether some pattern is an exception, which may
// take back a file from an excluded folder.
func (ig dockerignore) hasExceptions() bool {
	return slices.ContainsFunc(ig, func(p ignorePattern) bool { return p.exception })
}

// contextFiles lists the regular files of the build context in dir, the
// folder less what ig leaves out, as slash paths relative to dir.
func contextFiles(dir string, ig dockerignore) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." {
			return err
		}
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir() && ig.excludes(rel) && !ig.hasExceptions():
			return filepath.SkipDir
		case d.Type().IsRegular() && !ig.excludes(rel):
			files = append(files, rel)
		}
		return nil
	})
	return files, err
}

// buildStage lays out in fsroot, which stands for the build stage's /,
// the files that the COPY instructions of st take from the build context
// (the files listed in context, found in dir). It returns the stage's
// final WORKDIR.
func buildStage(st stage, dir string, context []string, fsroot string) (string, error) {
	copies, workdir, err := st.copies()
	if err != nil {
		return "", err
	}
	for _, c := range copies {
		if c.From != "" {
			continue
		}
		for _, src := range c.Srcs {
			if strings.ContainsAny(src, "*?[") {
				return "", fmt.Errorf("line %d: COPY %s: the test does not emulate wildcards", c.Line, src)
			}
			src = strings.TrimPrefix(path.Clean(src), "/")
			var taken int
			for _, f := range context {
				var dst string
				switch {
				case src == ".":
					dst = path.Join(c.Dest, f)
				case f == src && (strings.HasSuffix(c.Dest, "/") || len(c.Srcs) > 1):
					dst = path.Join(c.Dest, path.Base(f))
				case f == src:
					dst = c.Dest
				case strings.HasPrefix(f, src+"/"):
					dst = path.Join(c.Dest, strings.TrimPrefix(f, src+"/"))
				default:
					continue
				}
				b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
				if err != nil {
					return "", err
				}
				to := filepath.Join(fsroot, filepath.FromSlash(dst))
				if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
					return "", err
				}
				if err := os.WriteFile(to, b, 0o644); err != nil {
					return "", err
				}
				taken++
			}
			if taken == 0 {
				return "", fmt.Errorf("line %d: COPY %s: not in the build context (missing, or left out by .dockerignore)", c.Line, src)
			}
		}
	}
	return workdir, nil
}

// TestDockerfileBuilds builds triad, offline from the module cache, from
// exactly the files that the Dockerfile's build stage copies from the
// build context (the project less .dockerignore), as its RUN line does; so
// a package or embedded file the image would lack fails here, without
// Docker. It also checks that what the final stage copies from the build
// stage is there: the binary the RUN line writes, LICENSE and
// THIRD_PARTY_NOTICES.
func TestDockerfileBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	stages, err := readDockerfile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if len(stages) != 2 {
		t.Fatalf("the Dockerfile has %d stages, want 2: build, and the image", len(stages))
	}
	ig, err := readDockerignore(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	context, err := contextFiles(root, ig)
	if err != nil {
		t.Fatal(err)
	}
	fsroot := t.TempDir()
	workdir, err := buildStage(stages[0], root, context, fsroot)
	if err != nil {
		t.Fatalf("Dockerfile: %v", err)
	}
	// The RUN line that builds triad: go build ... -o OUT ./cmd/triad.
	var out string
	for _, in := range stages[0].Instructions {
		if in.Cmd == "RUN" && slices.Contains(in.Args, "build") && slices.Contains(in.Args, "./cmd/triad") {
			if i := slices.Index(in.Args, "-o"); i >= 0 && i+1 < len(in.Args) {
				out = in.Args[i+1]
			}
		}
	}
	if !path.IsAbs(out) {
		t.Fatalf("the build stage has no RUN go build ... -o /PATH ./cmd/triad")
	}
	bin := filepath.Join(fsroot, filepath.FromSlash(out))
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, "./cmd/triad")
	cmd.Dir = filepath.Join(fsroot, filepath.FromSlash(workdir))
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOPROXY=off", "GOFLAGS=-mod=readonly", "GOWORK=off")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/triad from the files the Dockerfile copies (%d of them; offline, so run go mod download first): %v\n%s", len(context), err, b)
	}
	// The image's stage takes the binary, LICENSE and the notices.
	copies, _, err := stages[1].copies()
	if err != nil {
		t.Fatal(err)
	}
	var taken []string
	for _, c := range copies {
		if c.From != stages[0].Name {
			t.Errorf("line %d: the image copies from %q, want only from the build stage %q", c.Line, c.From, stages[0].Name)
			continue
		}
		for _, src := range c.Srcs {
			if _, err := os.Stat(filepath.Join(fsroot, filepath.FromSlash(src))); err != nil {
				t.Errorf("line %d: COPY --from=%s %s: the build stage has no such file", c.Line, c.From, src)
			}
			taken = append(taken, path.Base(src))
		}
	}
	for _, want := range []string{path.Base(out), "LICENSE", noticesName} {
		if !slices.Contains(taken, want) {
			t.Errorf("the image does not take %s from the build stage", want)
		}
	}
}

func TestDockerignore(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, ".dockerignore")
	writeFile(t, p, "# a comment\n.git\n/out\n*.test\n**/testdata\ndocs\n!docs/keep.md\n")
	ig, err := readDockerignore(p)
	if err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]bool{
		".git/HEAD": true, "out/a/b.csv": true, "cmd/out/x.go": false,
		"triad.test": true, "cmd/triad/triad.test": false,
		"testdata/a.yaml": true, "sim/testdata/regress/x.csv": true, "sim/testdatax.go": false,
		"docs/CLI.md": true, "docs/keep.md": false,
		"go.mod": false, "cmd/triad/main.go": false,
	} {
		if got := ig.excludes(file); got != want {
			t.Errorf("%s: excluded %v, want %v", file, got, want)
		}
	}
	writeFile(t, p, "[abc]\n")
	if _, err := readDockerignore(p); err == nil {
		t.Error("a character class gave no error, though the test does not emulate it")
	}
}

func TestBuildStageCopies(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"go.mod", "LICENSE", "cmd/triad/main.go", "sim/sim.go"} {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(f)), f)
	}
	df := filepath.Join(dir, "Dockerfile")
	writeFile(t, df, "FROM golang AS build\nWORKDIR /src\nCOPY go.mod ./\nCOPY cmd \\\n  cmd\nCOPY LICENSE /doc/L\n")
	stages, err := readDockerfile(df)
	if err != nil {
		t.Fatal(err)
	}
	fsroot := t.TempDir()
	workdir, err := buildStage(stages[0], dir, []string{"LICENSE", "cmd/triad/main.go", "go.mod", "sim/sim.go"}, fsroot)
	if err != nil || workdir != "/src" {
		t.Fatalf("workdir %q, %v", workdir, err)
	}
	var got []string
	filepath.WalkDir(fsroot, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			rel, _ := filepath.Rel(fsroot, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return err
	})
	want := []string{"doc/L", "src/cmd/triad/main.go", "src/go.mod"}
	if !slices.Equal(got, want) {
		t.Errorf("the stage holds %q, want %q (sim/ is not copied)", got, want)
	}
	writeFile(t, df, "FROM golang\nWORKDIR /src\nCOPY internal internal\n")
	stages, _ = readDockerfile(df)
	if _, err := buildStage(stages[0], dir, []string{"go.mod"}, t.TempDir()); err == nil || !strings.Contains(err.Error(), "not in the build context") {
		t.Errorf("COPY of a folder not in the context: %v", err)
	}
}

// writeFile writes text to p, making its folder.
func writeFile(t *testing.T, p, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestApptainerFiles checks that the files the Apptainer recipe packs are
// in the project, but for the binary, which make build writes before it.
func TestApptainerFiles(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "cluster", "apptainer", "triad.def"))
	if err != nil {
		t.Fatal(err)
	}
	in := false
	var srcs []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "%") {
			in = strings.TrimSpace(line) == "%files"
			continue
		}
		if f := strings.Fields(line); in && len(f) == 2 && !strings.HasPrefix(f[0], "#") {
			srcs = append(srcs, f[0])
		}
	}
	for _, want := range []string{"triad", "LICENSE", noticesName} {
		if !slices.Contains(srcs, want) {
			t.Errorf("triad.def's %%files %q lack %s", srcs, want)
		}
	}
	for _, src := range srcs {
		if src == "triad" {
			continue
		}
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(src))); err != nil {
			t.Errorf("triad.def packs %s: %v", src, err)
		}
	}
}
