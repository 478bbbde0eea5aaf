/**
 * `riskdesk var` and `riskdesk backtest` as a user runs them: the JSON fields the issue lists, text output, and
 * clear errors. Figures: the 1 BTC book of var.test.ts (historical 99 % VaR 1,122.19 USD = numpy's
 * inverted-CDF quantile of 9,347.68 × (e^r − 1) over the returns dated 2019-05-15 … 2020-05-13).
 */
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runRiskdesk } from '../support/cli'
import { BTC_DAILY } from '../support/dailyCloses'
import { CHAIN_2020_05_14, FIXTURES, tempDir } from '../support/paths'

let db: string
beforeAll(async () => {
  db = join(tempDir(), 'riskdesk.db')
  expect((await runRiskdesk(db, 'import', CHAIN_2020_05_14)).code).toBe(0)
  expect((await runRiskdesk(db, 'import', join(FIXTURES, 'var', 'one-btc-balance.csv'), '--portfolio', 'one')).code).toBe(0)
}, 120_000)

describe('riskdesk var / backtest', () => {
  it('says how to get history when none is stored', async () => {
    const r = await runRiskdesk(db, 'var')
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/no stored daily closes of BTC.*import a price history/)
  }, 60_000)

  it('prints the issue’s JSON fields and a text report', async () => {
    expect((await runRiskdesk(db, 'import', BTC_DAILY, '--underlying', 'BTC')).code).toBe(0)
    const j = JSON.parse((await runRiskdesk(db, 'var', '--json', '--by', 'underlying')).stdout)
    for (const k of ['var', 'es', 'method', 'confidence', 'horizonDays', 'window', 'contributions', 'distribution']) expect(j).toHaveProperty(k)
    expect(j.var).toBeCloseTo(1122.1856214835548, 6)
    expect([j.method, j.confidence, j.horizonDays, j.window.first, j.window.last]).toEqual(['historical', 0.99, 1, '2019-05-15', '2020-05-13'])
    expect(j.contributions).toEqual([{ key: 'BTC', var: expect.closeTo(j.var, 6), es: expect.closeTo(j.es, 6), share: expect.closeTo(1, 12) }])
    expect(j.distribution.quantiles.find((q: { p: number }) => q.p === 0.01).pnlUsd).toBeCloseTo(-j.var, 9)
    const text = (await runRiskdesk(db, 'var', '--method', 'parametric', '--parametric', 'delta-normal')).stdout
    // −z·σ·9,347.68 with σ = 0.04757715871283634 (np.std ddof=1), z = −2.3263478740408408.
    expect(text).toMatch(/Parametric \(delta-normal\), 99% 1-day, window 2019-05-15 … 2020-05-13 \(365 daily returns\)\nVaR 1,035 USD {3}ES 1,185 USD/)
    const bt = JSON.parse((await runRiskdesk(db, 'backtest', '--from', '2019-01-01', '--to', '2020-12-31', '--json')).stdout)
    for (const k of ['days', 'exceptions', 'kupiec', 'christoffersen', 'conditionalCoverage', 'trafficLight']) expect(bt).toHaveProperty(k)
    expect([bt.days, bt.exceptions, bt.trafficLight.zone]).toEqual([731, 5, 'green'])
  }, 300_000)

  it('refuses a level outside (0, 1) and a year that has not ended', async () => {
    const a = await runRiskdesk(db, 'var', '--confidence', '1.5')
    expect(a.code).not.toBe(0)
    expect(a.stderr).toMatch(/expected a level in \(0, 1\)/)
    const b = await runRiskdesk(db, 'var', '--window', '2020')
    expect(b.code).toBe(1)
    expect(b.stderr).toMatch(/the year 2020 has not ended by the valuation date 2020-05-14/)
  }, 60_000)
})
