#!/usr/bin/env python3
"""
Generates the QuantLib reference vectors the pricing tests compare against, so CI needs no QuantLib:

  test/fixtures/quantlib/black76_quantlib.json   Black-76 (BlackCalculator on a forward)
  test/fixtures/quantlib/bsm_quantlib.json       Black-Scholes-Merton (BlackCalculator on S*exp((r-q)T),
                                                 and AnalyticEuropeanEngine on dated options)

Each row also carries `mp`: the same price and Greeks from the textbook closed forms (Haug 2007, ch. 1-2)
evaluated in 50-digit arithmetic (mpmath), so a test can tell an error of ours from one of QuantLib's:
QuantLib's CumulativeNormalDistribution switches to an asymptotic series below 1e-8 and is off by up to
~7e-8 relative just past the switch (x ~ -5.7), and 0.5*(1 + erf) loses relative accuracy below it.
`qlOff` lists the figures of a row where QuantLib differs from the 50-digit value by more than 1e-10
relative (a deep out-of-the-money price, or e.g. a deep in-the-money gamma of 4e-77 that is 1.1e-9 off).

Run (Debian: apt-get install -y quantlib-python python3-mpmath):
    /usr/bin/python3 scripts/quantlib/generate_quantlib_vectors.py
"""
import json
import math
import os

import QuantLib as ql
from mpmath import mp, mpf, ncdf, npdf, exp as mexp, log as mlog, sqrt as msqrt

mp.dps = 50
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'test', 'fixtures', 'quantlib')


def mp_greeks(is_call, S, K, T, sigma, r, q, forward_fixed):
    """Closed-form price and Greeks (calculus units) in 50 digits: on the forward F = S (Black-76, F fixed)
    when forward_fixed, else on the spot S with F = S*exp((r-q)T)."""
    S, K, T, sigma, r, q = (mpf(v) for v in (S, K, T, sigma, r, q))
    th = 1 if is_call else -1
    F = S if forward_fixed else S * mexp((r - q) * T)
    D = mexp(-r * T)
    s = sigma * msqrt(T)
    d1 = mlog(F / K) / s + s / 2
    d2 = d1 - s
    price = D * th * (F * ncdf(th * d1) - K * ncdf(th * d2))
    if forward_fixed:
        return {'price': price, 'delta': D * th * ncdf(th * d1), 'gamma': D * npdf(d1) / (F * s),
                'vega': D * F * npdf(d1) * msqrt(T), 'theta': -D * F * npdf(d1) * sigma / (2 * msqrt(T)) + r * price,
                'rho': -T * price}
    eq = mexp(-q * T)
    return {'price': price, 'delta': th * eq * ncdf(th * d1), 'gamma': eq * npdf(d1) / (S * s),
            'vega': S * eq * npdf(d1) * msqrt(T),
            'theta': -S * eq * npdf(d1) * sigma / (2 * msqrt(T)) - th * r * K * D * ncdf(th * d2) + th * q * S * eq * ncdf(th * d1),
            'rho': th * K * T * D * ncdf(th * d2), 'dividendRho': -th * S * T * eq * ncdf(th * d1)}


def floats(d):
    return {k: float(v) for k, v in d.items()}


def ql_off(ql, mpg):
    """Names of the figures where QuantLib is more than 1e-10 relative off the 50-digit value."""
    out = []
    for k, v in mpg.items():
        if v == 0:
            if ql[k] != 0 and abs(ql[k]) > 1e-300:
                out.append(k)
        elif abs((mpf(ql[k]) - v) / v) > mpf('1e-10'):
            out.append(k)
    return out


def black76_rows():
    rows = []
    F = 9350.0
    for typ in ('call', 'put'):
        for kf in (0.5, 0.7, 0.85, 0.95, 0.99, 1.0, 1.01, 1.05, 1.2, 1.5, 2.0):
            for T in (1 / 8760, 1 / 365, 7 / 365, 30 / 365, 0.25, 1.0, 2.0):
                for sigma in (0.05, 0.2, 0.5, 0.8, 1.5, 2.5):
                    for r in (0.0, 0.05):
                        K = F * kf
                        D = math.exp(-r * T)
                        std = sigma * math.sqrt(T)
                        payoff = ql.PlainVanillaPayoff(ql.Option.Call if typ == 'call' else ql.Option.Put, K)
                        c = ql.BlackCalculator(payoff, F, std, D)
                        mpg = mp_greeks(typ == 'call', F, K, T, sigma, r, 0.0, True)
                        ql_figures = {
                            'price': c.value(),
                            # dV/dF, d2V/dF2 (forward Greeks), dV/dsigma, -dV/dT at fixed F (spot = F),
                            # dV/dr at fixed F = QuantLib's rho + dividendRho (the forward does not move).
                            'delta': c.deltaForward(),
                            'gamma': c.gammaForward(),
                            'vega': c.vega(T),
                            'theta': c.theta(F, T),
                            'rho': c.rho(T) + c.dividendRho(T),
                        }
                        rows.append({'type': typ, 'F': F, 'K': K, 'T': T, 'sigma': sigma, 'r': r, **ql_figures,
                                     'mp': floats(mpg), 'qlOff': ql_off(ql_figures, mpg)})
    return rows


def bsm_rows():
    rows = []
    S = 9350.0
    for typ in ('call', 'put'):
        for kf in (0.5, 0.8, 0.95, 1.0, 1.05, 1.25, 2.0):
            for T in (1 / 365, 30 / 365, 0.5, 2.0):
                for sigma in (0.1, 0.4, 0.9, 2.0):
                    for r, q in ((0.0, 0.0), (0.05, 0.0), (0.03, 0.08), (0.1, 0.02)):
                        K = S * kf
                        D = math.exp(-r * T)
                        Fwd = S * math.exp((r - q) * T)
                        std = sigma * math.sqrt(T)
                        payoff = ql.PlainVanillaPayoff(ql.Option.Call if typ == 'call' else ql.Option.Put, K)
                        c = ql.BlackCalculator(payoff, Fwd, std, D)
                        mpg = mp_greeks(typ == 'call', S, K, T, sigma, r, q, False)
                        ql_figures = {
                            'price': c.value(), 'delta': c.delta(S), 'gamma': c.gamma(S), 'vega': c.vega(T),
                            'theta': c.theta(S, T), 'rho': c.rho(T), 'dividendRho': c.dividendRho(T),
                        }
                        rows.append({'type': typ, 'S': S, 'K': K, 'T': T, 'sigma': sigma, 'r': r, 'q': q, **ql_figures,
                                     'mp': floats(mpg), 'qlOff': ql_off(ql_figures, mpg)})
    return rows


def engine_rows():
    """AnalyticEuropeanEngine on dated options: T = days/365 (Actual365Fixed), flat curves."""
    rows = []
    today = ql.Date(14, 5, 2020)
    ql.Settings.instance().evaluationDate = today
    dc = ql.Actual365Fixed()
    for typ in ('call', 'put'):
        for S, K, days, sigma, r, q in (
            (60.0, 65.0, 91, 0.30, 0.08, 0.0),
            (100.0, 95.0, 182, 0.20, 0.10, 0.05),
            (9350.0, 10000.0, 43, 0.85, 0.0, 0.0),
            (9350.0, 6000.0, 225, 1.10, 0.01, 0.0),
            (430.0, 405.0, 30, 0.20, 0.07, 0.05),
        ):
            spot = ql.SimpleQuote(S)
            rts = ql.FlatForward(today, r, dc)
            qts = ql.FlatForward(today, q, dc)
            vts = ql.BlackConstantVol(today, ql.NullCalendar(), sigma, dc)
            proc = ql.BlackScholesMertonProcess(ql.QuoteHandle(spot), ql.YieldTermStructureHandle(qts),
                                                ql.YieldTermStructureHandle(rts), ql.BlackVolTermStructureHandle(vts))
            opt = ql.EuropeanOption(ql.PlainVanillaPayoff(ql.Option.Call if typ == 'call' else ql.Option.Put, K),
                                    ql.EuropeanExercise(today + days))
            opt.setPricingEngine(ql.AnalyticEuropeanEngine(proc))
            rows.append({
                'type': typ, 'S': S, 'K': K, 'T': days / 365.0, 'sigma': sigma, 'r': r, 'q': q,
                'price': opt.NPV(), 'delta': opt.delta(), 'gamma': opt.gamma(), 'vega': opt.vega(),
                'theta': opt.theta(), 'rho': opt.rho(), 'dividendRho': opt.dividendRho(),
            })
    return rows


def write(name, doc):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), 'w') as fh:
        json.dump(doc, fh, separators=(',', ':'))
        fh.write('\n')


META = {
    'generator': 'scripts/quantlib/generate_quantlib_vectors.py',
    'quantlib': ql.__version__,
    'units': 'calculus units: vega per unit sigma, theta per year (-dV/dT), rho and dividendRho per unit rate',
}
b76 = black76_rows()
write('black76_quantlib.json', {**META, 'model': 'Black-76 via ql.BlackCalculator(payoff, F, sigma*sqrt(T), exp(-rT))',
                                'rows': b76})
bsm = bsm_rows()
write('bsm_quantlib.json', {**META, 'model': 'BSM via ql.BlackCalculator(payoff, S*exp((r-q)T), sigma*sqrt(T), exp(-rT)); '
                                              'engineRows via ql.AnalyticEuropeanEngine, Actual365Fixed, T = days/365',
                            'rows': bsm, 'engineRows': engine_rows()})
print('black76 rows', len(b76), 'with a QuantLib figure off', sum(1 for r in b76 if r['qlOff']), 'price off', sum(1 for r in b76 if 'price' in r['qlOff']))
print('bsm rows', len(bsm), 'with a QuantLib figure off', sum(1 for r in bsm if r['qlOff']), 'price off', sum(1 for r in bsm if 'price' in r['qlOff']))
