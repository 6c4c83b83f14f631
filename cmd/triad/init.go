package main

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
)

// starterBase is the built-in scenario that triad init copies.
const starterBase = "three-hubs"

// scenarioSlug is the rule sim.Config.Validate applies to names and ids.
var scenarioSlug = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)

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

// isStarter reports whether r holds a scenario that triad init wrote: its
// first line is that of starterHeader, for any name. The user may have
// edited the rest.
func isStarter(r io.Reader) bool {
	line, _ := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	first, _, _ := strings.Cut(starterHeader, "\n")
	before, after, _ := strings.Cut(first, "NAME")
	line = strings.TrimRightFunc(line, unicode.IsSpace) // the newline, and a carriage return before it
	return len(line) > len(before)+len(after) && strings.HasPrefix(line, before) && strings.HasSuffix(line, after)
}

// starterNameLine is the name line of the built-in scenario.
var starterNameLine = regexp.MustCompile(`(?m)^name: ` + starterBase + `( +)#`)

// starterScenario returns the text of a starter scenario called name: the
// built-in three-hubs under a header that explains how to edit it.
func starterScenario(name string) ([]byte, error) {
	src, err := scenarios.Source(starterBase)
	if err != nil {
		return nil, err
	}
	m := starterNameLine.FindSubmatchIndex(src)
	if m == nil {
		return nil, fmt.Errorf("built-in %s has no name line to replace", starterBase)
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
	return []byte(b.String()), nil
}

// initOptions are the flags of `triad init`.
type initOptions struct{ force bool }

func (o *initOptions) addFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&o.force, "force", false, "replace a NAME.yaml that triad init wrote before (never any other file)")
}

func (o *initOptions) execute(e *env, fs *pflag.FlagSet) error {
	force := o.force
	if fs.NArg() != 1 {
		return usagef("init", "init takes one scenario name, got %d arguments", fs.NArg())
	}
	name := fs.Arg(0)
	if !scenarioSlug.MatchString(name) {
		hint := ""
		if base, ok := strings.CutSuffix(name, ".yaml"); ok && scenarioSlug.MatchString(base) {
			hint = fmt.Sprintf("; to write %s, run 'triad init %s'", name, base)
		}
		return usagef("init", "%q is not a scenario name: use lower-case letters, digits, - and _, starting with a letter%s", name, hint)
	}
	path := name + ".yaml"
	src, err := starterScenario(name)
	if err != nil {
		return err
	}
	// The copy must load as it is; if it does not, the built-in changed
	// under this code.
	if _, err := scenarios.Load(path, src); err != nil {
		return fmt.Errorf("starter scenario: %w", err)
	}
	if err := starterFile.prepare(path, force); err != nil {
		return err
	}
	if err := runs.WriteFileAtomic(path, func(w io.Writer) error { _, err := w.Write(src); return err }); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, `wrote %s: a copy of the built-in %s scenario, named %s

Next:
  1. edit %s; the comments at its top say what each block is
  2. triad validate %s
  3. triad run %s
     then open %s
`, path, starterBase, name, path, path, path, filepath.Join("out", name, runs.ReportName))
	return nil
}
