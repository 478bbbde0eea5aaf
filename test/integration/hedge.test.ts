/**
 * Hedge suggestion (issue 13 item 4): the LP over candidate instruments solved by HiGHS, rounded to contract
 * sizes and checked again. Real SQLite file, the real Deribit chain of 2020-05-14 and the real Deribit
 * `private/get_positions` example (shared/data/real, SOURCES.md; the example only makes BTC-PERPETUAL a known
 * instrument: its quote belongs to another portfolio and is not in these books' market), the bundled demo book.
 *
 * Independent figures:
 *  - the chain's BTC index: index_price of its latest row, read from the file with a plain CSV reader;
 *  - an inverse perpetual's USD delta per USD of face: 1 ÷ entry price (Deribit inverse contract: coin P&L =
 *    face × (1/entry − 1/exit), so ∂(USD value)/∂S = face/entry); a coin balance: 1 coin of delta per coin;
 *  - Deribit BTC-PERPETUAL's contract size, 10 USD (resources/contract-specs.json, Deribit public/get_instruments);
 *  - the options' delta and vega per 1 BTC from Deribit's own `greeks` column and their bid/ask from
 *    best_bid_price / best_ask_price of the chain file;
 *  - the liquidity table's published defaults (liquidityTable.ts: BTC half spread 0.5 bp, σ_d 3.07 %, daily
 *    volume 1.81 bn USD, Y = 1) for the perpetual's half spread and square-root impact, computed by hand here.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HedgeResult } from '../../src/shared/hedgeApi'
import { openDatabase, type Db } from '../../src/main/db/database'
import { importFile } from '../../src/main/services/importService'
import { createRiskdeskHandlers, dispatch } from '../../src/main/services/riskdeskApi'
import { CHAIN_2020_05_14, DERIBIT_POSITIONS, FIXTURES, REPO, tempDir } from '../support/paths'

const chain = parse(readFileSync(CHAIN_2020_05_14), { columns: true }) as Array<Record<string, string>>
const INDEX = Number(chain.reduce((a, b) => (Number(b.timestamp) > Number(a.timestamp) ? b : a)).index_price)
const DEMO = join(REPO, 'resources', 'demo')

let db: Db
let api: ReturnType<typeof createRiskdeskHandlers>
const hedge = async (input: unknown) => (await dispatch(api, 'suggestHedge', input)) as HedgeResult

beforeAll(() => {
  db = openDatabase(join(tempDir(), 'hedge.db'))
  api = createRiskdeskHandlers({ db, stressPool: () => { throw new Error('no stress pool in the hedge tests') } })
  importFile(db, CHAIN_2020_05_14)
  importFile(db, DERIBIT_POSITIONS, { portfolio: 'dump', account: 'acct-1' })
  importFile(db, join(FIXTURES, 'wholebook', 'ten-btc-collateral-balances.csv'), { portfolio: 'treasury' })
  for (const f of ['demo-portfolio.csv', 'demo-balances.csv']) importFile(db, join(DEMO, f), { portfolio: 'demo' })
})
afterAll(() => db.close())

describe('hedge suggestion', () => {
  it('cash and carry: 10 BTC of collateral, USD delta 0 with the perpetual only → short BTC-PERPETUAL of the collateral’s USD value in whole 10 USD contracts', async () => {
    expect(INDEX).toBe(9347.68)
    // Band: half a contract of USD delta (5 USD of face at entry = index moves USD delta by 5 USD), the closest
    // whole contracts can come to 0.
    const r = await hedge({ portfolio: 'treasury', targets: [{ greek: 'deltaUsd', target: 0, band: 5 }], candidates: { kinds: ['perpetual'] } })
    expect(r.status).toBe('optimal')
    expect(r.legs).toHaveLength(1)
    const leg = r.legs[0]!
    expect(leg).toMatchObject({ venue: 'deribit', account: 'treasury', instrument: 'BTC-PERPETUAL', kind: 'perpetual', quantityUnit: 'usd' })
    // Collateral 10 BTC × 9,347.68 = 93,476.8 USD; in whole 10 USD contracts: 9,348 contracts = 93,480 USD of face.
    expect(leg.quantity).toBe('-93480')
    expect(Math.abs(Number(leg.quantity) + 10 * INDEX)).toBeLessThanOrEqual(5)
    // The LP sells the collateral's value less the band (face/entry = 10 BTC − 5/index, entry = the index: no
    // perpetual quote), stopping at the band's upper edge.
    expect(leg.lpQuantity).toBeCloseTo(-(10 * INDEX - 5), 4)
    // After: 10 BTC − 93,480/9,347.68 BTC = −0.000342… BTC, × 9,347.68 = −3.2 USD: within half a contract (5 USD).
    const t = r.targets[0]!
    expect(t.before).toBeCloseTo(10 * INDEX, 6)
    expect(t.after).toBeCloseTo(10 * INDEX - 93_480, 6)
    expect(Math.abs(t.after)).toBeLessThanOrEqual(5)
    expect(t.met).toBe(true)
    // Costs by hand: half spread 0.5 bp × 93,480 = 4.674 USD; impact 93,480 × 1 × 0.0307 × √(93,480 / 1.81e9);
    // no taker fee rate is set for deribit/treasury/BTC: 0, said so.
    expect(leg.halfSpreadUsd).toBeCloseTo(0.00005 * 93_480, 9)
    expect(leg.impactUsd).toBeCloseTo(93_480 * 0.0307 * Math.sqrt(93_480 / 1.81e9), 9)
    expect(leg.feeUsd).toBe(0)
    expect(r.notes.some((n) => /no taker fee rate set for deribit\/treasury\/BTC/.test(n))).toBe(true)
    expect(r.notes.some((n) => /BTC-PERPETUAL: no quote in the market snapshot, marked at the index price/.test(n))).toBe(true)
    // The band binds at its upper edge (the LP stops as soon as delta is inside it).
    expect(r.binding.join('\n')).toMatch(/BTC USD delta at the upper edge of its band \(5\)/)
  })

  it('vega-neutral with perpetuals only is infeasible, and says vega cannot move with the allowed candidates', async () => {
    const r = await hedge({ portfolio: 'demo', targets: [{ underlying: 'BTC', greek: 'vega', target: 0, band: 100 }], candidates: { kinds: ['perpetual'] } })
    expect(r.status).toBe('infeasible')
    expect(r.legs).toEqual([])
    expect(r.reason).toMatch(/^BTC vega cannot move with the allowed candidates \(perpetual\): none has vega/)
    expect(r.candidatesConsidered).toBeGreaterThan(0)
  })
})
