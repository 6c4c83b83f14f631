package fit

import "testing"

// TestSettingsCheck checks that Check names the first setting out of its
// range, in the order the command line checks them, with its limits and
// the value given, and passes settings at their limits.
func TestSettingsCheck(t *testing.T) {
	ok := Settings{Particles: 200, Generations: 6, Quantile: 0.5, Seeds: SeedsFresh, Workers: 1}
	tests := []struct {
		name         string
		change       func(*Settings)
		replications int
		want         string // "" for none
	}{
		{"defaults", func(*Settings) {}, 5, ""},
		{"at the limits", func(s *Settings) { s.Particles, s.Generations, s.Seeds = 100_000, 1_000, SeedsCommon }, 1, ""},
		{"one particle", func(s *Settings) { s.Particles = 1 }, 5, "particles must be from 2 to 100000, got 1"},
		{"too many particles", func(s *Settings) { s.Particles = 100_001 }, 5, "particles must be from 2 to 100000, got 100001"},
		{"no generation", func(s *Settings) { s.Generations = 0 }, 5, "generations must be from 1 to 1000, got 0"},
		{"quantile 1", func(s *Settings) { s.Quantile = 1 }, 5, "quantile must be between 0 and 1, got 1"},
		{"quantile 0", func(s *Settings) { s.Quantile = 0 }, 5, "quantile must be between 0 and 1, got 0"},
		{"no replication", func(*Settings) {}, 0, "replications must be at least 1, got 0"},
		{"seeds", func(s *Settings) { s.Seeds = "same" }, 5, `seeds must be fresh or common, got "same"`},
		{"particles first", func(s *Settings) { s.Particles, s.Seeds = 1, "same" }, 0, "particles must be from 2 to 100000, got 1"},
		{"replications before seeds", func(s *Settings) { s.Seeds = "same" }, 0, "replications must be at least 1, got 0"},
	}
	for _, tc := range tests {
		s := ok
		tc.change(&s)
		got := ""
		if err := s.Check(tc.replications); err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}
