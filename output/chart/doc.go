// Package chart draws triad's charts with gonum/plot: adoption over time
// with its confidence band (AdoptionChart), the lab-to-market pipeline
// (PipelineChart), the transfer matrix (TransferChart), a sweep's headline
// figures against each swept parameter (SweepCharts) and a comparison's
// curves (CompareChart), differences over time (DiffChart) and differences
// with their intervals (EffectChart), and a sensitivity analysis's σ
// against μ* (Morris) or S1 and ST bars (Sobol) of every figure
// (SensitivityDrawings). Time charts mark the scenario's timed
// policies with a dashed line at their step, labelled above the data.
// WritePlot writes a chart as PNG or SVG; the same inputs give the same
// bytes.
//
// It is the only package of triad that imports gonum.org/v1/plot. The
// numbers it draws come from package output (Bands, MeanPipeline,
// MeanTransfer, DiffBands, the summaries and comparisons); it computes no
// statistics of its own, touches no files and never looks at the clock.
package chart
