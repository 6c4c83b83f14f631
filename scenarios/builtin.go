package scenarios

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/triad-sim/triad/sim"

	"github.com/goccy/go-yaml"
)

//go:embed builtin/*.yaml
var builtinFS embed.FS

// Info names and describes a built-in scenario.
type Info struct {
	Name string
	// Description is the scenario's description on one line.
	Description string
}

// List returns the built-in scenarios sorted by name.
func List() []Info {
	var infos []Info
	for _, name := range builtinNames() {
		src, _ := Source(name)
		var head struct {
			Description string `yaml:"description"`
		}
		// Not strict: only the description is wanted. The tests check
		// that every built-in loads.
		_ = yaml.Unmarshal(src, &head)
		infos = append(infos, Info{Name: name, Description: strings.Join(strings.Fields(head.Description), " ")})
	}
	return infos
}

// builtinNames returns the names of the built-in scenarios, sorted.
func builtinNames() []string {
	entries, _ := fs.ReadDir(builtinFS, "builtin")
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok && !e.IsDir() {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

// Source returns the YAML text of the built-in scenario name.
func Source(name string) ([]byte, error) {
	if !slices.Contains(builtinNames(), name) {
		return nil, fmt.Errorf("no built-in scenario %q (built-ins: %s)", name, strings.Join(builtinNames(), ", "))
	}
	return builtinFS.ReadFile(path.Join("builtin", name+".yaml"))
}

// Builtin loads and checks the built-in scenario name.
func Builtin(name string) (sim.Config, error) {
	src, err := Source(name)
	if err != nil {
		return sim.Config{}, err
	}
	return Load(builtinFile(name), src)
}

// builtinFile is the name under which errors and reports show a built-in
// scenario: its path in this package's source.
func builtinFile(name string) string { return "builtin/" + name + ".yaml" }

// Resolve finds the scenario that a command-line argument names: the file
// arg if readFile finds it, else the built-in scenario of that name. It
// returns the name to show in messages (arg itself for a file,
// "builtin/NAME.yaml" for a built-in) and the YAML text.
//
// readFile is normally os.ReadFile; it is a parameter so that this package
// never touches the file system itself. An error that is not
// fs.ErrNotExist (such as a permission problem) is returned as it is,
// since the user meant that file.
func Resolve(arg string, readFile func(string) ([]byte, error)) (name string, src []byte, err error) {
	src, err = readFile(arg)
	if err == nil {
		return arg, src, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", nil, err
	}
	if src, err := Source(arg); err == nil {
		return builtinFile(arg), src, nil
	}
	return "", nil, fmt.Errorf("%s: no such file or built-in scenario (built-ins: %s)", arg, strings.Join(builtinNames(), ", "))
}
