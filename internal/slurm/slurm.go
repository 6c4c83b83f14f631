// Package slurm asks the Slurm batch engine which tasks of triad's shard
// arrays (job name triad-shard, as cluster/slurm/submit.sh names them) it
// holds, so that triad status tells a queued shard from a missing one. It
// runs squeue and reads its lines; it imports only the standard library
// (package runs, which runs no programs, classifies the shards).
package slurm

import (
	"os/exec"
	"strconv"
	"strings"
)

// Squeue lists the user's triad shard tasks in Slurm, one "INDEX STATE"
// per line; a variable so that tests can stand in for Slurm. It returns
// ok false when squeue is not on PATH or fails.
var Squeue = func() (out []byte, ok bool) {
	path, err := exec.LookPath("squeue")
	if err != nil {
		return nil, false
	}
	out, err = exec.Command(path, "--me", "--noheader", "--array", "--name=triad-shard", "--format=%K %T").Output()
	return out, err == nil
}

// Queued returns what Slurm holds of the triad-shard array tasks (see
// Parse), and whether Slurm could be asked.
func Queued() (map[int]string, bool) {
	out, ok := Squeue()
	if !ok {
		return nil, false
	}
	return Parse(out), true
}

// Parse reads squeue's "INDEX STATE" lines of the triad-shard array
// tasks: by shard index, "queued" for a task that Slurm holds pending and
// "starting" for one it runs (which has not yet taken its shard's
// folder). Other lines are skipped. It cannot tell the arrays of two
// sharded runs apart.
func Parse(squeue []byte) map[int]string {
	q := map[int]string{}
	for line := range strings.Lines(string(squeue)) {
		f := strings.Fields(line)
		if len(f) != 2 {
			continue
		}
		i, err := strconv.Atoi(f[0])
		if err != nil {
			continue
		}
		switch f[1] {
		case "PENDING", "REQUEUED", "REQUEUE_HOLD", "CONFIGURING":
			q[i] = "queued"
		case "RUNNING", "COMPLETING":
			q[i] = "starting"
		}
	}
	return q
}
