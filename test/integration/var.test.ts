/**
 * VaR and its backtest on a real SQLite database, real worker threads and the real BTC daily file
 * (mathaszip Bitstamp/Coinbase BTC/USD, ../shared/data/real/market/), valued with the real Deribit chain of
 * 2020-05-14 (BTC index 9,347.68 at 05:44 UTC).
 *
 * Independent figures (numpy/scipy, computed offline): the window is the 365 daily log returns dated
 * 2019-05-15 … 2020-05-13 (the close of 05-13 is known from 05-14 00:00 UTC, before the valuation instant),
 * r = ln(close_D / close_{D−1}); 1 BTC's P&L in a scenario is 9,347.68 × (e^r − 1).
 *  - historical, 99 %: numpy.quantile(pnl, 0.01, method="inverted_cdf") = −1,122.1856214835548 (the 4th
 *    worst of 365, k = ⌈3.65⌉); Acerbi–Tasche ES = −(3 worst + 0.65 × 4th)/3.65 = 1,881.9202418651269;
 *    95 %: VaR 540.014865053118, ES 947.0638731432929;
 *  - σ = np.std(r, ddof=1) = 0.04757715871283634; z = scipy.stats.norm.ppf(0.01) = −2.3263478740408408:
 *    delta-normal VaR = −z·σ·9,347.68 = 1,034.6107759580761, ES = σ·φ(z)/0.01·9,347.68 = 1,185.3168579713742;
 *  - Monte Carlo (normal) revalues in full, so its P&L is 9,347.68 × (e^X − 1), X ~ N(0, σ²): closed forms
 *    VaR = 9,347.68 × (1 − e^{zσ}) = 979.4100872936745, ES = 9,347.68 × (1 − e^{σ²/2}Φ(z − σ)/0.01) =
 *    1,112.3484564863409; with 100,000 paths the standard errors are 4.70 (√(p(1−p)/N)/f(VaR)) and 5.66
 *    (√((Var[L | tail] + α(ES − VaR)²)/(N(1 − α))), scipy.integrate.quad for the tail variance);
 *  - backtest 2019-01-01 … 2020-12-31 (731 days), each day's VaR the 4th worst of the 365 P&Ls before it:
 *    5 exceptions, on 2019-06-27, 2019-07-16, 2019-09-24, 2020-03-12, 2020-09-03.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../src/main/db/database'
import { StressPool } from '../../src/main/engine/stressPool'
import { runBacktest } from '../../src/main/services/backtestService'
import { importFile } from '../../src/main/services/importService'
import { runVar } from '../../src/main/services/varService'
import { backtestRequest, varRequest, type VarRequest, type VarResult } from '../../src/shared/varApi'
import { BTC_DAILY } from '../support/dailyCloses'
import { CHAIN_2020_05_14, FIXTURES, REPO, tempDir } from '../support/paths'

let db: Db
let pool: StressPool
beforeAll(() => {
  db = openDatabase(join(tempDir(), 'riskdesk.db'))
  importFile(db, CHAIN_2020_05_14)
  importFile(db, BTC_DAILY, { underlying: 'BTC' })
  importFile(db, join(FIXTURES, 'var', 'one-btc-balance.csv'), { portfolio: 'one' })
  importFile(db, join(REPO, 'resources', 'demo', 'demo-portfolio.csv'), { portfolio: 'demo' })
  importFile(db, join(REPO, 'resources', 'demo', 'demo-balances.csv'), { portfolio: 'demo' })
  pool = new StressPool({ workers: 2 })
}, 120_000)
afterAll(async () => {
  await pool.close()
  db.close()
})

const run = (r: VarRequest, p = pool) => runVar(db, p, varRequest.parse(r))
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

describe('VaR of 1 BTC (closed forms and the empirical quantile)', () => {
  it('historical VaR and ES are the empirical quantile and tail mean of the real file', async () => {
    const r = await run({ portfolio: 'one', method: 'historical' })
    expect(r.window).toEqual({ first: '2019-05-15', last: '2020-05-13', returns: 365, gaps: [] })
    expect(r.scenarios).toBe(365)
    expect(r.var).toBeCloseTo(1122.1856214835548, 6)
    expect(r.es).toBeCloseTo(1881.9202418651269, 6)
    const r95 = await run({ portfolio: 'one', method: 'historical', confidence: 0.95 })
    expect(r95.var).toBeCloseTo(540.014865053118, 6)
    expect(r95.es).toBeCloseTo(947.0638731432929, 6)
    expect(r.factors).toEqual([{ name: 'BTC', kind: 'spot', proxy: false, dailySd: expect.closeTo(0.04757715871283634, 12) }])
  })

  it('delta-normal VaR = z·σ·|exposure| and ES = σ·φ(z)/(1 − α)·|exposure|; delta-gamma agrees on a linear book', async () => {
    const dn = await run({ portfolio: 'one', method: 'parametric', parametric: 'delta-normal' })
    expect(dn.var).toBeCloseTo(1034.6107759580761, 6)
    expect(dn.es).toBeCloseTo(1185.3168579713742, 6)
    const dg = await run({ portfolio: 'one', method: 'parametric' })
    expect(dg.var).toBeCloseTo(dn.var, 9)
    expect(dg.es).toBeCloseTo(dn.es, 9)
  })

  it('Monte Carlo (normal, 100,000 paths) is within 3 standard errors of the closed forms', async () => {
    const mc = await run({ portfolio: 'one', method: 'montecarlo', distribution: 'normal', paths: 100_000, seed: 20200514 })
    expect(mc.scenarios).toBe(100_000)
    expect(Math.abs(mc.var - 979.4100872936745)).toBeLessThan(3 * 4.700235926411576)
    expect(Math.abs(mc.es - 1112.3484564863409)).toBeLessThan(3 * 5.658761073970505)
  })
})

describe('the demo book', () => {
  const methods: VarRequest[] = [
    { method: 'historical' },
    { method: 'historical', horizonDays: 10 },
    { method: 'fhs' },
    { method: 'fhs', filter: 'garch' },
    { method: 'parametric' },
    { method: 'parametric', parametric: 'delta-normal', horizonDays: 10 },
    { method: 'montecarlo', paths: 4_000 },
  ]
  it.each(methods)('components add up to VaR and ES within 1e-9 by position, underlying and account (%o)', async (m) => {
    for (const by of ['position', 'underlying', 'account'] as const) {
      const r = await run({ portfolio: 'demo', ...m, by })
      expect(Math.abs(sum(r.contributions.map((c) => c.var)) - r.var) / Math.abs(r.var)).toBeLessThan(1e-9)
      expect(Math.abs(sum(r.contributions.map((c) => c.es)) - r.es) / Math.abs(r.es)).toBeLessThan(1e-9)
      expect(r.contributions.length).toBe(by === 'position' ? 18 : by === 'underlying' ? 1 : 2)
      expect(r.es).toBeGreaterThanOrEqual(r.var - 1e-9)
    }
  }, 120_000)

  it('says the vol factor is a proxy, and the 10-day horizon is not √10 × the 1-day figure', async () => {
    const one = await run({ portfolio: 'demo', method: 'historical' })
    const ten = await run({ portfolio: 'demo', method: 'historical', horizonDays: 10 })
    expect(one.factors.find((f) => f.kind === 'vol')).toMatchObject({ name: 'BTC vol', proxy: true })
    expect(one.notes.some((n) => n.includes('PROXY'))).toBe(true)
    expect(ten.scenarios).toBe(356) // 365 − 10 + 1 overlapping 10-day sums
    expect(Math.abs(ten.var / one.var - Math.sqrt(10))).toBeGreaterThan(0.05)
  })

  it('same seed, same figures with 1 and 2 workers (Student-t Monte Carlo)', async () => {
    const single = new StressPool({ workers: 1 })
    try {
      const req: VarRequest = { portfolio: 'demo', method: 'montecarlo', paths: 5_000, seed: 7 }
      const a = await run(req, single)
      const b = await run(req)
      const pick = (r: VarResult) => [r.var, r.es, r.contributions, r.distribution.quantiles, r.fitted]
      expect(pick(b)).toEqual(pick(a))
      expect(a.fitted!.degreesOfFreedom).toBeGreaterThan(2)
      const c = await run({ ...req, seed: 8 })
      expect(c.var).not.toBe(a.var)
    } finally {
      await single.close()
    }
  }, 120_000)
})

describe('backtest', () => {
  it('1 BTC over 2019–2020: the exceptions of the independent computation', async () => {
    const r = await runBacktest(db, pool, backtestRequest.parse({ portfolio: 'one', from: '2019-01-01', to: '2020-12-31' }))
    expect(r.days).toBe(731)
    expect(r.series.filter((s) => s.exception).map((s) => s.date)).toEqual(['2019-06-27', '2019-07-16', '2019-09-24', '2020-03-12', '2020-09-03'])
    expect(r.exceptions).toBe(5)
    expect(r.expectedExceptions).toBeCloseTo(7.31, 10)
  }, 120_000)

  it.each(['historical', 'fhs', 'parametric'] as const)('the demo book over 2019–2020 (%s): counts consistent', async (method) => {
    const r = await runBacktest(db, pool, backtestRequest.parse({ portfolio: 'demo', method, from: '2019-01-01', to: '2020-12-31' }))
    expect(r.days).toBe(731)
    expect(r.series).toHaveLength(731)
    expect(r.exceptions).toBe(r.series.filter((s) => -s.pnlUsd > s.var).length)
    const t = r.transitions
    expect(t.n00 + t.n01 + t.n10 + t.n11).toBe(730)
    expect(t.n01 + t.n11).toBe(r.exceptions - (r.series[0]!.exception ? 1 : 0))
    expect(r.series.every((s) => s.var > 0)).toBe(true)
    expect(['green', 'yellow', 'red']).toContain(r.trafficLight.zone)
    expect(r.notes.some((n) => n.includes('after the valuation date'))).toBe(true)
  }, 120_000)

  it('refuses a period without a full window before it', async () => {
    await expect(runBacktest(db, pool, backtestRequest.parse({ portfolio: 'one', from: '2011-09-01', to: '2011-12-31' }))).rejects.toThrow(/window needs 365/)
  })
})
