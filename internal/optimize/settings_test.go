package optimize

import "testing"

// TestSettingsCheck checks that Check names the first setting out of its
// range, in the order the command line checks them, with its limits and
// the value given, and passes settings at their limits.
func TestSettingsCheck(t *testing.T) {
	tests := []struct {
		name string
		s    Settings
		want string // "" for none
	}{
		{"defaults", Settings{Evaluations: 1500, Replications: 4, Fresh: 20, Top: 5}, ""},
		{"at the limits", Settings{Evaluations: 1, Replications: 1000, Fresh: 2, Top: 50}, ""},
		{"one replication", Settings{Evaluations: 1500, Replications: 1, Fresh: 20, Top: 5}, "replications must be from 2 to 1000, got 1"},
		{"too many fresh", Settings{Evaluations: 1500, Replications: 4, Fresh: 1001, Top: 5}, "fresh must be from 2 to 1000, got 1001"},
		{"no top", Settings{Evaluations: 1500, Replications: 4, Fresh: 20, Top: 0}, "top must be from 1 to 50, got 0"},
		{"too many top", Settings{Evaluations: 1500, Replications: 4, Fresh: 20, Top: 51}, "top must be from 1 to 50, got 51"},
		{"no evaluation", Settings{Evaluations: 0, Replications: 4, Fresh: 20, Top: 5}, "evaluations must be at least 1, got 0"},
		{"replications first", Settings{Evaluations: 0, Replications: 0, Fresh: 0, Top: 0}, "replications must be from 2 to 1000, got 0"},
		{"top before evaluations", Settings{Evaluations: 0, Replications: 4, Fresh: 20, Top: 0}, "top must be from 1 to 50, got 0"},
	}
	for _, tc := range tests {
		got := ""
		if err := tc.s.Check(); err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}
