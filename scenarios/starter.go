package scenarios

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"
)

// StarterBase is the built-in scenario that triad init copies.
const StarterBase = "three-hubs"

// Slug is the rule sim.Config.Validate applies to names and ids: what
// Starter takes as a name.
var Slug = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

// starterHeader goes above the copy of the built-in scenario; NAME stands
// for the new scenario's name.
const starterHeader = `# NAME: a triad scenario, started from a copy of the built-in three-hubs.
#
#   triad validate NAME.yaml   checks it: every mistake with its line and column
#   triad run NAME.yaml        runs it: tables, plots and report.html in out/NAME/
#
# The file has these blocks, in this order:
#
#   name, description  what reports call the scenario; the name is a slug
#                      (lower-case letters, digits, - and _)
#   seed               the same seed gives the same numbers; --seed draws
#                      another history
#   steps, step_unit   the length of a run and what a step is (a month
#                      here: tables and charts count time in months)
#   replications       how many independent runs stand behind every mean
#                      and 95 % confidence interval
#   diffusion          how products spread from firm to firm: mixing (fixed
#                      or well-mixed contacts), k contacts per firm, q
#                      imitation
#   transfer           how a breakthrough finds a firm that makes it a
#                      product: attempts per step, max_pending steps before
#                      it is lost
#   default_link       friction and coupling of the region pairs that no
#                      link names
#   regions            the hubs and the periphery: p, reach, local and pull,
#                      and cities with labs, firms, research, transform and
#                      capability
#   links              friction (0 to below 1) and coupling (0 or more)
#                      between two regions, or a region and itself
#   policies           (optional) parameter changes from a given step on;
#                      see the example at the end
#   sweep              (optional) runs the scenario at several values, e.g.
#                        sweep:
#                          params:
#                            - path: regions.yrd.reach
#                              values: [0.1, 0.3, 0.5]
#
# Roles (source, accelerator, connector, periphery) are labels for reports:
# behaviour comes from the numbers only. Add, remove or rename regions and
# cities freely; ids must be unique slugs, and links name regions by id.
# The note after each number says where the three-hubs value came from;
# update it when you change the number. 'triad run --help' shows how to
# change parameters from the command line (--set, --sweep, --policy).
#
# ----------------------------------------------------------------------------

`

// IsStarter reports whether r holds a scenario that triad init wrote: its
// first line is that of starterHeader, for any name. The user may have
// edited the rest.
func IsStarter(r io.Reader) bool {
	line, _ := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	first, _, _ := strings.Cut(starterHeader, "\n")
	before, after, _ := strings.Cut(first, "NAME")
	line = strings.TrimRightFunc(line, unicode.IsSpace) // the newline, and a carriage return before it
	return len(line) > len(before)+len(after) && strings.HasPrefix(line, before) && strings.HasSuffix(line, after)
}

// starterNameLine is the name line of the built-in scenario.
var starterNameLine = regexp.MustCompile(`(?m)^name: ` + StarterBase + `( +)#`)

// Starter returns the text of a starter scenario called name, as file
// path (for messages): the built-in three-hubs under a header that
// explains how to edit it, checked to load as it is.
func Starter(name, path string) ([]byte, error) {
	src, err := Source(StarterBase)
	if err != nil {
		return nil, err
	}
	m := starterNameLine.FindSubmatchIndex(src)
	if m == nil {
		return nil, fmt.Errorf("built-in %s has no name line to replace", StarterBase)
	}
	// Keep the comment where it was when the new name fits.
	width := m[3] - m[0]
	line := "name: " + name
	line += strings.Repeat(" ", max(1, width-len(line))) + "#"
	var b strings.Builder
	b.WriteString(strings.ReplaceAll(starterHeader, "NAME", name))
	b.Write(src[:m[0]])
	b.WriteString(line)
	b.Write(src[m[1]:])
	out := []byte(b.String())
	// The copy must load as it is; if it does not, the built-in changed
	// under this code.
	if _, err := Load(path, out); err != nil {
		return nil, fmt.Errorf("starter scenario: %w", err)
	}
	return out, nil
}
