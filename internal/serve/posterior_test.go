package serve

import (
	"context"
	"strings"
	"testing"

	"github.com/triad-sim/triad/scenarios"
	"github.com/triad-sim/triad/sim"
)

// TestPosteriorRuns checks that a server made with a posterior prepares
// every run as a posterior predictive run, and that a posterior the
// page's scenario cannot take is refused as the command refuses it.
func TestPosteriorRuns(t *testing.T) {
	post := &sim.Posterior{Fit: "a fit", Weights: []float64{1, 2}, Params: []sim.PosteriorParam{{Paths: []string{"diffusion.q"}, Values: []float64{0.2, 0.4}}}}
	srv, err := New(Options{Sources: []Source{{Name: tinyName, Src: []byte(tiny)}}, Run: newBlockRunner().run, Caps: scenarios.DefaultCaps, Dir: t.TempDir(), Addr: "127.0.0.1:8080", Posterior: post})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	_, _, cfg, err := srv.prepare(context.Background(), request{Scenario: tinyName})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Posterior != post {
		t.Errorf("the prepared run has posterior %+v, want the server's", cfg.Posterior)
	}
	post.Params[0].Paths = []string{"regions.nowhere.p"}
	_, _, _, err = srv.prepare(context.Background(), request{Scenario: tinyName})
	if err == nil || !strings.Contains(err.Error(), "posterior") {
		t.Errorf("a posterior of a path the scenario lacks: %v, want it refused", err)
	}
}
