/**
 * Custom options in what-if books (issue 13 item 1): an option whose strike or expiry Deribit does not list,
 * priced off the vol surface fitted to the book's chain. Real SQLite file, the real Deribit BTC chain of
 * 2020-05-14 (shared/data/real/market, SOURCES.md) and the bundled demo book.
 *
 * Independent figures: the surface's published parameters (getVolSurface: each slice's raw-SVI a, b, ρ, m, σ,
 * its forward, T and quoted log-moneyness range) and, in this test, raw SVI total variance
 * w(k) = a + b(ρ(k − m) + √((k − m)² + σ²)) (Gatheral 2004) and Black-76 with r = 0,
 * C = F·N(d₁) − K·N(d₂), d₁ = (ln(F/K) + σ²T/2)/(σ√T), d₂ = d₁ − σ√T, N from the Abramowitz–Stegun 26.2.17
 * polynomial (|error| < 7.5e-8); an inverse (coin) premium is C ÷ F.
 */
import { join } from 'node:path'
import Decimal from 'decimal.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VolSurfaceReport, WhatIfLeg, WhatIfReport } from '../../src/shared/api'
import { openDatabase, type Db } from '../../src/main/db/database'
import { importFile } from '../../src/main/services/importService'
import { createRiskdeskHandlers, dispatch } from '../../src/main/services/riskdeskApi'
import { dataSnapshot } from '../support/dbSnapshot'
import { runRiskdesk } from '../support/cli'
import { CHAIN_2020_05_14, REPO, tempDir } from '../support/paths'

const DEMO = join(REPO, 'resources', 'demo')
let db: Db
let dbPath: string
let api: ReturnType<typeof createRiskdeskHandlers>
const call = async <T = unknown>(name: string, input: unknown) => (await dispatch(api, name, input)) as T

/** Standard normal CDF, Abramowitz & Stegun 26.2.17. */
function N(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x))
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))))
  const tail = (Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)) * poly
  return x >= 0 ? 1 - tail : tail
}
const black76 = (call: boolean, F: number, K: number, T: number, sigma: number) => {
  const d1 = (Math.log(F / K) + (sigma * sigma * T) / 2) / (sigma * Math.sqrt(T))
  const d2 = d1 - sigma * Math.sqrt(T)
  return call ? F * N(d1) - K * N(d2) : K * N(-d2) - F * N(-d1)
}
type Slice = VolSurfaceReport['underlyings'][number]['expiries'][number]
const sviW = (s: Slice, k: number) => {
  const { a, b, rho, m, s: sig } = s.svi
  return a + b * (rho * (k - m) + Math.sqrt((k - m) ** 2 + sig * sig))
}
const importedData = () => JSON.stringify((JSON.parse(dataSnapshot(db)) as Array<[string, unknown]>).filter(([t]) => !t.startsWith('whatif_')))

beforeAll(() => {
  dbPath = join(tempDir(), 'whatif-custom.db')
  db = openDatabase(dbPath)
  api = createRiskdeskHandlers({ db, stressPool: () => { throw new Error('no pool needed') } })
  importFile(db, CHAIN_2020_05_14)
  for (const f of ['demo-portfolio.csv', 'demo-balances.csv']) importFile(db, join(DEMO, f), { portfolio: 'demo' })
})
afterAll(() => db.close())

describe('custom options off the fitted surface', () => {
  it('prices BTC-26JUN20-9500-C (strike not listed) at Black-76 with the 26JUN20 SVI slice\'s vol, and labels it', async () => {
    const imported = importedData()
    const surface = await call<VolSurfaceReport>('getVolSurface', { underlying: 'BTC' })
    const slice = surface.underlyings[0]!.expiries.find((e) => e.expiry.startsWith('2020-06-26'))!
    await call('createWhatIf', { name: 'custom', portfolio: 'demo' })
    const added = await call<{ leg: WhatIfLeg }>('addWhatIfLeg', { whatIf: 'custom', custom: { name: 'BTC-26JUN20-9500-C' }, quantity: '5', account: 'options' })
    const leg = added.leg
    // Deribit expiries are 08:00 UTC; the slice's own T and forward, k = ln(K/F).
    expect(leg.custom!.expiry).toBe('2020-06-26T08:00:00.000Z')
    const K = 9500
    const k = Math.log(K / slice.forward)
    expect(k).toBeGreaterThan(slice.smile[0]!.k)
    expect(k).toBeLessThan(slice.smile.at(-1)!.k)
    const sigma = Math.sqrt(sviW(slice, k) / slice.T)
    expect(leg.custom!.surfaceVol).toBeCloseTo(sigma * 100, 8)
    const priceBtc = black76(true, slice.forward, K, slice.T, sigma) / slice.forward
    expect(Number(leg.entryPrice)).toBeCloseTo(priceBtc, 6)
    expect(leg.priceSource).toBe('surface')
    expect(leg.priceUnit).toBe('coin')
    expect(leg.custom!.note).toMatch(/on the fitted SVI slice of 2020-06-26/)
    expect(leg.custom!.note).toContain(`vol ${(sigma * 100).toFixed(2)} %`)

    const r = await call<WhatIfReport>('getWhatIf', { name: 'custom' })
    expect(r.legs[0]!.custom).not.toBeNull()
    expect(r.notes.some((n) => n.startsWith(`leg ${leg.id} BTC-26JUN20-9500-C: custom option (not listed)`))).toBe(true)
    expect(r.after.excluded).toEqual(r.before.excluded)
    // Bought at its own surface price, the leg pays for exactly what it holds: its premium, 5 × entry BTC, leaves
    // the account's BTC balance (Deribit pays option premiums in BTC), so the book's value moves by
    // 5 × (mark − entry) × index = 0, and the account's balance line falls by the premium.
    const index = surface.underlyings[0]!.indexPrice!
    expect(Math.abs(r.change.valueUsd)).toBeLessThan(1e-6)
    const premium = r.change.buckets.find((b) => b.by === 'expiry' && b.bucket === 'balances')!
    expect(premium.valueUsd).toBeCloseTo(-5 * Number(leg.entryPrice) * index, 6)
    expect(premium.delta).toBeCloseTo(-5 * Number(leg.entryPrice), 12)
    // A long call adds vega, and positive delta even net of the premium (5 × (Δ − price)).
    const btc = r.change.greeks.find((g) => g.underlying === 'BTC')!
    expect(btc.vegaUsd).toBeGreaterThan(0)
    expect(btc.delta).toBeGreaterThan(0)
    expect(r.change.buckets.find((b) => b.by === 'expiry' && b.bucket.startsWith('2020-06-26'))!.vegaUsd).toBeCloseTo(btc.vegaUsd, 8)
    // A duplicate keeps the custom leg with its terms and prices it the same.
    await call('duplicateWhatIf', { from: 'custom', to: 'custom-copy' })
    const copy = await call<WhatIfReport>('getWhatIf', { name: 'custom-copy' })
    expect(copy.legs.map((l) => ({ ...l, id: 0 }))).toEqual(r.legs.map((l) => ({ ...l, id: 0 })))
    expect(copy.after.greeks).toEqual(r.after.greeks)
    expect(importedData()).toBe(imported)
  })

  it('the risk profile and the CSV export carry the custom leg: at expiry far below the strike it loses its premium', async () => {
    const copy = await call<WhatIfReport>('getWhatIf', { name: 'custom-copy' })
    const leg = copy.legs[0]!
    const p = await call<{ indexPrice: number; prices: number[]; curves: Array<{ date: number | 'expiry'; before: number[]; after: number[] }>; notes: string[] }>('getRiskProfile', {
      whatIf: 'custom-copy',
      dates: ['expiry'],
    })
    // At −50 % the 9500 call expires worthless: the leg's P&L is minus what it cost, the premium of 5 × entry BTC
    // paid out of the BTC balance, worth 5 × entry × the index at that point (no taker fee is set for the account).
    const c = p.curves[0]!
    expect(p.prices[0]).toBeCloseTo(p.indexPrice * 0.5, 6)
    expect(c.after[0]! - c.before[0]!).toBeCloseTo(-5 * Number(leg.entryPrice) * p.prices[0]!, 6)
    expect(p.notes.some((n) => n.includes('BTC-26JUN20-9500-C: custom option (not listed)'))).toBe(true)
    const csv = await call<{ positions: Array<{ instrument: string; quantity: string }>; notes: string[] }>('getWhatIfPositions', { name: 'custom-copy' })
    expect(csv.positions.find((x) => x.instrument === 'BTC-26JUN20-9500-C')!.quantity).toBe('5')
    expect(csv.notes.some((n) => /custom option \(not listed by deribit\): imported back, it will have no quote/.test(n))).toBe(true)
    // The premium is cash, not a position: the export names it (5 × entry BTC, exact decimal product).
    const premium = new Decimal(leg.entryPrice).times(5).toFixed()
    expect(csv.notes).toContain(
      `leg ${leg.id} BTC-26JUN20-9500-C pays ${premium} BTC (its premium): a positions file does not carry cash; import the account's balances after the trade to book it`,
    )
  })

  it('an expiry between two slices takes total variance interpolated linearly in T at fixed k, ln F linear in T', async () => {
    const surface = await call<VolSurfaceReport>('getVolSurface', { underlying: 'BTC' })
    const ex = surface.underlyings[0]!.expiries
    const a = ex.find((e) => e.expiry.startsWith('2020-05-29'))!
    const b = ex.find((e) => e.expiry.startsWith('2020-06-26'))!
    const added = await call<{ leg: WhatIfLeg }>('addWhatIfLeg', {
      whatIf: 'custom',
      custom: { underlying: 'btc', strike: '8800', expiry: '2020-06-12', optionType: 'put' },
      quantity: '-3',
      account: 'options',
    })
    expect(added.leg.instrument).toBe('BTC-12JUN20-8800-P')
    // T from the surface's valuation instant (its T of the 26JUN20 slice less the 14 days between the expiries).
    const T = b.T - (14 * 86_400_000) / (365 * 86_400_000)
    const u = (T - a.T) / (b.T - a.T)
    const F = Math.exp(Math.log(a.forward) + (Math.log(b.forward) - Math.log(a.forward)) * u)
    const k = Math.log(8800 / F)
    const w = sviW(a, k) * (1 - u) + sviW(b, k) * u
    const sigma = Math.sqrt(w / T)
    expect(added.leg.custom!.surfaceVol).toBeCloseTo(sigma * 100, 6)
    expect(Number(added.leg.entryPrice)).toBeCloseTo(black76(false, F, 8800, T, sigma) / F, 6)
    expect(added.leg.custom!.note).toMatch(/interpolated between the slices of 2020-05-29 and 2020-06-26/)
  })

  it('refuses a listed option, a past expiry, an underlying without a chain, and a non-option', async () => {
    const add = (custom: unknown) => call('addWhatIfLeg', { whatIf: 'custom', custom, quantity: '1', account: 'options' })
    await expect(add({ name: 'BTC-26JUN20-9000-C' })).rejects.toThrow(/BTC-26JUN20-9000-C is listed in the book's market snapshot: add it as a listed instrument/)
    await expect(add({ name: 'BTC-13MAY20-9000-C' })).rejects.toThrow(/expires 2020-05-13T08:00:00Z, not after the market snapshot .* a custom option must expire later/)
    await expect(add({ underlying: 'ETH', strike: '200', expiry: '2020-06-26', optionType: 'call' })).rejects.toThrow(/no option chain of ETH in the book's market data/)
    await expect(call('addWhatIfLeg', { whatIf: 'custom', custom: { name: 'ETH-26JUN20-200-C' }, venue: 'deribit', quantity: '1', account: 'options' })).rejects.toThrow(
      /no surface to price ETH-26JUN20-200-C off: the book's market data holds no deribit ETH option chain/,
    )
    await expect(add({ name: 'BTC-PERPETUAL' })).rejects.toThrow(/is a perpetual, not an option/)
    await expect(add({ name: 'BTC-26JUN20-9500-C', strike: '9500' })).rejects.toThrow(/either the name .* or the terms/)
    await expect(add({ underlying: 'BTC', strike: '9500' })).rejects.toThrow(/all four of underlying, strike, expiry and optionType/)
  })

  it('CLI: whatif add --custom and --underlying/--strike/--expiry/--type; show labels the surface leg', async () => {
    const run = (...args: string[]) => runRiskdesk(dbPath, ...args)
    await call('createWhatIf', { name: 'cli-custom', portfolio: 'demo' })
    const a = await run('whatif', 'add', 'cli-custom', '--custom', 'BTC-26JUN20-9500-C', '--quantity', '2', '--account', 'options', '--json')
    expect(a.code, a.stderr).toBe(0)
    const leg = (JSON.parse(a.stdout) as { leg: WhatIfLeg }).leg
    expect(leg.priceSource).toBe('surface')
    const b = await run('whatif', 'add', 'cli-custom', '--underlying', 'BTC', '--strike', '9500', '--expiry', '2020-06-26', '--type', 'call', '--quantity', '2', '--account', 'options', '--json')
    expect(b.code, b.stderr).toBe(0)
    // Both forms name the same option and price it the same.
    const leg2 = (JSON.parse(b.stdout) as { leg: WhatIfLeg }).leg
    expect(leg2.instrument).toBe('BTC-26JUN20-9500-C')
    expect(leg2.entryPrice).toBe(leg.entryPrice)
    const shown = await run('whatif', 'show', 'cli-custom')
    expect(shown.code, shown.stderr).toBe(0)
    expect(shown.stdout).toMatch(/BTC-26JUN20-9500-C .* surface/)
    expect(shown.stdout).toMatch(/note: leg \d+ BTC-26JUN20-9500-C: custom option \(not listed\) priced off the deribit BTC vol surface/)
  }, 300_000)
})
