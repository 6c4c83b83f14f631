package runs

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/sim"
)

// ReadSensitivity reads the sensitivity analysis (SensitivityName) of the
// folder dir, a run of cfg, whose size bounds the file's (ResultCap). A
// folder without one, a run that was no Morris or Sobol sweep, gives nil
// and no error.
func ReadSensitivity(dir string, cfg *sim.Config) (*output.SensitivityResult, error) {
	b, err := ReadFile(filepath.Join(dir, SensitivityName), "a sensitivity analysis", ResultCap(cfg))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r, err := output.ReadSensitivityJSON(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// WriteDrivers writes for the terminal, after the run of cfg in the folder
// dir, which parameters drive each figure its sensitivity analysis
// analysed (see output.WriteDrivers, which names the folder's
// SensitivityCSVName); a folder without an analysis writes nothing.
func WriteDrivers(w io.Writer, dir string, cfg *sim.Config) error {
	r, err := ReadSensitivity(dir, cfg)
	if err != nil || r == nil {
		return err
	}
	return output.WriteDrivers(w, *r, cfg, filepath.Join(dir, SensitivityCSVName))
}
