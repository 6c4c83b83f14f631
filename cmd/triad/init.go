package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
)

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
	if !scenarios.Slug.MatchString(name) {
		hint := ""
		if base, ok := strings.CutSuffix(name, ".yaml"); ok && scenarios.Slug.MatchString(base) {
			hint = fmt.Sprintf("; to write %s, run 'triad init %s'", name, base)
		}
		return usagef("init", "%q is not a scenario name: use lower-case letters, digits, - and _, starting with a letter%s", name, hint)
	}
	path := name + ".yaml"
	src, err := scenarios.Starter(name, path)
	if err != nil {
		return err
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
`, path, scenarios.StarterBase, name, path, path, path, filepath.Join("out", name, runs.ReportName))
	return nil
}
