package runs

import "testing"

func TestShardCommand(t *testing.T) {
	for _, tc := range []struct {
		name     string
		recorded []string
		want     string
	}{
		{"auto index becomes the shard's", []string{"triad", "run", "three-hubs", "--shard", "auto/8", "--out", "out/big"}, "triad run three-hubs --shard 3/8 --out out/big"},
		{"the = form", []string{"triad", "run", "my.yaml", "--shard=auto/8"}, "triad run my.yaml --shard=3/8"},
		{"arguments with spaces are quoted", []string{"triad", "run", "x.yaml", "--shard", "0/8", "--policy", "at=2,name=a b,diffusion.q=0.3"}, "triad run x.yaml --shard 3/8 --policy 'at=2,name=a b,diffusion.q=0.3'"},
		{"no recorded command", nil, ""},
		{"no --shard", []string{"triad", "run", "x.yaml"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ShardCommand(tc.recorded, 3, 8); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestShardSetCommand checks the command line of a shard as its siblings
// were started: none while no shard has a manifest, else the first
// manifest's command with the shard's index and the set's count.
func TestShardSetCommand(t *testing.T) {
	started := &ShardFolder{Man: &Manifest{Program: Program{Command: []string{"triad", "run", "x.yaml", "--shard", "0/4"}}}}
	for _, tc := range []struct {
		name string
		set  ShardSet
		want string
	}{
		{"no shard started", ShardSet{Count: 4}, ""},
		{"a shard started", ShardSet{Count: 4, Ref: started}, "triad run x.yaml --shard 2/4"},
		{"its command named no shard", ShardSet{Count: 4, Ref: &ShardFolder{Man: &Manifest{}}}, ""},
	} {
		if got := tc.set.Command(2); got != tc.want {
			t.Errorf("%s: Command(2) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
