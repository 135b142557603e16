"""Minimax polynomial fits in mpmath, for the coefficient tables of the math kernels.

``remez(f, w, powers, a, b)`` minimises ``max |w(x) (f(x) - sum c_i x^p_i)|`` on ``[a, b]``
by the Remez exchange (starting from Chebyshev points); ``lsq(...)`` gets near-minimax
coefficients by least squares on Chebyshev points, reweighted towards the minimax solution
(Lawson), where the exchange struggles. ``max_err`` grades coefficients (e.g. after rounding
them to the target precision) on a dense grid.
"""

from mpmath import cos, lu_solve, matrix, mp, mpf, pi, qr_solve, sqrt

mp.dps = 60


def poly(c, powers, x):
    """``sum c_i x^p_i``."""
    return sum(mpf(cj) * x**p for cj, p in zip(c, powers, strict=True))


def remez(f, w, powers, a, b, iters=30, grid=4000):
    a, b = mpf(a), mpf(b)
    n = len(powers)
    m = n + 1
    xs = [(a + b) / 2 - (b - a) / 2 * cos(pi * i / (m - 1)) for i in range(m)]
    c = None
    for _ in range(iters):
        A, rhs = matrix(m, m), matrix(m, 1)
        for i, x in enumerate(xs):
            for j, p in enumerate(powers):
                A[i, j] = w(x) * x**p
            A[i, n] = (-1) ** i
            rhs[i] = w(x) * f(x)
        sol = lu_solve(A, rhs)
        c = [sol[j] for j in range(n)]
        g = [a + (b - a) * i / grid for i in range(grid + 1)]
        ev = [w(x) * (f(x) - poly(c, powers, x)) for x in g]
        ext = []  # local extrema of |error|, merged to alternate in sign
        for i, v in enumerate(ev):
            if (i == 0 or abs(v) >= abs(ev[i - 1])) and (i == grid or abs(v) >= abs(ev[i + 1])):
                if ext and (ext[-1][1] > 0) == (v > 0):
                    if abs(v) > abs(ext[-1][1]):
                        ext[-1] = (g[i], v)
                else:
                    ext.append((g[i], v))
        while len(ext) > m:
            ext.pop(0 if abs(ext[0][1]) < abs(ext[-1][1]) else -1)
        if len(ext) < m:
            break
        xs = [x for x, _ in ext]
    return c


def lsq(f, w, powers, a, b, npts=120, iters=6):
    xs = [(a + b) / 2 - (b - a) / 2 * cos(pi * (i + mpf(1) / 2) / npts) for i in range(npts)]
    lw = [mpf(1)] * npts
    c = None
    for _ in range(iters):
        A, rhs = matrix(npts, len(powers)), matrix(npts, 1)
        for i, x in enumerate(xs):
            s = w(x) * sqrt(lw[i])
            for j, p in enumerate(powers):
                A[i, j] = s * x**p
            rhs[i] = s * f(x)
        sol, _ = qr_solve(A, rhs)
        c = [sol[j] for j in range(len(powers))]
        err = [abs(w(x) * (f(x) - poly(c, powers, x))) for x in xs]
        tot = sum(lw[i] * err[i] for i in range(npts))
        lw = [lw[i] * err[i] / tot * npts for i in range(npts)]
    return c


def max_err(f, w, powers, c, a, b, grid=20000):
    a, b = mpf(a), mpf(b)
    pts = (a + (b - a) * i / grid for i in range(grid + 1))
    return max(abs(w(x) * (f(x) - poly(c, powers, x))) for x in pts)
