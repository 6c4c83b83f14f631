// Package report writes the one-page HTML report of an output folder
// (Write): the scenario, the headline figures with their confidence
// intervals, every chart with a caption, the transfer matrix, a sweep's
// design and points, a sensitivity analysis (which parameters drive each
// figure, in words, beside its charts), a comparison's table, the timed
// policies on a timeline and the parameters. The page is self-contained (inline CSS and
// SVG, no scripts) and prints to PDF.
//
// It takes typed values (Data: output.Summary, output.PointSummary,
// output.SensitivityResult, output.Comparison and the charts as SVG with their kind), not files: the
// package runs reads and writes the folder. SVG from outside is checked to
// be a plain drawing before it is inlined. The same Data gives the same
// bytes; nothing from the clock or the machine goes into the page.
package report
