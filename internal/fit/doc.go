// Package fit is the use case of `triad fit`: it turns a scenario and a
// targets file into the calibration problem of internal/calibrate (the
// parameters with their prior ranges, the observed figures, and a
// simulator that runs the scenario at a parameter vector), runs the fit
// with its state kept in the fit's folder so that it can go on after an
// interruption ([Run], [State]), and writes the folder of a finished fit
// ([Result.Write]): its tables, its JSON record, its charts and the
// fitted scenario, the file list in one place (runs.FitOutputNames).
//
// It does not parse flags or print: the command turns its flags into a
// [Spec] and prints the [Result].
package fit
