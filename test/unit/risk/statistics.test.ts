/**
 * The risk room's estimators against numpy/scipy figures computed offline on the real BTC daily file
 * (mathaszip Bitstamp/Coinbase BTC/USD), returns dated 2019-05-14 … 2020-05-13 (366 daily log returns; the
 * script: returns r = ln(close_D/close_{D−1}); the figures below are its printed output).
 */
import { describe, expect, it } from 'vitest'
import { fitGarch11, ewmaVariance } from '../../../src/main/domain/risk/volatility'
import { fitStudentTDegrees } from '../../../src/main/domain/risk/studentT'
import { covariance } from '../../../src/main/domain/risk/linearAlgebra'
import { empiricalQuantiles, tailEstimate } from '../../../src/main/domain/risk/tailEstimators'
import { blockStream } from '../../../src/main/domain/risk/randomStreams'
import { btcDaily, ethDaily, logReturns } from '../../support/dailyCloses'

const btc = logReturns(btcDaily(), '2019-05-14', '2020-05-13')
const eth = logReturns(ethDaily(), '2019-05-14', '2020-05-13')

describe('tail estimators', () => {
  it('VaR is the inverted-CDF quantile and ES the Acerbi–Tasche tail mean (numpy)', () => {
    // pnl = 9347.68 × (e^r − 1) (1 BTC at the demo's index); numpy.quantile(pnl, 1 − α, method="inverted_cdf"),
    // ES = −(Σ worst ⌊N(1−α)⌋ + frac × next)/(N(1−α)):
    // α 0.95: VaR 540.014865053118, ES 945.9517173834837; α 0.99: VaR 1122.1856214835548, ES 1879.8444642138113.
    expect(btc.length).toBe(366)
    const pnl = btc.map((r) => 9347.68 * Math.expm1(r))
    const t95 = tailEstimate(pnl, 0.95)
    expect(t95.var).toBeCloseTo(540.014865053118, 8)
    expect(t95.es).toBeCloseTo(945.9517173834837, 8)
    const t99 = tailEstimate(pnl, 0.99)
    expect(t99.var).toBeCloseTo(1122.1856214835548, 8)
    expect(t99.es).toBeCloseTo(1879.8444642138113, 8)
    expect(t99.esWeights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14)
    expect(empiricalQuantiles(pnl, [0.01])[0]).toBe(-t99.var)
  })

  it('takes the k-th worst with k = ⌈N(1 − α)⌉, exact at integer N(1 − α)', () => {
    // 1,000 outcomes −1 … −1000 and more: at 99 % N(1 − α) = 10 → VaR = 10th worst; ES = mean of the 10 worst.
    const pnl = Array.from({ length: 1000 }, (_, i) => i - 999) // −999 … 0
    const t = tailEstimate(pnl, 0.99)
    expect(t.var).toBe(990)
    expect(t.es).toBeCloseTo((999 + 998 + 997 + 996 + 995 + 994 + 993 + 992 + 991 + 990) / 10, 10)
    expect(() => tailEstimate([1, Number.NaN], 0.99)).toThrow(/finite/)
  })
})

describe('volatility models', () => {
  it('EWMA λ 0.94 matches numpy on the first 40 returns', () => {
    // numpy: v = mean(r[:30]²); v[t] then v = 0.94 v + 0.06 r[t]²
    const e = ewmaVariance(btc.slice(0, 40))
    expect(e.variances[0]).toBeCloseTo(0.0016846371829234265, 15)
    expect(e.variances[39]! / 0.001454532992167745).toBeCloseTo(1, 12)
    expect(e.forecast / 0.0014691631983754971).toBeCloseTo(1, 12)
  })

  it('GARCH(1,1) MLE reaches scipy’s likelihood and parameters', () => {
    // scipy.optimize.minimize(Nelder-Mead, xatol=fatol=1e-12) on the same Gaussian likelihood, σ²₀ = mean(r[:30]²):
    // ω = 3.43305364e-04, α = 0.117528515, β = 0.754378441, log-likelihood 605.4301923057847.
    const g = fitGarch11(btc)
    expect(g.logLikelihood).toBeGreaterThan(605.4301923057847 - 1e-3)
    expect(g.alpha).toBeCloseTo(0.1175, 2)
    expect(g.beta).toBeCloseTo(0.7544, 2)
    expect(g.omega / 3.43305364e-4).toBeCloseTo(1, 1)
    expect(g.alpha + g.beta).toBeLessThan(1)
  })

  it('Student-t degrees of freedom by MLE match scipy.stats.multivariate_t', () => {
    // BTC and ETH (Binance ETHUSDT) returns; shape = S(ν − 2)/ν with S = np.cov(ddof=1); scipy
    // minimize_scalar(bounded) of −Σ multivariate_t.logpdf: ν = 3.0760352473951724.
    const rows = btc.map((r, i) => [r, eth[i]!])
    const s = covariance(rows)
    expect(s[0]![1]).toBeCloseTo(0.0023864503442031612, 12)
    expect(fitStudentTDegrees(rows, s).df).toBeCloseTo(3.0760352473951724, 3)
  })
})

describe('random streams', () => {
  it('a block’s draws depend on the seed and block only, and look standard normal', () => {
    const a = blockStream(42, 3, 5)
    const b = blockStream(42, 3, 5)
    const xs = Array.from({ length: 5 }, () => a.normal())
    expect(Array.from({ length: 5 }, () => b.normal())).toEqual(xs)
    expect(blockStream(42, 4, 5).normal()).not.toBe(xs[0])
    const s = blockStream(7, 0, 5)
    const n = 200_000
    let m1 = 0
    let m2 = 0
    let c = 0
    for (let i = 0; i < n; i++) {
      const z = s.normal()
      m1 += z / n
      m2 += (z * z) / n
      c += s.chiSquare() / n
    }
    // Standard errors: mean 1/√n = 0.0022, E[z²] √(2/n) = 0.0032, χ²₅ mean √(10/n) = 0.0071; 4 SE bounds.
    expect(Math.abs(m1)).toBeLessThan(0.009)
    expect(Math.abs(m2 - 1)).toBeLessThan(0.013)
    expect(Math.abs(c - 5)).toBeLessThan(0.029)
  })
})
