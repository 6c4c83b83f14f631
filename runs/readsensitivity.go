package runs

import (
	"bytes"
	"errors"
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
