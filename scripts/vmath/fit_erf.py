#!/usr/bin/env python3
"""Refits the erf and erfc polynomials of native/kernels/cpu/isa/vmath.inc (verf_small_d and
verfc_tail_d) and prints their coefficients, highest degree first, with the worst relative error.

Needs Debian's python3-numpy and python3-mpmath. Weighted least squares on Chebyshev nodes:
    erf(z) / z          as a polynomial of degree 7 in z^2,  z in [0, 1]
    erfc(z) e^(z^2) z   as a polynomial of degree 12 in 1/z, z in [1, 10.5]
"""
import sys

import mpmath as mp
import numpy as np

mp.mp.dps = 40


def nodes(lo, hi, n):
    return (lo + hi) / 2 + (hi - lo) / 2 * np.cos(np.pi * (np.arange(n) + 0.5) / n)


def worst_relative_error(f, c, lo, hi):
    """The polynomial with coefficients c (lowest degree first) against f on 5001 points."""
    xt = np.linspace(lo, hi, 5001)
    yt = np.array([float(f(mp.mpf(v))) for v in xt])
    return np.max(np.abs(np.polyval(c[::-1], xt) / yt - 1))


def fit(f, lo, hi, degree, n_nodes):
    x = nodes(lo, hi, n_nodes)
    y = np.array([float(f(mp.mpf(v))) for v in x])
    basis = np.vstack([x**k for k in range(degree + 1)]).T
    c, *_ = np.linalg.lstsq(basis / y[:, None], np.ones_like(y), rcond=None)  # relative error
    return c, worst_relative_error(f, c, lo, hi)


def main():
    if "--help" in sys.argv:
        print(__doc__)
        return
    erf_over_z = lambda u: mp.erf(mp.sqrt(u)) / mp.sqrt(u) if u > 0 else 2 / mp.sqrt(mp.pi)
    tail = lambda s: mp.erfc(1 / s) * mp.exp(1 / s**2) / s
    for name, f, lo, hi, degree, n_nodes in [
        ("verf_small_d (in u = z^2)", erf_over_z, 0.0, 1.0, 7, 400),
        ("verfc_tail_d (in s = 1/z)", tail, 1 / 10.5, 1.0, 12, 600),
    ]:
        c, err = fit(f, lo, hi, degree, n_nodes)
        print(f"{name}: max relative error {err:.2e}")
        for v in c[::-1]:
            print(f"  {float(v)!r}")


if __name__ == "__main__":
    main()
