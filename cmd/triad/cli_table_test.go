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
		if c.summary == "" || !strings.HasPrefix(c.usage(), "triad "+c.name) || c.options == nil {
			t.Errorf("%s: summary %q, usage %q, options set %v: want all of them", c.name, c.summary, c.usage(), c.options != nil)
			continue
		}
		if _, long, _ := strings.Cut(helpText(c.name), "\n\n"); strings.TrimSpace(long) == "" {
			t.Errorf("%s: help/%s.txt has a usage paragraph but no help after it", c.name, c.name)
		}
		out, _ := mustCLI(t, 0, c.name, "--help")
		if !strings.HasPrefix(out, helpText(c.name)) {
			t.Errorf("%s --help lacks its usage or help:\n%s", c.name, out)
		}
	}
}
