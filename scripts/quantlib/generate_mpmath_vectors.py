#!/usr/bin/env python3
"""
Generates high-precision reference vectors (mpmath; 60 significant digits for the normal distribution,
430 for the option figures, so that Greeks as small as 1e-300 of the price scale are still resolved by
the finite differences below), independent of Riskdesk's
closed forms, for what QuantLib does not give or gives less accurately than float64 allows:

  test/fixtures/quantlib/mpmath_normal.json   Phi(x), phi(x) for x in [-38.4, 8]; Phi^-1(p) down to 1e-300
  test/fixtures/quantlib/mpmath_black76.json  Black-76 price and Greeks, tails and minutes-to-expiry included
  test/fixtures/quantlib/mpmath_bsm.json      Black-Scholes-Merton price and Greeks

Every Greek is a *numerical* derivative of the high-precision price (central differences with a relative
step h = 1e-40, truncation error ~h^2 = 1e-80 relative), not the textbook formula, so it checks our
formulas and units:
delta = dV/dF (dV/dS), gamma = d2V/dF2, vega = dV/dsigma, theta = -dV/dT, rho = dV/dr (F fixed for
Black-76, S fixed for BSM), dividendRho = dV/dq, vanna = d2V/dF dsigma, volga = d2V/dsigma2,
charm = -d2V/dF dT. Values are rounded to float64 once, at the end.

Run: python3 scripts/quantlib/generate_mpmath_vectors.py   (needs mpmath only)
"""
import json
import os

from mpmath import mp, mpf, ncdf, npdf, exp, log, sqrt, erfinv

mp.dps = 60
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'test', 'fixtures', 'quantlib')


def black(is_call, F, K, T, sigma, r):
    s = sigma * sqrt(T)
    d1 = log(F / K) / s + s / 2
    d2 = d1 - s
    D = exp(-r * T)
    if is_call:
        return D * (F * ncdf(d1) - K * ncdf(d2))
    return D * (K * ncdf(-d2) - F * ncdf(-d1))


def f(x):
    return float(x)


def normal_doc():
    xs = [mpf(-38.4) + mpf(i) * mpf('0.1') for i in range(0, 465)]  # -38.4 .. 8.0
    xs += [mpf(v) for v in ('-37.5', '-26.3', '-12.25', '-7.123', '-5.7', '-5.5', '-1e-8', '1e-8', '0.46875', '0.66291', '5.656854249492381')]
    rows = [{'x': f(x), 'Phi': f(ncdf(mpf(f(x)))), 'phi': f(npdf(mpf(f(x))))} for x in xs]
    ps = ['1e-300', '1e-200', '1e-100', '1e-50', '1e-20', '1e-10', '1e-5', '0.001', '0.02425', '0.1', '0.3', '0.4999', '0.5',
          '0.6', '0.9', '0.97575', '0.999']
    inv = []
    for p in ps:
        pf = float(p)
        with mp.workdps(700):  # 2p - 1 must keep p's digits even for p = 1e-300
            root = sqrt(2) * erfinv(2 * mpf(pf) - 1)
        inv.append({'p': pf, 'x': f(root)})
    return {'rows': rows, 'inverse': inv}


H = mpf(10) ** -40


def d1(f, x):
    h = H * x
    return (f(x + h) - f(x - h)) / (2 * h)


def d2(f, x):
    h = H * x
    return (f(x + h) - 2 * f(x) + f(x - h)) / (h * h)


def dxy(f, x, y):
    hx, hy = H * x, H * y
    return (f(x + hx, y + hy) - f(x + hx, y - hy) - f(x - hx, y + hy) + f(x - hx, y - hy)) / (4 * hx * hy)


def dr(f, r):
    """Derivative in a rate, which may be 0: absolute step."""
    h = H
    return (f(r + h) - f(r - h)) / (2 * h)


def b76_row(typ, F, K, T, sigma, r):
    with mp.workdps(430):
        is_call = typ == 'call'
        F, K, T, sigma, r = (mpf(v) for v in (F, K, T, sigma, r))
        V = lambda F_, T_, s_, r_: black(is_call, F_, K, T_, s_, r_)
        return {
            'price': f(V(F, T, sigma, r)),
            'delta': f(d1(lambda x: V(x, T, sigma, r), F)),
            'gamma': f(d2(lambda x: V(x, T, sigma, r), F)),
            'vega': f(d1(lambda x: V(F, T, x, r), sigma)),
            'theta': f(-d1(lambda x: V(F, x, sigma, r), T)),
            'rho': f(dr(lambda x: V(F, T, sigma, x), r)),
            'vanna': f(dxy(lambda a, b: V(a, T, b, r), F, sigma)),
            'volga': f(d2(lambda x: V(F, T, x, r), sigma)),
            'charm': f(-dxy(lambda a, b: V(a, b, sigma, r), F, T)),
        }


def black76_doc():
    rows = []
    F = 9350.0
    for typ in ('call', 'put'):
        for kf in (0.3, 0.6, 0.8, 0.9, 0.97, 0.999, 1.0, 1.001, 1.03, 1.1, 1.25, 1.6, 3.0):
            for T in (1 / 525600, 1 / 8760, 1 / 365, 30 / 365, 1.0, 5.0):
                for sigma in (0.05, 0.3, 1.0, 3.0, 5.0):
                    for r in (0.0, 0.04):
                        row = {'type': typ, 'F': F, 'K': F * kf, 'T': T, 'sigma': sigma, 'r': r}
                        row.update(b76_row(typ, F, F * kf, T, sigma, r))
                        rows.append(row)
    return {'rows': rows}


def bsm_row(typ, S, K, T, sigma, r, q):
    with mp.workdps(430):
        is_call = typ == 'call'
        S, K, T, sigma, r, q = (mpf(v) for v in (S, K, T, sigma, r, q))
        V = lambda S_, T_, s_, r_, q_: black(is_call, S_ * exp((r_ - q_) * T_), K, T_, s_, r_)
        return {
            'price': f(V(S, T, sigma, r, q)),
            'delta': f(d1(lambda x: V(x, T, sigma, r, q), S)),
            'gamma': f(d2(lambda x: V(x, T, sigma, r, q), S)),
            'vega': f(d1(lambda x: V(S, T, x, r, q), sigma)),
            'theta': f(-d1(lambda x: V(S, x, sigma, r, q), T)),
            'rho': f(dr(lambda x: V(S, T, sigma, x, q), r)),
            'dividendRho': f(dr(lambda x: V(S, T, sigma, r, x), q)),
            'vanna': f(dxy(lambda a, b: V(a, T, b, r, q), S, sigma)),
            'volga': f(d2(lambda x: V(S, T, x, r, q), sigma)),
            'charm': f(-dxy(lambda a, b: V(a, b, sigma, r, q), S, T)),
        }


def bsm_doc():
    rows = []
    S = 100.0
    for typ in ('call', 'put'):
        for kf in (0.6, 0.9, 1.0, 1.1, 1.5):
            for T in (1 / 365, 0.25, 2.0):
                for sigma in (0.15, 0.6, 2.0):
                    for r, q in ((0.0, 0.0), (0.05, 0.0), (0.03, 0.08)):
                        row = {'type': typ, 'S': S, 'K': S * kf, 'T': T, 'sigma': sigma, 'r': r, 'q': q}
                        row.update(bsm_row(typ, S, S * kf, T, sigma, r, q))
                        rows.append(row)
    return {'rows': rows}


def write(name, doc):
    os.makedirs(OUT, exist_ok=True)
    doc = {'generator': 'scripts/quantlib/generate_mpmath_vectors.py', 'mpmathDigits': 430,
           'units': 'calculus units: per unit sigma, per year, per unit rate', **doc}
    with open(os.path.join(OUT, name), 'w') as fh:
        json.dump(doc, fh, separators=(',', ':'))
        fh.write('\n')


write('mpmath_normal.json', normal_doc())
write('mpmath_bsm.json', bsm_doc())
write('mpmath_black76.json', black76_doc())
print('done')
