// Package output turns the results of the model into tables, statistics and
// text for people: the per-step time series as CSV, summaries over
// replications (mean, standard deviation, median and 95 % confidence
// interval) as CSV and JSON (and back: ReadSummaryJSON, ReadCompareJSON), a
// short headline table for the terminal, baselines and checks (JSON, JUnit,
// Markdown). Its subpackages draw the charts (output/chart, the only user
// of gonum/plot) and write the HTML report (output/report).
//
// A sweep adds the design (WritePointsCSV), a summary per point
// (WriteSweepSummaryCSV and WriteSweepSummaryJSON) and charts of the
// headline figures (SweepFigures), and each point's paired difference to
// the first (SweepDiffs). A comparison of the
// runs of two or more scenarios (Compare) gives each figure in each set
// and the difference of every later set to the first, with its interval,
// standardised effect and a test (paired when the runs share their seeds,
// Welch's otherwise; see stats.go) whose p-values are adjusted together by
// Benjamini–Hochberg, as CSV, JSON and a terminal table; the series the
// charts draw (Bands, DiffBands, MeanPipeline, MeanTransfer) are computed
// here. The metric catalogue (Metric) names and formats every figure.
//
// A sensitivity sweep (design morris or sobol) adds a global sensitivity
// analysis (sensitivity*.go): the estimators Morris (μ, μ*, σ) and Sobol
// (S1 of Saltelli 2010, ST of Jansen) with seeded bootstrap intervals and
// the noise share, gathered point by point by a SensitivityCollector,
// written by WriteSensitivityCSV and WriteSensitivityJSON (and read back
// by ReadSensitivityJSON), grouped by figure for the charts
// (SensitivityResult.Figures; output/chart draws them) and put in words by
// SensitivityResult.Drivers (WriteDrivers prints them for the terminal).
//
// What a command prints once it is done is written here too, from data its
// callers give: what a run made (Made.Write: the headline table and the
// files to open), the state of a sharded run (WriteShardStatus), the
// verdict of a check with its notes (PrintCheckVerdict) and a comparison
// with the files written (PrintCompareSummary, NewCompareSummaryJSON);
// and how runs go while they run (Progress, on a clock its caller gives).
// How a scenario to check matches its baseline is data (Baseline.Match). The
// words that name the command's flags or advise a command stay in the
// command.
//
// Every function is a pure function of sim Results (or parts of them): it
// writes to an io.Writer or returns values, so the same Result always gives
// the same bytes. Nothing here touches the file system: package runs puts
// these bytes into an output folder.
//
// The package is not the model and not the scenario format: it never runs
// the model, never reads scenario files and never looks at the clock or the
// command line. Those belong to package sim, package scenarios and the triad
// command.
//
// Results may hold nil runs (runs that had not finished when a run was
// cancelled); every function here skips them.
//
// Missing values: a metric that does not exist in a run (NaN in
// sim.RunResult.Metrics, such as t50 when no innovation reached 50 %) is
// left out of that metric's summary, so Stat.N counts the runs where it
// exists. A figure that cannot be computed is NaN: the mean of no values, and
// the confidence interval of fewer than two values. CSV files write NaN as
// "NaN" (what strconv.FormatFloat writes and ParseFloat, R and pandas read
// back), JSON files as null.
package output
