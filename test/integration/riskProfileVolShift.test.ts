/**
 * The risk profile's vol shift (issue 13 item 3, `volShiftPoints`): a book of one Deribit inverse call, the real
 * chain of 2020-05-14 (shared/data/real/market, SOURCES.md), a real SQLite file, through the typed API.
 *
 * Independent figure: Black-76 written out in this test (undiscounted, r = 0 as Deribit's inverse options,
 * normal CDF by Abramowitz & Stegun 26.2.17, |error| < 7.5e-8), on the forward, vol and expiry the positions
 * report gives for the line. A profile point is the book's P&L against its value now, so with a parallel shift of
 * +10 vol points the P&L at the current index today is q × S₀ × (C(F, K, T, σ + 0.10) − C(F, K, T, σ)) ÷ F
 * (an inverse option is worth C ÷ F coin per coin, marked in coin); on day 7, C is taken at T − 7/365 and the
 * unshifted P&L is subtracted likewise.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PositionsReport } from '../../src/shared/api'
import type { RiskProfile } from '../../src/shared/profileApi'
import { openDatabase, type Db } from '../../src/main/db/database'
import { importFile } from '../../src/main/services/importService'
import { createRiskdeskHandlers, dispatch } from '../../src/main/services/riskdeskApi'
import { CHAIN_2020_05_14, tempDir } from '../support/paths'
import { runRiskdesk } from '../support/cli'

let db: Db
let api: ReturnType<typeof createRiskdeskHandlers>
const call = async <T,>(name: string, input: unknown) => (await dispatch(api, name, input)) as T

/** Standard normal CDF, Abramowitz & Stegun 26.2.17. */
function N(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x))
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))))
  const tail = (Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)) * poly
  return x >= 0 ? 1 - tail : tail
}
/** Black-76 call on the forward, undiscounted, USD per coin. */
function call76(F: number, K: number, T: number, sigma: number): number {
  const d1 = (Math.log(F / K) + (sigma * sigma * T) / 2) / (sigma * Math.sqrt(T))
  return F * N(d1) - K * N(d1 - sigma * Math.sqrt(T))
}

const Q = 5 // coin of BTC-26JUN20-9000-C, long

let dbPath: string

beforeAll(() => {
  const dir = tempDir()
  dbPath = join(dir, 'profile.db')
  db = openDatabase(dbPath)
  api = createRiskdeskHandlers({ db, stressPool: () => { throw new Error('no stress in this test') } })
  importFile(db, CHAIN_2020_05_14)
  const book = join(dir, 'one-call.csv')
  writeFileSync(book, `venue,account,instrument,quantity,entry_price,entry_time,note\nderibit,main,BTC-26JUN20-9000-C,${Q},0.12,2020-05-13T14:05:00Z,\n`)
  importFile(db, book, { portfolio: 'one-call' })
})
afterAll(() => db.close())

describe('risk profile vol shift', () => {
  it('a +10 pt shift moves each point by the option revalued at σ + 10 pts, by hand (Black-76), today and on day 7', async () => {
    const positions = await call<PositionsReport>('getPositions', { portfolio: 'one-call' })
    const line = positions.positions.find((p) => p.instrument === 'BTC-26JUN20-9000-C')!
    const F0 = line.forward!
    const sigma = line.markIv! / 100
    const S0 = line.indexPrice!
    const T = (Date.parse(line.expiry!) - Date.parse(positions.valuationTime!)) / (365 * 86_400_000)
    expect(sigma).toBeCloseTo(0.8358, 6) // the chain's mark_iv of the line
    const ask = (volShiftPoints: number) =>
      call<RiskProfile>('getRiskProfile', { portfolio: 'one-call', dates: [0, 7], fromPercent: -10, toPercent: 10, points: 3, volShiftPoints })
    const flat = await ask(0)
    const shifted = await ask(10)
    expect(shifted.volShiftPoints).toBe(10)
    expect(flat.curves[0]!.before[1]).toBe(0) // nothing moved: no P&L
    flat.prices.forEach((S, i) => {
      const F = (F0 * S) / S0 // the forward moves with the index
      for (const [c, days] of [[0, 0], [1, 7]] as const) {
        const t = T - days / 365
        const byHand = (Q * S * (call76(F, 9000, t, sigma + 0.1) - call76(F, 9000, t, sigma))) / F
        expect(shifted.curves[c]!.before[i]! - flat.curves[c]!.before[i]!).toBeCloseTo(byHand, 1)
      }
    })
    // Against the exchange's own vega of the line (chain `greeks.vega` 12.33696 USD per vol point per coin):
    // first order, the +10 pt move today at the index is about 5 × 10 × 12.34 = 617 USD.
    expect(shifted.curves[0]!.before[1]! / (Q * 10 * 12.33696)).toBeCloseTo(1, 1)
  })

  it('refuses a shift outside −50…+100 vol points', async () => {
    await expect(call('getRiskProfile', { portfolio: 'one-call', volShiftPoints: 150 })).rejects.toThrow(/volShiftPoints|100/)
  })

  it('riskdesk profile --vol-shift 10: the same shift from the CLI (first order: 5 × 10 × the chain\'s vega 12.33696 at the index)', async () => {
    const args = ['profile', '--portfolio', 'one-call', '--dates', '0', '--range', '-10:10', '--points', '3']
    const r = await runRiskdesk(dbPath, ...args, '--vol-shift', '10', '--json')
    expect(r.code, r.stderr).toBe(0)
    const shifted = JSON.parse(r.stdout) as RiskProfile
    expect(shifted.volShiftPoints).toBe(10)
    expect(shifted.curves[0]!.before[1]! / (Q * 10 * 12.33696)).toBeCloseTo(1, 1)
    const text = await runRiskdesk(dbPath, ...args, '--vol-shift', '10')
    expect(text.stdout).toContain('vols shifted +10 pts')
    const bad = await runRiskdesk(dbPath, ...args, '--vol-shift', '150')
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toContain('expected vol points from -50 to 100 such as 10, got "150"')
  }, 120_000)
})
