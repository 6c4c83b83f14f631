package slurm

import (
	"maps"
	"testing"
)

func TestParse(t *testing.T) {
	out := "3 PENDING\n4 RUNNING\n5 COMPLETED\n6 REQUEUE_HOLD\nx PENDING\n7\n8 COMPLETING extra\n9 CONFIGURING\r\n10 COMPLETING\n"
	got := Parse([]byte(out))
	want := map[int]string{3: "queued", 4: "starting", 6: "queued", 9: "queued", 10: "starting"}
	if !maps.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestQueued checks what Queued makes of squeue: nothing asked when it
// cannot be run, else its lines parsed.
func TestQueued(t *testing.T) {
	old := Squeue
	t.Cleanup(func() { Squeue = old })
	for _, tc := range []struct {
		name   string
		out    string
		ok     bool
		queued map[int]string
	}{
		{"no squeue", "", false, nil},
		{"nothing queued", "", true, map[int]string{}},
		{"two tasks", "1 PENDING\n2 RUNNING\n", true, map[int]string{1: "queued", 2: "starting"}},
	} {
		Squeue = func() ([]byte, bool) { return []byte(tc.out), tc.ok }
		q, ok := Queued()
		if ok != tc.ok || !maps.Equal(q, tc.queued) || (q == nil) != (tc.queued == nil) {
			t.Errorf("%s: Queued() = %v, %v; want %v, %v", tc.name, q, ok, tc.queued, tc.ok)
		}
	}
}
