package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/triad-sim/triad/runs"
	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// Loader loads a scenario given by its user, a file or a built-in name, as
// the command loads one: its name in messages, its text and the checked
// config. Its errors are returned as they are.
type Loader func(arg string) (name string, src []byte, cfg sim.Config, err error)

// BadSourceError is a folder given to Sources that lists no scenario: no
// output folder, or one whose manifest holds a scenario that does not
// load. It is bad input.
type BadSourceError struct{ Err error }

func (e *BadSourceError) Error() string { return e.Err.Error() }
func (e *BadSourceError) Unwrap() error { return e.Err }

// Sources are the scenarios the page lists: those given in args (a
// scenario file or built-in name, read by load, or the output folder of a
// run, whose scenario its manifest holds), then every built-in not given,
// the default one (the one triad init starts from) first, since the page
// opens on the first scenario listed.
func Sources(args []string, load Loader) ([]Source, error) {
	var sources []Source
	given := map[string]bool{}
	for _, arg := range args {
		if st, err := os.Stat(arg); err == nil && st.IsDir() {
			s, err := folderSource(arg)
			if err != nil {
				return nil, err
			}
			sources = append(sources, s)
			continue
		}
		name, src, cfg, err := load(arg)
		if err != nil {
			return nil, err
		}
		given[name] = true
		sources = append(sources, Source{Name: name, Label: cfg.Name + " (" + arg + ")", Description: cfg.Description, Src: src})
	}
	builtins := scenarios.List()
	if i := slices.IndexFunc(builtins, func(in scenarios.Info) bool { return in.Name == scenarios.StarterBase }); i > 0 {
		builtins = append(append([]scenarios.Info{builtins[i]}, builtins[:i]...), builtins[i+1:]...)
	}
	for _, info := range builtins {
		name, src, err := scenarios.Resolve(info.Name, func(string) ([]byte, error) { return nil, os.ErrNotExist })
		if err != nil {
			return nil, err
		}
		if !given[name] {
			sources = append(sources, Source{Name: name, Label: info.Name, Description: info.Description, Src: src})
		}
	}
	return sources, nil
}

// folderSource is the scenario of the output folder dir, as its manifest
// holds it, named by the manifest's path.
func folderSource(dir string) (Source, error) {
	man, err := runs.ReadManifest(dir)
	if err != nil {
		return Source{}, &BadSourceError{fmt.Errorf("%s is a folder without a readable %s: give serve scenarios or output folders: %w", dir, runs.ManifestName, err)}
	}
	src, err := ScenarioYAML(&man.Scenario)
	if err != nil {
		return Source{}, err
	}
	name := filepath.Join(dir, runs.ManifestName)
	if _, err := scenarios.LoadCapped(name, src, scenarios.DefaultCaps); err != nil {
		return Source{}, &BadSourceError{err}
	}
	return Source{Name: name, Label: man.Scenario.Name + " (from " + dir + ")", Description: man.Scenario.Description, Src: src}, nil
}
