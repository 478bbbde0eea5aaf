/**
 * The stress engine on real worker threads: closed forms where they exist, the long-option floor,
 * determinism across worker counts, progress and cancellation.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StressResult } from '../../src/shared/api'
import { openDatabase, type Db } from '../../src/main/db/database'
import { black76 } from '../../src/main/domain/pricing/black76'
import { DEFAULT_BETAS } from '../../src/main/domain/stress/betaTable'
import { DEFAULT_LIQUIDITY } from '../../src/main/domain/stress/liquidityTable'
import { gridSet } from '../../src/main/domain/stress/scenarioSets'
import { packBook } from '../../src/main/engine/packBook'
import { packScenarios } from '../../src/main/engine/packScenarios'
import { sharedFloat64 } from '../../src/main/engine/sharedArrays'
import { StressPool } from '../../src/main/engine/stressPool'
import { importFile } from '../../src/main/services/importService'
import { runStress, stressDrillDown } from '../../src/main/services/stressService'
import { valueBook } from '../../src/main/services/valuationService'
import { syntheticOptionBook } from '../../bench/syntheticBook'
import { CHAIN_2020_05_14, FIXTURES, REPO, tempDir } from '../support/paths'
import { stressRequest } from '../../src/shared/stressApi'

let db: Db
let pool: StressPool
beforeAll(() => {
  db = openDatabase(join(tempDir(), 'riskdesk.db'))
  importFile(db, CHAIN_2020_05_14)
  importFile(db, join(FIXTURES, 'generic', 'single-long-perpetual.csv'), { portfolio: 'perp' })
  importFile(db, join(FIXTURES, 'generic', 'single-long-call.csv'), { portfolio: 'call' })
  importFile(db, join(REPO, 'resources', 'demo', 'demo-portfolio.csv'), { portfolio: 'demo' })
  pool = new StressPool({ workers: 2 })
})
afterAll(async () => {
  await pool.close()
  db.close()
})

const cells = (r: StressResult) =>
  r.pnlUsd!.flatMap((row, i) => row.map((usd, j) => ({ usd, coin: r.pnlCoin!.BTC![i]![j]!, s: r.spotShocks![i]!, v: r.volShocks![j]! })))

/** A packed synthetic book and grid for engine-level runs. */
function synthetic(positions: number, seed: number, spot: { from: number; to: number; step: number }, vol: { from: number; to: number; step: number }) {
  const { book, underlyings } = packBook(syntheticOptionBook(positions, seed), { liquidity: DEFAULT_LIQUIDITY })
  const { scenarios } = packScenarios(gridSet(spot, vol).scenarios, underlyings, DEFAULT_BETAS)
  return { book, scenarios, options: { liquidity: false, impactY: 1, groupId: sharedFloat64(positions), nGroups: 1 } }
}

describe('closed forms', () => {
  it('a long inverse perpetual: P&L = contracts × (1/entry − 1/exit) × exit at every spot shock', async () => {
    const r = await runStress(db, pool, stressRequest.parse({ portfolio: 'perp' }))
    expect(r.spotShocks).toHaveLength(21) // −50 % … +50 % step 5 (the default grid)
    expect(r.volShocks).toEqual([-30, -20, -10, 0, 10, 20, 30, 40, 50])
    // The chain has no perpetual quote, so the perpetual is marked at the index: 9347.68, the index_price of
    // the file's latest row (read by hand). "entry" is that mark (stress P&L is against current marks), "exit"
    // the shocked price; 10,000 USD face.
    const entry = 9347.68
    for (const c of cells(r)) {
      const exit = entry * (1 + c.s)
      const coin = 10_000 * (1 / entry - 1 / exit)
      expect(c.coin).toBeCloseTo(coin, 12)
      expect(Math.abs(c.usd - coin * exit)).toBeLessThanOrEqual(1e-9 * 10_000)
    }
  })

  it('a zero shock gives exactly zero P&L for the whole demo book', async () => {
    const r = await runStress(db, pool, stressRequest.parse({ portfolio: 'demo', spot: { from: 0, to: 0, step: 1 }, vol: { from: 0, to: 0, step: 1 } }))
    expect(r.pnlUsd).toEqual([[0]])
    expect(r.scenarios[0]!.taylorUsd).toBe(0)
    expect(r.positions).toBe(16)
  })
})

describe('a long call never loses more than its premium', () => {
  it('in coin, and in USD (its value now), over the default grid', async () => {
    const r = await runStress(db, pool, stressRequest.parse({ portfolio: 'call' }))
    // BTC-26JUN20-12000-C as the file states it (line 158): forward 9360.41, mark_iv 85.93, quote time
    // 1589434972021, expiry 1593158400000, mark_price 0.03708622 BTC. The valuation's one BTC index is the
    // chain's latest row's index_price, 9347.68 (timestamp 1589435046537). The call is worth its mark in coin
    // now, 0.03708622 × 9347.68 USD, and never less than 0: that is all it can lose.
    const T = (1593158400000 - 1589434972021) / (365 * 86_400_000)
    const premiumCoin = black76({ type: 'call', F: 9360.41, K: 12000, T, sigma: 0.8593 }).price / 9360.41
    expect(Math.abs(premiumCoin - 0.03708622)).toBeLessThan(3e-4) // the model premium is Deribit's mark
    const mark = 0.03708622
    for (const c of cells(r)) {
      expect(c.coin).toBeGreaterThanOrEqual(-mark * (1 + 1e-12))
      expect(c.usd).toBeGreaterThanOrEqual(-mark * 9347.68 * (1 + 1e-12))
    }
    // After a −50 % spot move the 12,000 call on a 4,680 forward is worthless to 1e-5 BTC; its mark moves by the
    // model's change, which takes it below the 1.19e-5 BTC by which Deribit's mark is under the model value
    // (0.03709814), so it is floored at 0: the P&L is the whole mark.
    expect(cells(r).find((c) => c.s === -0.5 && c.v === -30)!.coin).toBeCloseTo(-mark, 12)
  })
})

describe('determinism and control', () => {
  it('gives bitwise-identical totals for 1, 2 and 3 workers', async () => {
    const { book, scenarios, options } = synthetic(300, 7, { from: -50, to: 50, step: 2.5 }, { from: -40, to: 60, step: 5 })
    const results = []
    for (const workers of [1, 2, 3]) {
      const p = new StressPool({ workers })
      results.push(await p.run(book, scenarios, options))
      await p.close()
    }
    const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)
    expect(bytes(results[1]!.pnlUsd).equals(bytes(results[0]!.pnlUsd))).toBe(true)
    expect(bytes(results[2]!.pnlUsd).equals(bytes(results[0]!.pnlUsd))).toBe(true)
    expect(bytes(results[2]!.pnlCoin).equals(bytes(results[0]!.pnlCoin))).toBe(true)
    // and the same as the service's matrices for the demo book on 2 workers vs 1
    const one = new StressPool({ workers: 1 })
    const a = await runStress(db, one, stressRequest.parse({ portfolio: 'demo' }))
    await one.close()
    const b = await runStress(db, pool, stressRequest.parse({ portfolio: 'demo' }))
    expect(b.pnlUsd).toEqual(a.pnlUsd)
  })

  it('reports progress up to the scenario count and can be cancelled', async () => {
    const { book, scenarios, options } = synthetic(2000, 3, { from: -50, to: 50, step: 0.5 }, { from: -40, to: 60, step: 1 })
    const seen: number[] = []
    await pool.run(book, scenarios, options, { onProgress: (done, total) => seen.push(done / total) })
    expect(seen.at(-1)).toBe(1)
    expect(seen.every((x, i) => i === 0 || x >= seen[i - 1]!)).toBe(true)

    const controller = new AbortController()
    const run = pool.run(book, scenarios, options, { signal: controller.signal, onProgress: () => controller.abort() })
    await expect(run).rejects.toThrow(/abort/i)
  })

  it('keeps a position it cannot value out of the run, says why, and still values the rest', async () => {
    const other = openDatabase(join(tempDir(), 'riskdesk.db'))
    importFile(other, CHAIN_2020_05_14)
    // BTC-26JUN20-9500-C is not in the 2020-05-14 chain (its June strikes are 1,000 apart).
    importFile(other, join(FIXTURES, 'generic', 'option-missing-from-chain.csv'), { portfolio: 'x' })
    const r = await runStress(other, pool, stressRequest.parse({ portfolio: 'x' }))
    expect(r.excluded).toEqual([{ instrument: 'BTC-26JUN20-9500-C', reason: 'no quote for this option in the market snapshot' }])
    expect(r.positions).toBe(1)
    expect(r.pnlUsd!.flat().every(Number.isFinite)).toBe(true)
    const report = valueBook(other, { portfolio: 'x' }).report
    expect(report.positions.find((p) => p.instrument === 'BTC-26JUN20-9500-C')!.delta).toBeNull()
    expect(report.totals[0]).toMatchObject({ positions: 2, excluded: 1 })
    other.close()
  })
})

describe('sets, aggregation and drill-down through the service', () => {
  it('sums every aggregation and the drill-down back to the scenario totals', async () => {
    for (const by of ['position', 'instrument', 'underlying', 'expiry', 'account', 'venue'] as const) {
      const r = await runStress(db, pool, stressRequest.parse({ portfolio: 'demo', set: 'historical', by }))
      r.scenarios.forEach((s, k) => expect(r.groups.reduce((sum, g) => sum + g.pnlUsd[k]!, 0)).toBeCloseTo(s.pnlUsd, 6))
      if (by === 'account') expect(r.groups.map((g) => g.key).sort()).toEqual(['deribit/hedge', 'deribit/options'])
      if (by === 'expiry') expect(r.groups.map((g) => g.key)).toContain('BTC perpetual')
    }
    const r = await runStress(db, pool, stressRequest.parse({ portfolio: 'demo', set: 'span16' }))
    const d = stressDrillDown(db, stressRequest.parse({ portfolio: 'demo', set: 'span16' }), 13)
    expect(d.positions).toHaveLength(16)
    expect(d.positions.reduce((sum, p) => sum + p.pnlUsd, 0)).toBeCloseTo(r.scenarios[13]!.pnlUsd, 6)
    expect(d.positions.reduce((sum, p) => sum + p.taylorUsd, 0)).toBeCloseTo(r.scenarios[13]!.taylorUsd, 6)
    // The worst scenario's driver is the position with the largest loss in it.
    const worst = stressDrillDown(db, stressRequest.parse({ portfolio: 'demo', set: 'span16' }), r.worst!.index)
    const biggest = worst.positions.reduce((a, b) => (b.pnlUsd < a.pnlUsd ? b : a))
    expect(r.worst!.driver).toMatchObject({ instrument: biggest.instrument, pnlUsd: biggest.pnlUsd })
  })

  it('weights SPAN extreme scenarios at 35 % when picking the worst', async () => {
    const r = await runStress(db, pool, stressRequest.parse({ portfolio: 'perp', set: 'span16' }))
    // A long perpetual's worst raw P&L is the extreme down move; weighted at 0.35 it is smaller than −3/3.
    const weighted = r.scenarios.map((s) => s.pnlUsd * s.weight)
    expect(r.worst!.weightedPnlUsd).toBe(Math.min(...weighted))
    expect(r.worst!.name).toMatch(/^1[34]: price −3\/3/)
  })

  it('draws P&L-vs-spot curves at today, +1 day, +7 days and at expiry', async () => {
    const r = await runStress(db, pool, stressRequest.parse({ portfolio: 'call', set: 'horizons', spot: { from: -20, to: 20, step: 10 } }))
    expect(r.curves!.horizons).toEqual([0, 1, 7, null])
    const [today, , week, expiry] = r.curves!.pnlUsd
    const mid = 2 // spot unchanged
    expect(today![mid]).toBe(0)
    expect(week![mid]).toBeLessThan(0) // a long call decays
    // At expiry the 12,000 call on a 9,360.41 forward is worthless unless spot rises 28 %: its value goes from
    // its mark (0.03708622 BTC, line 158 of the chain) at the index 9,347.68 to 0, whatever the spot move.
    expect(expiry![mid]).toBeCloseTo(-0.03708622 * 9347.68, 6)
    expect(expiry![0]).toBeCloseTo(-0.03708622 * 9347.68, 6)
  })

  it('adds close-out costs when liquidity is on, and only then', async () => {
    const off = await runStress(db, pool, stressRequest.parse({ portfolio: 'demo', set: 'historical' }))
    const on = await runStress(db, pool, stressRequest.parse({ portfolio: 'demo', set: 'historical', liquidity: true }))
    on.scenarios.forEach((s, k) => {
      expect(off.scenarios[k]!.liquidityUsd).toBe(0)
      expect(s.liquidityUsd).toBeGreaterThan(0)
      expect(s.pnlUsd).toBeCloseTo(off.scenarios[k]!.pnlUsd - s.liquidityUsd, 6)
    })
  })

  it('applies sticky-moneyness with smiles fitted to the real chain, and says which options had none', async () => {
    const strike = await runStress(db, pool, stressRequest.parse({ portfolio: 'demo', set: 'historical' }))
    const moneyness = await runStress(db, pool, stressRequest.parse({ portfolio: 'demo', set: 'historical', volRule: 'sticky-moneyness' }))
    expect(moneyness.scenarios.map((s) => s.pnlUsd)).not.toEqual(strike.scenarios.map((s) => s.pnlUsd))
    // Every demo option's expiry has a fitted slice except, at most, the one expiring hours after the snapshot.
    const note = moneyness.assumptions.find((a) => a.startsWith('sticky-moneyness'))
    if (note) expect(note).not.toMatch(/MAY20-\d+-[CP], .*MAY20|JUN20|SEP20|DEC20/)
  })
})

