package scenarios

import (
	"strings"
	"testing"
)

// TestOldNameIsReadWithANote checks that a file written with replications,
// the old name of replications, loads as if it said replications, with a
// note at the key; and that a file giving both names is refused at the
// old one.
func TestOldNameIsReadWithANote(t *testing.T) {
	const body = "steps: 12\nregions:\n  - id: a\n    p: 0.01\n    cities:\n      - {id: a1, firms: 20}\n"
	tests := []struct {
		name, src string
		reps      int
		note, err string
	}{
		{"new name", "replications: 3\n" + body, 3, "", ""},
		{"old name", "replicates: 3\n" + body, 3, "old.yaml:1:1: replicates: read as replications, its new name; rename it (the old name is still read)", ""},
		{"old name out of range", "replicates: 0\n" + body, 0, "", "old.yaml:1:13: replications: 0 is outside [1, 100000] (a whole number)"},
		{"both names", "replications: 3\nreplicates: 4\n" + body, 0, "", "old.yaml:2:1: replicates: is the old name of replications, which the file gives too; keep replications"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, notes, err := LoadNoted("old.yaml", []byte(tt.src), DefaultCaps)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Replicates != tt.reps {
				t.Errorf("got %d replications, want %d", cfg.Replicates, tt.reps)
			}
			got := ""
			if len(notes) > 0 {
				got = notes.Error()
			}
			if got != tt.note {
				t.Errorf("got note %q, want %q", got, tt.note)
			}
		})
	}
}
