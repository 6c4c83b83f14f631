package main

import (
	"strings"
	"testing"
)

// TestEveryCommandIsDocumented holds the command table whole: every command
// has a summary, a usage line that names it, and long help, and --help
// prints them.
func TestEveryCommandIsDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range commands {
		if seen[c.name] {
			t.Errorf("%s: listed twice", c.name)
		}
		seen[c.name] = true
		if c.summary == "" || c.help == "" || !strings.HasPrefix(c.usage, "triad "+c.name) || c.options == nil {
			t.Errorf("%s: summary %q, usage %q, help of %d bytes, options set %v: want all of them", c.name, c.summary, c.usage, len(c.help), c.options != nil)
			continue
		}
		out, _ := mustCLI(t, 0, c.name, "--help")
		if !strings.Contains(out, "usage: "+c.usage) || !strings.Contains(out, strings.SplitN(c.help, "\n", 2)[0]) {
			t.Errorf("%s --help lacks its usage or help:\n%s", c.name, out)
		}
	}
}
