package runs

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/triad-sim/triad/sim"
)

// RunFileCap is the largest run file that triad reads for a run of cfg:
// 64 MiB, or more when the scenario's runs can hold more. The bound counts
// a row per step and region and an innovation per lab and step (every lab
// making a breakthrough every step, with the labs of any sweep at the
// model's own limit), each at the most bytes its encoding can take, so
// that no run file triad wrote for cfg is ever refused.
func RunFileCap(cfg *sim.Config) int64 {
	regions := float64(len(cfg.Regions))
	labs := 0.0
	for _, r := range cfg.Regions {
		for _, c := range r.Cities {
			labs += float64(c.Labs)
		}
	}
	for _, p := range cfg.SweepPaths() {
		if strings.HasSuffix(p, ".labs") {
			labs = sim.MaxLabs
		}
	}
	steps := float64(cfg.Steps)
	innovations := float64(len(cfg.Initial)) + float64(labs*steps)
	// A gob integer or float takes at most 9 bytes and a field number 1;
	// a slice adds its length.
	const word = 10
	row := 10 * word
	innovation := 8*word + 16 + 5*word + float64(5*word*regions)
	bound := 4096 + float64(steps*regions*float64(row)) + float64(regions*(regions+8)*word) + float64(innovations*(innovation+word))
	if bound < minRunFileCap {
		return minRunFileCap
	}
	if bound > math.MaxInt64/2 {
		return math.MaxInt64 / 2
	}
	return int64(bound)
}

// checkRun returns what makes run one that cfg (at the run's sweep point)
// cannot have produced, or nil; a run of a sweep that keeps only figures
// (sim.Sweep.FiguresOnly) has one row per region and no innovation log. It checks what the tables, charts and
// checks read of a run, so that a run file rewritten with a valid
// checksum and inconsistent contents is refused instead of making them
// fail or print nonsense: a row per step and region in order; counts that
// are whole and not negative; shares in [0, 1] and times within the run
// (NaN where a figure does not exist); a transfer matrix and per-region
// figures as long as the regions; an innovation log whose breakthroughs,
// commercializations and losses are those the rows count, step by step
// and region by region, whose commercializations are the transfer
// matrix's and whose lags are the run's.
func checkRun(cfg *sim.Config, run *sim.RunResult) error {
	nR, steps := len(cfg.Regions), cfg.Steps
	var cityRegion []int
	for r, reg := range cfg.Regions {
		for range reg.Cities {
			cityRegion = append(cityRegion, r)
		}
	}
	share := func(v float64) bool { return math.IsNaN(v) || (v >= 0 && v <= 1) }
	within := func(v float64) bool { return math.IsNaN(v) || (v >= 0 && v <= float64(steps)) }
	// A run that keeps only its figures has one row per region, of the
	// last step, with the run's totals (sim.RunResult.Figures).
	rowSteps, figures := steps, cfg.Sweep.FiguresOnly()
	if figures {
		rowSteps = 1
		if len(run.Innovations) != 0 {
			return fmt.Errorf("it has an innovation log, which a run that keeps only its figures has not")
		}
	}
	if len(run.Rows) != rowSteps*nR {
		return fmt.Errorf("it has %d rows, and %d steps × %d regions make %d", len(run.Rows), rowSteps, nR, rowSteps*nR)
	}
	// The counts of each step and region, by what the rows say.
	disc, comm, lost := make([]int, nR), make([]int, nR), make([]int, nR)
	commSoFar := len(cfg.Initial) // commercialized innovations by the end of a step
	for k, row := range run.Rows {
		t, r := k/nR+steps-rowSteps, k%nR
		switch {
		case row.Step != t || row.Region != r:
			return fmt.Errorf("row %d is of step %d and region %d, want step %d and region %d", k, row.Step, row.Region, t, r)
		case row.Discovered < 0 || row.Commercialized < 0 || row.Lost < 0:
			return fmt.Errorf("step %d, region %s: negative counts (%d discovered, %d commercialized, %d lost)", t, cfg.Regions[r].ID, row.Discovered, row.Commercialized, row.Lost)
		case !(row.AdoptionShare >= 0 && row.AdoptionShare <= 1):
			return fmt.Errorf("step %d, region %s: adoption share %v is not in [0, 1]", t, cfg.Regions[r].ID, row.AdoptionShare)
		}
		disc[r] += row.Discovered
		comm[r] += row.Commercialized
		lost[r] += row.Lost
		if r == nR-1 {
			for _, x := range run.Rows[k-r : k+1] {
				commSoFar += x.Commercialized
			}
			for _, x := range run.Rows[k-r : k+1] {
				if !(x.Reached90 >= 0 && x.Reached90 <= x.Reached50 && x.Reached50 <= x.Reached10 && x.Reached10 <= commSoFar) {
					return fmt.Errorf("step %d, region %s: %d, %d and %d products past 10, 50 and 90 %% adoption, of %d commercialized by then", t, cfg.Regions[x.Region].ID, x.Reached10, x.Reached50, x.Reached90, commSoFar)
				}
			}
		}
	}
	if len(run.Transfer) != nR {
		return fmt.Errorf("its transfer matrix has %d rows, want one per region (%d)", len(run.Transfer), nR)
	}
	into := make([]int, nR)
	for o, row := range run.Transfer {
		if len(row) != nR {
			return fmt.Errorf("row %d of its transfer matrix has %d columns, want %d", o, len(row), nR)
		}
		out := 0
		for d, n := range row {
			if n < 0 {
				return fmt.Errorf("its transfer matrix counts %d from %s to %s", n, cfg.Regions[o].ID, cfg.Regions[d].ID)
			}
			into[d] += n
			out += n
		}
		if out+lost[o] > disc[o] {
			return fmt.Errorf("%s's breakthroughs: %d commercialized and %d lost of %d discovered", cfg.Regions[o].ID, out, lost[o], disc[o])
		}
	}
	if !slices.Equal(into, comm) {
		return fmt.Errorf("its transfer matrix commercializes %v by region, its rows %v", into, comm)
	}
	totalComm := 0
	for _, n := range comm {
		totalComm += n
	}
	if len(run.Lags) != totalComm {
		return fmt.Errorf("it has %d lab-to-market lags for %d commercializations", len(run.Lags), totalComm)
	}
	for _, l := range run.Lags {
		if l < 0 || l >= steps {
			return fmt.Errorf("a lab-to-market lag of %d steps in a run of %d", l, steps)
		}
	}
	for _, f := range []struct {
		name string
		vs   []float64
		ok   func(float64) bool
	}{
		{"t50", run.T50, within}, {"the share reaching 50 %", run.Reached50, share}, {"the Kaplan–Meier t50", run.T50KM, within},
		{"adoption at age 24", run.AdoptionAt[0], share}, {"adoption at age 60", run.AdoptionAt[1], share},
	} {
		if len(f.vs) != nR {
			return fmt.Errorf("it has %s of %d regions, want %d", f.name, len(f.vs), nR)
		}
		for r, v := range f.vs {
			if !f.ok(v) {
				return fmt.Errorf("%s of %s is %v", f.name, cfg.Regions[r].ID, v)
			}
		}
	}
	if !share(run.CommercializationRate) {
		return fmt.Errorf("its commercialization rate %v is not in [0, 1]", run.CommercializationRate)
	}
	if run.Trials < 0 {
		return fmt.Errorf("it counts %d adoption trials", run.Trials)
	}
	if figures {
		return nil
	}
	return checkInnovations(cfg, run, cityRegion)
}

// checkInnovations checks the innovation log of run against its rows,
// transfer matrix and lags (see checkRun).
func checkInnovations(cfg *sim.Config, run *sim.RunResult, cityRegion []int) error {
	nR, steps := len(cfg.Regions), cfg.Steps
	// What the log says happened at each step (index t*nR+r).
	disc, comm, lost := make([]int, steps*nR), make([]int, steps*nR), make([]int, steps*nR)
	transfer := make([]int, nR*nR)
	var lags []int
	initial := 0
	for x, in := range run.Innovations {
		bad := func(format string, args ...any) error {
			return fmt.Errorf("innovation %d: %s", x, fmt.Sprintf(format, args...))
		}
		switch {
		case in.Origin < 0 || in.Origin >= nR || in.OriginCity < 0 || in.OriginCity >= len(cityRegion) || cityRegion[in.OriginCity] != in.Origin:
			return bad("it comes from region %d and city %d, which the scenario does not have", in.Origin, in.OriginCity)
		case in.Discovered < -1 || in.Discovered >= steps:
			return bad("discovered at step %d of a run of %d", in.Discovered, steps)
		case len(in.Reached[0]) != nR || len(in.Reached[1]) != nR || len(in.Reached[2]) != nR || len(in.AtAge[0]) != nR || len(in.AtAge[1]) != nR:
			return bad("its adoption is recorded for other than %d regions", nR)
		}
		if in.Discovered == -1 {
			initial++
		} else {
			disc[in.Discovered*nR+in.Origin]++
		}
		switch in.Fate {
		case sim.FatePending:
			if in.FateStep != -1 || in.Region != -1 {
				return bad("pending, with a fate at step %d in region %d", in.FateStep, in.Region)
			}
		case sim.FateLost:
			if in.Discovered < 0 || in.FateStep < in.Discovered || in.FateStep >= steps || in.Region != -1 {
				return bad("lost at step %d (discovered at %d) in region %d", in.FateStep, in.Discovered, in.Region)
			}
			lost[in.FateStep*nR+in.Origin]++
		case sim.FateCommercialized:
			if in.Region < 0 || in.Region >= nR {
				return bad("commercialized in region %d, which the scenario does not have", in.Region)
			}
			if in.Discovered == -1 {
				if in.FateStep != -1 {
					return bad("a product from the start, commercialized at step %d", in.FateStep)
				}
				break
			}
			if in.FateStep < in.Discovered || in.FateStep >= steps {
				return bad("commercialized at step %d, discovered at %d", in.FateStep, in.Discovered)
			}
			comm[in.FateStep*nR+in.Region]++
			transfer[in.Origin*nR+in.Region]++
			lags = append(lags, in.FateStep-in.Discovered)
		default:
			return bad("its fate %q is none of %s, %s and %s", in.Fate, sim.FatePending, sim.FateCommercialized, sim.FateLost)
		}
		for t, at := range in.Reached {
			for r, s := range at {
				if s < -1 || s >= steps || (s >= 0 && in.Fate != sim.FateCommercialized) {
					return bad("reached %d %% of %s at step %d", []int{10, 50, 90}[t], cfg.Regions[r].ID, s)
				}
			}
		}
		for a, at := range in.AtAge {
			for r, v := range at {
				if !(math.IsNaN(v) || (v >= 0 && v <= 1 && in.Fate == sim.FateCommercialized)) {
					return bad("adoption %v in %s at age %d", v, cfg.Regions[r].ID, sim.AdoptionAges[a])
				}
			}
		}
	}
	if initial != len(cfg.Initial) {
		return fmt.Errorf("its innovation log has %d products from the start, the scenario %d", initial, len(cfg.Initial))
	}
	for k, row := range run.Rows {
		if disc[k] != row.Discovered || comm[k] != row.Commercialized || lost[k] != row.Lost {
			return fmt.Errorf("step %d, region %s: the rows count %d discovered, %d commercialized and %d lost, the innovation log %d, %d and %d",
				row.Step, cfg.Regions[row.Region].ID, row.Discovered, row.Commercialized, row.Lost, disc[k], comm[k], lost[k])
		}
	}
	for o := range nR {
		for d := range nR {
			if n := run.Transfer[o][d]; n != transfer[o*nR+d] {
				return fmt.Errorf("its transfer matrix counts %d from %s to %s, its innovation log %d", n, cfg.Regions[o].ID, cfg.Regions[d].ID, transfer[o*nR+d])
			}
		}
	}
	have := slices.Sorted(slices.Values(run.Lags))
	slices.Sort(lags)
	if !slices.Equal(have, lags) {
		return fmt.Errorf("its lab-to-market lags are not those of its innovation log")
	}
	return nil
}
