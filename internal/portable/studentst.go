package portable

import "math"

// StudentsTCDF returns P(T ≤ t) for Student's t distribution with nu
// degrees of freedom, 0 < nu < +Inf; it is NaN for a NaN t or any other
// nu. It computes the regularized incomplete beta function
// I_x(nu/2, 1/2), x = nu/(nu + t²), by its continued fraction (Abramowitz
// and Stegun 26.5.8, evaluated by Lentz's method), to about 1e-15
// relative.
func StudentsTCDF(t, nu float64) float64 {
	if math.IsNaN(t) || !(nu > 0) || math.IsInf(nu, 1) {
		return math.NaN()
	}
	q := tTail(math.Abs(t), nu)
	if t > 0 {
		return 1 - q
	}
	return q
}

// StudentsTQuantile returns the t for which StudentsTCDF(t, nu) = p: -Inf
// for p = 0, +Inf for p = 1, and NaN for a p outside [0, 1] or a nu that
// StudentsTCDF refuses. It starts from the Cornish–Fisher expansion
// around the normal quantile and takes Newton steps, kept within a bracket
// of the root, until a step changes t by less than 1e-14 of it.
func StudentsTQuantile(p, nu float64) float64 {
	switch {
	case math.IsNaN(p) || p < 0 || p > 1 || !(nu > 0) || math.IsInf(nu, 1):
		return math.NaN()
	case p == 0:
		return math.Inf(-1)
	case p == 1:
		return math.Inf(1)
	case p == 0.5:
		return 0
	}
	if p < 0.5 {
		return -tUpper(p, nu)
	}
	return tUpper(1-p, nu)
}

// tUpper returns the s > 0 with P(T > s) = q, 0 < q < 1/2.
func tUpper(q, nu float64) float64 {
	z := -NormalQuantile(q)
	z2 := float64(z * z)
	// Cornish–Fisher: t ≈ z + (z³ + z)/(4ν) + (5z⁵ + 16z³ + 3z)/(96ν²).
	s := z + float64(z*(z2+1))/(4*nu) + float64(z*(float64(z2*(float64(5*z2)+16))+3))/float64(96*nu*nu)
	// A bracket [lo, hi] with P(T > lo) ≥ q > P(T > hi).
	lo, hi := 0.0, max(1, 2*s)
	for tTail(hi, nu) >= q && !math.IsInf(hi, 1) {
		lo, hi = hi, 2*hi
	}
	if !(s > lo && s < hi) {
		s = lo + float64((hi-lo)/2)
	}
	lpdf := -lbetaHalf(nu/2) - float64(0.5*Log(nu))
	for range 200 {
		g := tTail(s, nu) - q
		switch {
		case g == 0:
			return s
		case g > 0:
			lo = s
		default:
			hi = s
		}
		pdf := Exp(lpdf - float64((nu+1)/2*Log1p(s*s/nu)))
		next := s + g/pdf
		if !(next > lo && next < hi) {
			next = lo + float64((hi-lo)/2)
		}
		if math.Abs(next-s) <= 1e-14*s {
			return next
		}
		s = next
	}
	return s
}

// tTail returns P(T > s) for s ≥ 0: I_x(ν/2, 1/2)/2 with x = ν/(ν + s²),
// 1 − x = s²/(ν + s²), taken directly or as 1 − I_{1−x}(1/2, ν/2) as
// the continued fraction converges faster.
func tTail(s, nu float64) float64 {
	s2 := float64(s * s)
	switch {
	case s == 0:
		return 0.5
	case math.IsInf(s2, 1):
		return 0
	}
	a := float64(nu / 2)
	// log x = -log(1 + s²/ν) and log(1 − x) = -log(1 + ν/s²), both
	// accurate however small s²/ν or ν/s² is.
	logX, logY := -Log1p(s2/nu), -Log1p(nu/s2)
	x := nu / (nu + s2)
	lb := lbetaHalf(a)
	if x < (a+1)/(a+2.5) {
		return 0.5 * incBeta(a, 0.5, x, logX, logY, lb)
	}
	return 0.5 * (1 - incBeta(0.5, a, s2/(nu+s2), logY, logX, lb))
}

// incBeta returns the regularized incomplete beta function I_x(a, b),
// given log x, log(1 − x) and log B(a, b), by the continued fraction
//
//	I_x(a, b) = x^a (1−x)^b / (a B(a, b)) · 1/(1+ d₁/(1+ d₂/(1+ …)))
//	d₂ₘ₊₁ = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1)),  d₂ₘ = m(b−m)x / ((a+2m−1)(a+2m))
//
// evaluated by the modified Lentz method; it converges quickly for
// x < (a+1)/(a+b+2).
func incBeta(a, b, x, logX, logY, lbeta float64) float64 {
	const (
		tiny = 1e-300
		eps  = 1e-15
	)
	clamp := func(v float64) float64 {
		if math.Abs(v) < tiny {
			return tiny
		}
		return v
	}
	c, d := 1.0, 1/clamp(1-(a+b)*x/(a+1))
	h := d
	for m := 1.0; m <= 10000; m++ {
		even := m * (b - m) * x / ((a + 2*m - 1) * (a + 2*m))
		d = 1 / clamp(1+float64(even*d))
		c = clamp(1 + even/c)
		h *= d * c
		odd := -(a + m) * (a + b + m) * x / ((a + 2*m) * (a + 2*m + 1))
		d = 1 / clamp(1+float64(odd*d))
		c = clamp(1 + odd/c)
		step := float64(d * c)
		h *= step
		if math.Abs(step-1) < eps {
			break
		}
	}
	return Exp(float64(a*logX)+float64(b*logY)-lbeta) / a * h
}

// lbetaHalf returns log B(a, 1/2) = Lgamma(a) + log √π − Lgamma(a + 1/2).
// For a ≥ 8 it takes the difference of Lgamma's Stirling forms, in which
// the large terms cancel exactly:
//
//	Lgamma(a + 1/2) − Lgamma(a) = a·log(1 + 1/(2a)) − 1/2 + log(a)/2 + w(a + 1/2) − w(a)
func lbetaHalf(a float64) float64 {
	const logSqrtPi = 0.57236494292470008707171367567652935582364740645766 // log √π
	if a < 8 {
		return Lgamma(a) + logSqrtPi - Lgamma(a+0.5)
	}
	d := float64(a*Log1p(0.5/a)) - 0.5 + float64(0.5*Log(a)) + (stirlingW(a+0.5) - stirlingW(a))
	return logSqrtPi - d
}
