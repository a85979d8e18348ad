#!/usr/bin/env python3
"""Refits the two polynomials of the standard normal CDF that GELU and its gradient use
(vnormal_tail_ratio and vnormal_center in native/kernels/cpu/isa/vmath.inc) and prints their
float coefficients, highest degree first, with the worst relative error.

Needs Debian's python3-numpy and python3-mpmath.
    Phi(-a) e^(a^2 / 2) (a + 3), a in [1, 15], degree 7 in t = (a - 3) / (a + 3), which maps
        [1, 15] onto [-1/2, 2/3]
    (1/2 - Phi(-a)) / a = erf(a / sqrt(2)) / (2 a), a in [0, 1], degree 5 in a^2
Each fit is least squares in the relative error, reweighted (Lawson) towards the minimax
solution. The coefficients are rounded to float one at a time from the constant term up, the ones
above refitted each time, so that they make up for the rounding.
"""
import sys

import mpmath as mp
import numpy as np

from fit_erf import nodes, worst_relative_error  # its neighbour in scripts/vmath

mp.mp.dps = 40


def tail(t):
    a = 3 * (1 + t) / (1 - t)
    return mp.erfc(a / mp.sqrt(2)) / 2 * mp.exp(a * a / 2) * (a + 3)


def center(u):
    if u == 0:
        return 1 / mp.sqrt(2 * mp.pi)
    a = mp.sqrt(u)
    return mp.erf(a / mp.sqrt(2)) / (2 * a)


def lawson(basis, rhs):
    w = np.full(len(rhs), 1.0 / len(rhs))
    for _ in range(40):
        c, *_ = np.linalg.lstsq(basis * np.sqrt(w)[:, None], rhs * np.sqrt(w), rcond=None)
        w *= np.abs(basis @ c - rhs) + 1e-30
        w /= w.sum()
    return c


def fit(f, lo, hi, degree, n=800):
    x = nodes(lo, hi, n)
    y = np.array([float(f(mp.mpf(v))) for v in x])
    basis = np.vstack([x**k for k in range(degree + 1)]).T / y[:, None]
    fixed = []
    for k in range(degree + 1):
        rest = 1 - basis[:, :k] @ np.array(fixed) if fixed else np.ones(n)
        fixed.append(float(np.float32(lawson(basis[:, k:], rest)[0])))
    c = np.array(fixed)
    return c, worst_relative_error(f, c, lo, hi)


def main():
    if "--help" in sys.argv:
        print(__doc__)
        return
    for name, f, lo, hi, degree in [
        ("vnormal_tail_ratio (in t = (a - 3) / (a + 3))", tail, -0.5, 2 / 3, 7),
        ("vnormal_center (in u = a^2)", center, 0.0, 1.0, 5),
    ]:
        c, err = fit(f, lo, hi, degree)
        print(f"{name}: max relative error {err:.2e}")
        for v in c[::-1]:
            print(f"  {np.format_float_positional(np.float32(v), unique=True)}f")


if __name__ == "__main__":
    main()
