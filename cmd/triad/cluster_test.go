package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/goccy/go-yaml"
)

// job is the part of a Kubernetes Job that the files in cluster/kubernetes
// must get right.
type job struct {
	Kind string `yaml:"kind"`
	Spec struct {
		CompletionMode string `yaml:"completionMode"`
		Completions    int    `yaml:"completions"`
		Template       struct {
			Spec struct {
				RestartPolicy string `yaml:"restartPolicy"`
				Containers    []struct {
					Args []string `yaml:"args"`
				} `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

func readJob(t *testing.T, name string) job {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "cluster", "kubernetes", name))
	if err != nil {
		t.Fatal(err)
	}
	var j job
	if err := yaml.Unmarshal(b, &j); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if j.Kind != "Job" || len(j.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("%s: kind %q with %d containers, want a Job with one", name, j.Kind, len(j.Spec.Template.Spec.Containers))
	}
	return j
}

// flagValue returns the value after flag in args.
func flagValue(args []string, flag string) string {
	if i := slices.Index(args, flag); i >= 0 && i+1 < len(args) {
		return args[i+1]
	}
	return ""
}

// TestKubernetesJobs checks that the Indexed Job runs every shard once,
// that its N agrees with --shard auto/N, that its arguments are flags of
// triad run, and that the merge job reads the folder the shards write.
func TestKubernetesJobs(t *testing.T) {
	shards := readJob(t, "shards.yaml")
	args := shards.Spec.Template.Spec.Containers[0].Args
	if shards.Spec.CompletionMode != "Indexed" {
		t.Errorf("shards.yaml: completionMode %q, want Indexed", shards.Spec.CompletionMode)
	}
	if shards.Spec.Template.Spec.RestartPolicy != "Never" {
		t.Errorf("shards.yaml: restartPolicy %q, want Never (backoffLimitPerIndex needs it)", shards.Spec.Template.Spec.RestartPolicy)
	}
	if len(args) < 2 || args[0] != "run" {
		t.Fatalf("shards.yaml: args %q, want triad run SCENARIO ...", args)
	}
	n := shards.Spec.Completions
	for i := range n {
		sh, from, err := parseShard(flagValue(args, "--shard"), func(k string) string {
			if k == "JOB_COMPLETION_INDEX" {
				return strconv.Itoa(i)
			}
			return ""
		})
		if err != nil || sh.Index != i || sh.Count != n || from != "JOB_COMPLETION_INDEX" {
			t.Errorf("shards.yaml: pod %d of %d runs shard %+v from %q (%v)", i, n, sh, from, err)
		}
	}
	var o runOptions
	fs := newFlags(&env{}, "run")
	o.addFlags(fs)
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 1 {
		t.Errorf("shards.yaml: %q are not a scenario and triad run flags: %v", args[1:], err)
	}
	merge := readJob(t, "merge.yaml")
	margs := merge.Spec.Template.Spec.Containers[0].Args
	if len(margs) != 2 || margs[0] != "merge" || margs[1] != flagValue(args, "--out") {
		t.Errorf("merge.yaml: args %q, want [merge %s]", margs, flagValue(args, "--out"))
	}
}
