package serve

import (
	"fmt"
	"net/http"
	"os"

	"github.com/triad-sim/triad/output"
	"github.com/triad-sim/triad/runs"
)

// handleCompareZip sends the comparison of two finished runs,
// ?base=ID&other=ID, as the folder `triad compare` writes (compare.csv,
// compare.json, the charts, report.html and its manifest.json), zipped.
// The runs are read back from their folders, as triad compare reads
// finished output folders; the manifest records each set with its run's
// scenario and seeds, and the program of the base run's manifest (the
// server's when it has none).
func (s *Server) handleCompareZip(w http.ResponseWriter, r *http.Request) {
	var jobs []*job
	for _, key := range []string{"base", "other"} {
		id := r.URL.Query().Get(key)
		s.mu.Lock()
		j := s.jobs[id]
		s.mu.Unlock()
		if j == nil {
			writeError(w, http.StatusNotFound, fmt.Errorf("no run %q to compare", id))
			return
		}
		if _, ok := s.done(w, j); !ok {
			return
		}
		if j.cfg.Sweep != nil {
			writeError(w, http.StatusBadRequest, fmt.Errorf("run %s is a batch: compare single runs, or download the batch's folder", j.id))
			return
		}
		if !s.read(j) {
			writeError(w, http.StatusNotFound, fmt.Errorf("run %s has just been removed (the last %d finished runs are kept)", j.id, s.opts.Keep))
			return
		}
		defer s.release(j)
		jobs = append(jobs, j)
	}
	sets := make([]output.RunSet, len(jobs))
	man := runs.CompareManifest{Program: s.opts.Program}
	for i, j := range jobs {
		rs, err := runs.NewStore(j.dir, &j.cfg).LoadAll(r.Context())
		if err != nil {
			writeError(w, http.StatusInternalServerError, fmt.Errorf("read the runs of %s: %w", j.id, err))
			return
		}
		sets[i] = output.RunSet{Label: setLabel(j), Config: j.cfg, Regions: j.cfg.RegionIDs(), Runs: rs}
		set := runs.CompareSet{Label: sets[i].Label, Source: j.name, ConfigSHA256: output.ConfigHash(j.cfg), Seed: j.cfg.Seed, Replicates: j.cfg.Replicates}
		// The run's manifest says which program ran it and from which
		// file; the comparison was made by the same program.
		if m, err := runs.ReadManifest(j.dir); err == nil {
			set.ScenarioFileSHA256 = m.ScenarioFileSHA256
			if i == 0 {
				man.Program = m.Program
			}
		}
		man.Compare = append(man.Compare, set)
	}
	c, err := output.Compare(sets, nil)
	if err != nil {
		writeError(w, http.StatusBadRequest, &badInput{Problems: []problem{{Text: err.Error()}}})
		return
	}
	dir, err := os.MkdirTemp(s.opts.Dir, "compare-")
	if err != nil {
		writeError(w, http.StatusInternalServerError, fmt.Errorf("make a folder for the comparison: %w", err))
		return
	}
	defer os.RemoveAll(dir)
	if err := runs.WriteComparison(dir, sets, c, man); err != nil {
		writeError(w, http.StatusInternalServerError, fmt.Errorf("write the comparison: %w", err))
		return
	}
	sendZip(w, dir, "compare-"+sets[0].Label+"-vs-"+sets[1].Label)
}

// setLabel names a run in a comparison: its scenario and its id, as
// three-hubs-r2 (a scenario may be run many times).
func setLabel(j *job) string {
	return j.cfg.Name + "-" + j.id
}
