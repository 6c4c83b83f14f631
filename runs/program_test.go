package runs

import (
	"runtime"
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
