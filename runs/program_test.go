package runs

import (
	"runtime"
	"slices"
	"testing"
)

func TestBuildKeepsWhatTheReleaseSet(t *testing.T) {
	// go test stamps no version control facts, so none is added.
	for _, c := range []struct{ commit, date, wantCommit, wantDate string }{
		{"abc", "2026-01-02", "abc", "2026-01-02"},
		{"", "", "unknown", "unknown"},
	} {
		b := Build("1.2.3", c.commit, c.date)
		if b.Version != "1.2.3" || b.Commit != c.wantCommit || b.BuildDate != c.wantDate ||
			b.GoVersion != runtime.Version() || b.Platform != runtime.GOOS+"/"+runtime.GOARCH || b.Command != nil || b.Host != "" {
			t.Errorf("Build(%q, %q) = %+v", c.commit, c.date, b)
		}
	}
}

// TestInvoked checks the command line and host a manifest records of a
// run: "triad" and its words, the host it is given, and the build's other
// facts unchanged.
func TestInvoked(t *testing.T) {
	const host = "node7"
	for _, args := range [][]string{nil, {"run", "x.yaml", "--out", "a b"}} {
		inv := Invoked("1.2.3", host, args)
		want := append([]string{"triad"}, args...)
		if inv.Version != "1.2.3" || inv.Platform != Platform() || !slices.Equal(inv.Command, want) || inv.Host != host {
			t.Errorf("Invoked(%q) = %+v, want command %q on %q", args, inv, want, host)
		}
		b := Build("1.2.3", "abc", "2026-01-02")
		p := b.RunAs(inv)
		if !slices.Equal(p.Command, want) || p.Host != host || p.Commit != "abc" || p.BuildDate != "2026-01-02" || p.Version != "1.2.3" {
			t.Errorf("RunAs gave %+v", p)
		}
	}
}
