package scenarios

import (
	"strings"
	"testing"
)

func TestRewriteChangesOnlyTheEditedValues(t *testing.T) {
	src, err := Source("three-hubs")
	if err != nil {
		t.Fatal(err)
	}
	edits := []Edit{
		{Path: "regions.bth.pull", Value: 1.234, Comment: "fitted: posterior mean"},
		{Path: "links.yrd->central.search", Value: 0.5, Comment: "fitted too"},
	}
	out, err := Rewrite("three-hubs.yaml", src, []string{"three-hubs-fitted: fitted", "", "second line"}, "three-hubs-fitted", "Three hubs, fitted to figures.", edits)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Load("three-hubs-fitted.yaml", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := mustBuiltin(t, "three-hubs")
	if err := Set(&want, []string{"regions.bth.pull=1.234", "links.yrd->central.search=0.5", "name=three-hubs-fitted", "description=Three hubs, fitted to figures."}); err != nil {
		t.Fatal(err)
	}
	if v, _ := cfg.ParamValue("regions.bth.pull"); v != 1.234 {
		t.Errorf("bth pull %v, want 1.234", v)
	}
	got := cfg
	if got.Name != want.Name || got.Description != want.Description {
		t.Errorf("name %q, description %q", got.Name, got.Description)
	}
	text := string(out)
	for _, w := range []string{
		"# three-hubs-fitted: fitted\n#\n# second line\n#\n# three-hubs: the default scenario",
		"pull: 1.234           # fitted: posterior mean; was 1.0: reference level",
		"search: 0.5           # fitted too; was 1.0: assumption: the periphery",
		"  connector) and two periphery", // untouched lines stay
	} {
		if w == "  connector) and two periphery" {
			if strings.Contains(text, w) {
				t.Error("the old description is still there")
			}
			continue
		}
		if !strings.Contains(text, w) {
			t.Errorf("the rewritten file lacks %q", w)
		}
	}
	if n := strings.Count(text, "\n"); n != strings.Count(string(src), "\n")+4-2 {
		t.Errorf("the rewritten file has %d lines, want the original's %d + 4 header lines − 2 description lines", n, strings.Count(string(src), "\n"))
	}
	if _, err := Rewrite("x.yaml", src, nil, "", "", []Edit{{Path: "links.bth-gba.search", Value: 1}}); err == nil || !strings.Contains(err.Error(), "not written in the file") {
		t.Errorf("got %v, want an error about a value the file does not write", err)
	}
}
