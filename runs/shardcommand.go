package runs

import (
	"fmt"
	"slices"
	"strings"
)

// ShardCommand returns the command line of a shard as a sibling shard's
// manifest recorded it, with the shard index of its --shard set to i of n
// and quoted for a POSIX shell: what to run to redo shard i by hand. It
// returns "" when the manifest has no command or the command names no
// --shard.
func ShardCommand(recorded []string, i, n int) string {
	if len(recorded) == 0 {
		return ""
	}
	args := slices.Clone(recorded)
	found := false
	for k, a := range args {
		switch {
		case a == "--shard" && k+1 < len(args):
			args[k+1], found = fmt.Sprintf("%d/%d", i, n), true
		case strings.HasPrefix(a, "--shard="):
			args[k], found = fmt.Sprintf("--shard=%d/%d", i, n), true
		}
	}
	if !found {
		return ""
	}
	for k, a := range args {
		if a == "" || strings.ContainsAny(a, " \t'\"$\\*?;&|<>()") {
			args[k] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(args, " ")
}

// Command returns the command line of shard i as the shards of s were
// started (see ShardCommand): "" while no shard has written a manifest,
// or when its command cannot tell.
func (s *ShardSet) Command(i int) string {
	if s.Ref == nil {
		return ""
	}
	return ShardCommand(s.Ref.Man.Command, i, s.Count)
}
