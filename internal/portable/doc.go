// Package portable computes the floating-point figures that reach triad's
// files so that they have the same bits on every platform Go builds for.
//
// Three things make the same Go code give different bits on different
// machines, and this package avoids each:
//
//   - Fused multiply-add. The Go specification lets a compiler compute
//     x*y + z with a single rounding, and Go does so on arm64, ppc64le,
//     s390x, riscv64 and loong64 but not on amd64. An explicit conversion,
//     float64(x*y) + z, rounds the product and forbids the fusion; every
//     product here that meets an addition is written that way, also when
//     a variable carries it there (d := x*y; s += d fuses too) and when it
//     is a division by a power of two, which the compiler turns into a
//     multiplication (lo + (hi-lo)/2 fuses). A test in internal/layout
//     compiles the module for arm64 and fails on any fused instruction.
//   - Summation order. gonum's floats.Sum, behind stat.Mean and the
//     variance functions, adds with several accumulators in assembly on
//     amd64 and in one loop elsewhere. [Sum] and the statistics built on it
//     add one value after another, in slice order.
//   - The standard library's mathematics. math.Log and math.Exp run
//     assembly on amd64 (math.Exp a different one with and without the
//     FMA instructions of the processor), math.Exp assembly with fused
//     instructions on arm64, and the functions written in Go are compiled
//     with fusion where the platform has it. [Log], [Log1p], [Exp],
//     [Expm1] and [Lgamma], and the inverse error function behind
//     [NormalQuantile], are math's own Go code (from FreeBSD's
//     msun, as in the math package; its licence is in LICENSE-go) with every
//     product rounded, so they agree with math's Go code on amd64 to the
//     bit. The distribution functions ([StudentsTQuantile],
//     [StudentsTCDF], [NormalQuantile]) are built on them, as gonum's are
//     built on the platform's.
//
// What is left is what IEEE 754 rounds exactly on every platform:
// addition, subtraction, multiplication, division and square root of
// float64 values, one operation at a time.
package portable
