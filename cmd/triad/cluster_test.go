package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// job is the part of a Kubernetes Job that the files in cluster/kubernetes
// must get right.
type job struct {
	Kind string `yaml:"kind"`
	Spec struct {
		CompletionMode          string `yaml:"completionMode"`
		Completions             int    `yaml:"completions"`
		TTLSecondsAfterFinished *int   `yaml:"ttlSecondsAfterFinished"`
		PodFailurePolicy        struct {
			Rules []podFailureRule `yaml:"rules"`
		} `yaml:"podFailurePolicy"`
		Template struct {
			Spec struct {
				RestartPolicy   string `yaml:"restartPolicy"`
				SecurityContext struct {
					RunAsNonRoot *bool `yaml:"runAsNonRoot"`
					RunAsUser    *int  `yaml:"runAsUser"`
					RunAsGroup   *int  `yaml:"runAsGroup"`
					FSGroup      *int  `yaml:"fsGroup"`
				} `yaml:"securityContext"`
				Containers []struct {
					Name            string   `yaml:"name"`
					Args            []string `yaml:"args"`
					SecurityContext struct {
						AllowPrivilegeEscalation *bool `yaml:"allowPrivilegeEscalation"`
					} `yaml:"securityContext"`
				} `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

// podFailureRule is a rule of a Job's podFailurePolicy.
type podFailureRule struct {
	Action      string `yaml:"action"`
	OnExitCodes *struct {
		ContainerName string `yaml:"containerName"`
		Operator      string `yaml:"operator"`
		Values        []int  `yaml:"values"`
	} `yaml:"onExitCodes"`
	OnPodConditions []struct {
		Type string `yaml:"type"`
	} `yaml:"onPodConditions"`
}

// onExit returns the action the policy of j takes when its container
// exits with code, as Kubernetes picks it: the first rule that matches,
// else Count. It also reports a rule that names another container.
func (j job) onExit(t *testing.T, name string, code int) string {
	t.Helper()
	container := j.Spec.Template.Spec.Containers[0].Name
	for _, r := range j.Spec.PodFailurePolicy.Rules {
		if r.OnExitCodes == nil {
			continue
		}
		if c := r.OnExitCodes.ContainerName; c != "" && c != container {
			t.Errorf("%s: a podFailurePolicy rule names container %q, the container is %q", name, c, container)
		}
		in := slices.Contains(r.OnExitCodes.Values, code)
		if in == (r.OnExitCodes.Operator == "In") {
			return r.Action
		}
	}
	return "Count"
}

// ignoresDisruptions reports whether j retries a pod that was evicted or
// preempted without counting it as a failure.
func (j job) ignoresDisruptions() bool {
	for _, r := range j.Spec.PodFailurePolicy.Rules {
		for _, c := range r.OnPodConditions {
			if c.Type == "DisruptionTarget" && r.Action == "Ignore" {
				return true
			}
		}
	}
	return false
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
// Every Job is deleted some time after it finished; the shards fail the
// Job at once on bad input (exit 2), which no retry can mend, retry an
// interrupted shard (130) without counting it, since it resumes, and count
// other failures; the status Job runs triad status on the same folder.
// Every pod runs as the image's non-root user, with the volume given to its
// group (fsGroup) and no privilege escalation.
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
		sh, from, err := parseShard("run", flagValue(args, "--shard"), func(k string) string {
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
	fs := newFlags("run")
	o.addFlags(fs)
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 1 {
		t.Errorf("shards.yaml: %q are not a scenario and triad run flags: %v", args[1:], err)
	}
	for code, want := range map[int]string{2: "FailJob", 130: "Ignore", 1: "Count", 137: "Count"} {
		if got := shards.onExit(t, "shards.yaml", code); got != want {
			t.Errorf("shards.yaml: exit code %d gets %s, want %s", code, got, want)
		}
	}
	if !shards.ignoresDisruptions() {
		t.Error("shards.yaml: an evicted or preempted pod counts as a failure; want it ignored (DisruptionTarget)")
	}
	merge := readJob(t, "merge.yaml")
	margs := merge.Spec.Template.Spec.Containers[0].Args
	if len(margs) != 2 || margs[0] != "merge" || margs[1] != flagValue(args, "--out") {
		t.Errorf("merge.yaml: args %q, want [merge %s]", margs, flagValue(args, "--out"))
	}
	if got := merge.onExit(t, "merge.yaml", 130); got != "Ignore" || !merge.ignoresDisruptions() {
		t.Errorf("merge.yaml: an interrupted merge gets %s, want it run again (Ignore), also on a disruption", got)
	}
	status := readJob(t, "status.yaml")
	sargs := status.Spec.Template.Spec.Containers[0].Args
	if len(sargs) != 2 || sargs[0] != "status" || sargs[1] != flagValue(args, "--out") {
		t.Errorf("status.yaml: args %q, want [status %s]", sargs, flagValue(args, "--out"))
	}
	uid, gid := imageUser(t)
	for name, j := range map[string]job{"shards.yaml": shards, "merge.yaml": merge, "status.yaml": status} {
		sc := j.Spec.Template.Spec.SecurityContext
		if sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot {
			t.Errorf("%s: runAsNonRoot is not true", name)
		}
		if sc.RunAsUser == nil || *sc.RunAsUser != uid || sc.RunAsGroup == nil || *sc.RunAsGroup != gid {
			t.Errorf("%s: runAsUser %v, runAsGroup %v, want the image's user %d:%d", name, deref(sc.RunAsUser), deref(sc.RunAsGroup), uid, gid)
		}
		if sc.FSGroup == nil || *sc.FSGroup != gid {
			t.Errorf("%s: fsGroup %v, want %d, so that the volume's files can be written by every pod", name, deref(sc.FSGroup), gid)
		}
		if ape := j.Spec.Template.Spec.Containers[0].SecurityContext.AllowPrivilegeEscalation; ape == nil || *ape {
			t.Errorf("%s: allowPrivilegeEscalation is not false", name)
		}
		if ttl := j.Spec.TTLSecondsAfterFinished; ttl == nil || *ttl < 600 {
			t.Errorf("%s: ttlSecondsAfterFinished %v, want one of at least 10 minutes, so that finished Jobs go but their logs can be read", name, ttl)
		}
		if j.Spec.Template.Spec.RestartPolicy != "Never" {
			t.Errorf("%s: restartPolicy %q, want Never (podFailurePolicy needs it)", name, j.Spec.Template.Spec.RestartPolicy)
		}
	}
}

// imageUser returns the user and group the image runs as: the Dockerfile's
// USER, which must give both by number (runAsNonRoot cannot check a name)
// and not be root.
func imageUser(t *testing.T) (uid, gid int) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	user := ""
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "USER" {
			user = f[1]
		}
	}
	u, g, _ := strings.Cut(user, ":")
	uid, err1 := strconv.Atoi(u)
	gid, err2 := strconv.Atoi(g)
	if err1 != nil || err2 != nil || uid == 0 || gid == 0 {
		t.Fatalf("the Dockerfile's last USER is %q, want UID:GID by number, not root", user)
	}
	return uid, gid
}

// deref returns *p, or nil when p is nil, for messages.
func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestKubernetesWait runs cluster/kubernetes/wait.sh against a stand-in
// kubectl: it ends as soon as the Job completes (0) or fails (1, with the
// reason), and gives up after its timeout.
func TestKubernetesWait(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	script, err := filepath.Abs(filepath.Join("..", "..", "cluster", "kubernetes", "wait.sh"))
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	// The stand-in answers the conditions query with $STATES, one call a
	// word ("-" for none yet), and the reason query with a fixed message.
	fake := `#!/usr/bin/env bash
case "$*" in
  *reason*) echo -n "PodFailurePolicy: Container triad for pod triad-shards-3 failed with exit code 2" ;;
  *) n=$(cat "$COUNT" 2>/dev/null || echo 0); echo $((n + 1)) >"$COUNT"
     read -ra s <<<"$STATES"; i=$((n < ${#s[@]} ? n : ${#s[@]} - 1)); [ "${s[$i]}" = - ] || echo -n "${s[$i]} " ;;
esac
`
	if err := os.WriteFile(filepath.Join(bin, "kubectl"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, states, timeout string
		code                  int
		want                  string
	}{
		{"a Job that completes", "- - SuccessCriteriaMet,Complete", "60", 0, "completed"},
		{"a Job that fails", "- FailureTarget FailureTarget,Failed", "60", 1, "exit code 2"},
		{"a Job that runs on", "-", "1", 1, "neither completed nor failed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(bash, script, "triad-shards", c.timeout)
			cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "POLL=0.1",
				"STATES="+strings.ReplaceAll(c.states, ",", " "), "COUNT="+filepath.Join(t.TempDir(), "n"))
			out, err := cmd.CombinedOutput()
			code := 0
			if ee, ok := errors.AsType[*exec.ExitError](err); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != c.code || !strings.Contains(string(out), c.want) {
				t.Errorf("exit %d with %q, want %d with %q", code, out, c.code, c.want)
			}
		})
	}
}
