/** Risk factors from daily closes: joint dates, gaps, the window ending at the valuation date, the vol proxy. */
import { describe, expect, it } from 'vitest'
import { factorHistory, selectWindow, RiskFactorError, type CloseSeries } from '../../../src/main/domain/risk/riskFactors'
import { btcDaily, ethDaily } from '../../support/dailyCloses'

const DAY = 86_400_000
const series = (u: string, first: string, closes: number[], skip: string[] = []): CloseSeries => ({
  underlying: u,
  source: 'test',
  closes: closes.map((close, i) => ({ ts: Date.parse(`${first}T00:00:00Z`) + i * DAY, close })).filter((c) => !skip.includes(new Date(c.ts).toISOString().slice(0, 10))),
})

describe('risk factors', () => {
  it('keeps joint dates only and reports the gaps of the window', () => {
    const closes = Array.from({ length: 40 }, (_, i) => 100 * 1.01 ** i)
    const a = series('BTC', '2020-01-01', closes)
    const b = series('ETH', '2020-01-01', closes, ['2020-01-10'])
    const h = factorHistory([a, b], new Set(), null)
    // 39 returns of BTC; ETH misses the close of 01-10, so its returns of 01-10 and 01-11 do not exist.
    expect(h.dates.length).toBe(37)
    expect(h.dates).not.toContain('2020-01-10')
    expect(h.dates).not.toContain('2020-01-11')
    expect(h.moves[0]![0]).toBeCloseTo(Math.log(1.01), 14)
    const w = selectWindow(h, { kind: 'days', days: 365 }, Date.parse('2020-02-10T00:00:00Z'), [a, b])
    expect(w.from).toBe(0)
    expect(w.gaps).toEqual(['2020-01-10: no daily return of ETH', '2020-01-11: no daily return of ETH'])
  })

  it('reads only returns known at the valuation instant, the last 365 of them', () => {
    const btc = btcDaily()
    // Valued 2020-05-14T05:44Z: the close dated 2020-05-13 is known from 2020-05-14 00:00, the one of 05-14 is not.
    const valuation = Date.parse('2020-05-14T05:44:00Z')
    const h = factorHistory([btc], new Set(['BTC']), valuation)
    const w = selectWindow(h, { kind: 'days', days: 365 }, valuation, [btc])
    expect([w.first, w.last, w.to - w.from]).toEqual(['2019-05-15', '2020-05-13', 365])
    expect(h.factors.map((f) => [f.name, f.proxy])).toEqual([['BTC', false], ['BTC vol', true]])
    // 2020-03-12 (BTC −39 % intraday, close 4,857 from 7,935): realised vol jumps, so the proxy vol move is up.
    const t = h.dates.indexOf('2020-03-12')
    expect(h.moves[t]![0]).toBeLessThan(-0.4)
    expect(h.moves[t]![1]).toBeGreaterThan(0.2)
    const y = selectWindow(h, { kind: 'year', year: 2019 }, valuation, [btc])
    expect([y.first, y.last, y.to - y.from]).toEqual(['2019-01-01', '2019-12-31', 365])
    expect(() => selectWindow(h, { kind: 'year', year: 2020 }, valuation, [btc])).toThrow(/has not ended/)
    expect(() => selectWindow(h, { kind: 'days', days: 365 }, Date.parse('2021-01-01T00:00:00Z'), [btc])).toThrow(RiskFactorError)
  })

  it('joins BTC and ETH from different files', () => {
    const h = factorHistory([btcDaily(), ethDaily()], new Set(), Date.parse('2020-05-14T05:44:00Z'))
    expect(h.factors.map((f) => f.name)).toEqual(['BTC', 'ETH'])
    expect(h.dates[0]).toBe('2017-08-18')
  })
})
