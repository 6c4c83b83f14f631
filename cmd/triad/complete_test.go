package main

import (
	"bytes"
	"context"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// completeOut runs `triad __complete words...` in-process and returns
// the candidates and the directive line.
func completeOut(t *testing.T, words ...string) ([]string, string) {
	t.Helper()
	out := runTriad(t, append([]string{"__complete"}, words...)...)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, ":") {
		t.Fatalf("__complete %q: the last line %q is not the directive", words, last)
	}
	return lines[:len(lines)-1], strings.TrimPrefix(last, ":")
}

func TestCompleteCandidates(t *testing.T) {
	cases := []struct {
		name      string
		words     []string
		want      []string // among the candidates
		notWant   []string
		directive string
	}{
		{"command names", []string{"r"}, []string{"run", "report"}, []string{"list", "__complete"}, ""},
		{"every command", []string{""}, []string{"completion", "status", "version", "help"}, []string{"__complete"}, ""},
		{"flags of run", []string{"run", "three-hubs", "--s"}, []string{"--seed", "--set", "--sweep", "--steps", "--shard"}, []string{"--out"}, ""},
		{"flags of validate", []string{"validate", "--"}, []string{"--json", "--allow-large", "--help"}, []string{"--seed"}, ""},
		{"built-in scenarios for run", []string{"run", "th"}, []string{"three-hubs"}, []string{"bass"}, "yaml"},
		{"built-in scenarios after a flag's value", []string{"run", "--seed", "4", "b"}, []string{"bass", "blueprint"}, nil, "yaml"},
		{"standard input for validate", []string{"validate", ""}, []string{"-", "three-hubs"}, nil, "yaml"},
		{"show takes built-ins only", []string{"show", ""}, []string{"three-hubs"}, nil, ""},
		{"set paths of three-hubs without a scenario", []string{"run", "--set", "regions.g"}, []string{"regions.gba.p=", "regions.gba.pull="}, []string{"regions.bth.p="}, "nospace"},
		{"set paths of the scenario given", []string{"run", "testdata/golden/small.yaml", "--set", "cities."}, []string{"cities.far.firms=", "cities.works.transform="}, []string{"cities.shenzhen.firms="}, "nospace"},
		{"set paths in the flag's word", []string{"run", "--set=diffusion."}, []string{"--set=diffusion.q=", "--set=diffusion.k=", "--set=diffusion.mixing="}, nil, "nospace"},
		{"link paths", []string{"check", "three-hubs", "--set", "links.b"}, []string{"links.bth-gba.friction="}, nil, "nospace"},
		{"sweep paths are numeric", []string{"run", "--sweep", ""}, []string{"diffusion.q=", "regions.yrd.reach="}, []string{"seed=", "steps=", "diffusion.mixing="}, "nospace"},
		{"sensitivity parameters are numeric", []string{"sensitivity", "three-hubs", "--param", "regions.yrd."}, []string{"regions.yrd.reach=", "regions.yrd.p="}, []string{"steps=", "diffusion.mixing="}, "nospace"},
		{"sensitivity methods", []string{"sensitivity", "--method", ""}, []string{"morris", "sobol"}, nil, ""},
		{"built-in scenarios for sensitivity", []string{"sensitivity", "th"}, []string{"three-hubs"}, []string{"bass"}, "yaml"},
		{"policy keys", []string{"compare", "three-hubs", "no-connector", "--policy", "at=3,regions.gba."}, []string{"at=3,regions.gba.p=", "at=3,regions.gba.pull="}, nil, "nospace"},
		{"policy paths that a policy may change", []string{"run", "--policy", "at=3,cities.shenzhen."}, []string{"at=3,cities.shenzhen.transform="}, []string{"at=3,cities.shenzhen.firms="}, "nospace"},
		{"metrics", []string{"compare", "--metric", "t5"}, []string{"t50", "t50_km"}, nil, ""},
		{"output folder", []string{"run", "three-hubs", "--out", ""}, nil, nil, "dirs"},
		{"shells", []string{"completion", ""}, []string{"bash", "zsh", "fish"}, nil, ""},
		{"help's command", []string{"help", "st"}, []string{"status"}, []string{"run"}, ""},
		{"status takes a folder", []string{"status", ""}, nil, nil, "dirs"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, dir := completeOut(t, c.words...)
			for _, w := range c.want {
				if !slices.Contains(got, w) {
					t.Errorf("candidates of %q lack %q; got %q", c.words, w, got)
				}
			}
			for _, w := range c.notWant {
				if slices.Contains(got, w) {
					t.Errorf("candidates of %q hold %q", c.words, w)
				}
			}
			if dir != c.directive {
				t.Errorf("directive of %q is %q, want %q", c.words, dir, c.directive)
			}
		})
	}
}

// TestEveryCommandHasFlags guards flagsOf: every command must define its
// flags and call parse before it does anything.
func TestEveryCommandHasFlags(t *testing.T) {
	for _, c := range commands {
		if fs := flagsOf(c.name); fs == nil || fs.Name() != c.name {
			t.Errorf("flagsOf(%q) = %v", c.name, fs)
		}
	}
}

func TestCompletionScripts(t *testing.T) {
	for _, sh := range shells {
		if out := runTriad(t, "completion", sh); !strings.Contains(out, "__complete") {
			t.Errorf("the %s script does not call __complete", sh)
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"completion", "tcsh"}, &stdout, &stderr); code != exitUsage {
		t.Errorf("completion tcsh: exit %d, want %d", code, exitUsage)
	}
}

// TestBashCompletion loads the bash script into bash, as a user would,
// and completes a few command lines through it. The triad that bash runs
// is this test binary, which TestMain (testscript.Main) puts first on PATH
// under that name, so no binary is built.
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	if _, err := exec.LookPath("triad"); err != nil {
		t.Fatalf("triad is not on PATH, where TestMain puts this test binary: %v", err)
	}
	sh := func(script string) string {
		t.Helper()
		out, err := exec.Command(bash, "--norc", "--noprofile", "-c", script).CombinedOutput()
		if err != nil {
			t.Fatalf("bash -c %q: %v\n%s", script, err, out)
		}
		return string(out)
	}
	if out := sh(`source <(triad completion bash); complete -p triad`); !strings.Contains(out, "-F _triad triad") {
		t.Errorf("complete -p triad printed %q", out)
	}
	// complete mimics bash: COMP_WORDS split at = as bash splits them.
	cases := []struct {
		line  string
		words string // COMP_WORDS as bash would split the line
		want  string
	}{
		{"triad ru", "(triad ru)", "run"},
		{"triad run three-hubs --set regions.gba.pu", "(triad run three-hubs --set regions.gba.pu)", "regions.gba.pull="},
		{"triad run --set=diffusion.", "(triad run --set = diffusion.)", "diffusion.q="},
		{"triad rnu three-hubs --sweep diffusion.", "(triad rnu three-hubs --sweep diffusion.)", ""},
	}
	for _, c := range cases {
		script := `source <(triad completion bash)
COMP_LINE='` + c.line + `'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=` + c.words + `; COMP_CWORD=$((${#COMP_WORDS[@]}-1))
_triad; printf '%s\n' "${COMPREPLY[@]}"`
		out := sh(script)
		if c.want == "" {
			if strings.TrimSpace(out) != "" {
				t.Errorf("%s: got %q, want nothing", c.line, out)
			}
			continue
		}
		if !slices.Contains(strings.Split(out, "\n"), c.want) {
			t.Errorf("%s: completions %q lack %q", c.line, out, c.want)
		}
	}
}
