package sim

import (
	"context"
	"runtime"
	"sync"
)

// Options change how a run is computed, never what it computes: the same
// Config gives the same Result whatever Options hold.
type Options struct {
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	Workers int
	// Observe, when set, is called after every step of every run with that
	// step's rows (read-only, valid only during the call). Runs go on
	// concurrently, so Observe must be safe for concurrent use.
	Observe func(point, replicate, step int, rows []Row)
	// ObserveCities, when set, is called after every step of every run
	// (after Observe) with each city's adoption share, by global city
	// index (regions in order, their cities in order): the city's
	// adopters summed over the innovations commercialized so far, over
	// its firms × those innovations, as Row.AdoptionShare is for a
	// region. The slice is read-only and valid only during the call. It
	// must be safe for concurrent use, and costs a pass over the
	// innovations per step only when set.
	ObserveCities func(point, replicate, step int, shares []float64)
	// Done, when set, is called once per finished run, possibly
	// concurrently and in any order.
	Done func(*RunResult)
	// Stream, when true, hands each run to Done and keeps none: RunTasks
	// then returns only nils, and memory holds only the runs in flight.
	Stream bool
}

func (o Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// Result holds every run of a Config, by replicate.
type Result struct {
	Config Config
	// Regions are the region ids in Config order; Row.Region indexes them.
	Regions []string
	Runs    []*RunResult
}

// RegionIDs returns the region ids of c in order.
func (c *Config) RegionIDs() []string {
	ids := make([]string, len(c.Regions))
	for i, r := range c.Regions {
		ids[i] = r.ID
	}
	return ids
}

// Task names one run: a sweep point and a replicate.
type Task struct{ Point, Replicate int }

// Run computes every run of cfg (each sweep point × replicate), which must
// be valid (see Config.Validate). Runs go concurrently on opts.Workers
// goroutines and, when there are fewer runs than workers, each run steps
// its agents in parallel blocks too. ctx is checked between steps:
// cancelling it stops the work and Run returns ctx's error with the runs
// that had finished (the others are nil).
func Run(ctx context.Context, cfg Config, opts Options) (*Result, error) {
	tasks := cfg.Tasks()
	runs, err := RunTasks(ctx, cfg, tasks, opts)
	return &Result{Config: cfg, Regions: cfg.RegionIDs(), Runs: runs}, err
}

// Tasks lists every run of c in output order: by sweep point, then
// replicate.
func (c *Config) Tasks() []Task {
	pts := len(c.Points())
	tasks := make([]Task, 0, pts*c.Replicates)
	for p := range pts {
		for r := range c.Replicates {
			tasks = append(tasks, Task{p, r})
		}
	}
	return tasks
}

// RunTasks computes the given runs of cfg concurrently and returns them in
// the order of tasks. Each run's numbers depend only on cfg and its task, so
// any split of the tasks (across calls, shards or machines) gives the same
// runs.
func RunTasks(ctx context.Context, cfg Config, tasks []Task, opts Options) ([]*RunResult, error) {
	if err := cfg.Validate(); err != nil {
		panic("sim: Run needs a valid Config: " + err.Error())
	}
	w := opts.workers()
	outer := min(w, len(tasks))
	inner := 1
	if outer > 0 {
		inner = max(1, w/outer)
	}
	points := cfg.Points()
	configs := make([]*Config, len(points))
	for i, p := range points {
		pc := cfg.AtPoint(p)
		configs[i] = &pc
	}
	out := make([]*RunResult, len(tasks))
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for range outer {
		wg.Go(func() {
			for k := range next {
				r, err := simulate(ctx, configs[tasks[k].Point].ForReplicate(tasks[k].Replicate), tasks[k], cfg.RunSeed(tasks[k]), inner, opts)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					continue
				}
				if !opts.Stream {
					out[k] = r
				}
				if opts.Done != nil {
					opts.Done(r)
				}
			}
		})
	}
	for k := range tasks {
		if ctx.Err() != nil {
			break
		}
		next <- k
	}
	close(next)
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return out, firstErr
}

// RunSeed returns the seed of one run of c: replicate t.Replicate's seed,
// shared by every sweep point unless the sweep asks for independent seeds
// (see SeedsCommon).
func (c *Config) RunSeed(t Task) uint64 {
	if c.Sweep != nil && c.Sweep.Seeds == SeedsIndependent {
		return RunSeed(c.Seed, t.Point, t.Replicate)
	}
	return RunSeed(c.Seed, 0, t.Replicate)
}

// RunSeed derives the seed of one run from the scenario seed, the sweep point
// and the replicate. Config.RunSeed decides which point a run's seed is
// derived from.
func RunSeed(seed uint64, point, replicate int) uint64 {
	return mix(mix(mix(seed^0x74726961642d7631)^uint64(point)) ^ uint64(replicate))
}
