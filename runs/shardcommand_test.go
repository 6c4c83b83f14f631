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
