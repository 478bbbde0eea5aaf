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
import type { WhatIfReport } from '../../src/shared/whatifApi'
import { openDatabase, type Db } from '../../src/main/db/database'
import { importFile } from '../../src/main/services/importService'
import { createRiskdeskHandlers, dispatch } from '../../src/main/services/riskdeskApi'
import { runRiskdesk } from '../support/cli'
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

  it('a margin-use cap: the perpetual’s initial margin (Deribit standard futures) must fit the share of the available balance', async () => {
    // Deribit standard futures margin (support.deribit.com, 11 January 2022; as in whatif.test.ts): IM =
    // size × (2 % + size × 0.005 %) BTC, size = USD face ÷ mark. Selling ≈ 10 BTC of face: 10 × (0.02 + 10 ×
    // 0.00005) = 0.205 BTC, 2.05 % of the 10 BTC available (the account holds nothing else). A 2 % cap
    // (0.2 BTC = 1,869.54 USD at 9,347.68) cannot hold it; 2.1 % can.
    const request = { portfolio: 'treasury', targets: [{ greek: 'deltaUsd', target: 0, band: 5 }], candidates: { kinds: ['perpetual'] } }
    const tight = await hedge({ ...request, maxMarginUsePct: 2 })
    expect(tight.status).toBe('infeasible')
    expect(tight.reason).toBe(
      "the initial-margin budget (2.00 % of each account's available balance: deribit/treasury/BTC 1,869.54 USD) is too small for any hedge meeting the targets",
    )
    const loose = await hedge({ ...request, maxMarginUsePct: 2.1 })
    expect(loose.status).toBe('optimal')
    expect(loose.legs.map((l) => l.quantity)).toEqual(['-93480'])
    expect(loose.notes.some((n) => /legs may use 2.10 % of each trading account's available balance/.test(n))).toBe(true)
  })

  it('delta and 7–30 d vega neutralised with a perpetual and two listed options: bands met, cost = the LP optimum found by enumerating vertices', async () => {
    // Costs made linear and known by hand: taker fee 0.03 % on deribit/hedge/BTC (the demo's first Deribit
    // account, where legs go), impact coefficient Y = 0 in the liquidity table (restored afterwards).
    const FEE = 0.0003
    await dispatch(api, 'saveMarginSettings', { portfolio: 'demo', venue: 'deribit', account: 'hedge', marginCurrency: 'BTC', settings: { takerFeeRate: FEE } })
    const saved = (await dispatch(api, 'getStressSettings', {})) as { betas: unknown; liquidity: { impactY: number } }
    await dispatch(api, 'saveStressSettings', { ...saved, liquidity: { ...saved.liquidity, impactY: 0 } })
    try {
      const C = 'BTC-29MAY20-9500-C'
      const P = 'BTC-29MAY20-9500-P'
      const request = {
        portfolio: 'demo',
        targets: [
          { underlying: 'BTC', greek: 'delta', target: 0, band: 0.5 },
          { underlying: 'BTC', greek: 'vega', tenor: '7–30d', target: 0, band: 20 },
        ],
        candidates: { kinds: ['perpetual', 'option'], instruments: ['BTC-PERPETUAL', C, P] },
        liquidityCaps: false,
      }
      const r = await hedge(request)
      expect(r.candidatesConsidered).toBe(3)

      // Before: the book's BTC delta and its 7–30d vega bucket, from the positions and buckets reports.
      const positions = (await dispatch(api, 'getPositions', { portfolio: 'demo' })) as { totals: Array<{ underlying: string; delta: number }> }
      const buckets = (await dispatch(api, 'getGreeksBuckets', { portfolio: 'demo', by: 'tenor' })) as { buckets: Array<{ underlying: string; bucket: string; vegaUsd: number }> }
      const D0 = positions.totals.find((t) => t.underlying === 'BTC')!.delta
      const V0 = buckets.buckets.find((b) => b.underlying === 'BTC' && b.bucket === '7–30d')!.vegaUsd
      expect(r.targets.map((t) => t.before)).toEqual([D0, V0])

      // The 2-constraint LP by hand. Per unit (Deribit's own greeks of the chain; bid/ask of the chain; the
      // perpetual has no quote: entry = index, so delta 1/index per USD of face, and the liquidity table's
      // half spread of 0.5 bp):
      //   column          delta (BTC)            vega (USD/pt)  cost (USD)
      //   perp buy / sell ±1/S                   0              0.00005 + FEE
      //   call buy / sell Δc − ask, −Δc + bid    ±νc            (ask−bid)/2 × S + FEE × S
      //   put  buy / sell Δp − ask, −Δp + bid    ±νp            (ask−bid)/2 × S + FEE × S
      // An option's delta is its own plus the premium's: a Deribit option's premium is paid (bought at the ask)
      // or received (sold at the bid) in BTC (Deribit's "Options" contract specification), 1 BTC of delta per BTC.
      //   minimise Σ cost·x, x ≥ 0, subject to −0.5 ≤ D0 + Σ δ·x ≤ 0.5 and −20 ≤ V0 + Σ ν·x ≤ 20.
      // A vertex has as many columns in the basis as constraints at a band edge (0, 1 or 2): enumerate every
      // set of ≤ 2 columns and every choice of active edges, solve the square system, keep the feasible ones,
      // take the cheapest.
      const q = (name: string) => chain.find((row) => row.instrument_name === name)!
      const greeksOf = (name: string) => JSON.parse(q(name).greeks!.replaceAll("'", '"')) as { delta: number; vega: number }
      const S = INDEX
      const opt = (name: string) => ({
        d: greeksOf(name).delta,
        v: greeksOf(name).vega,
        ask: Number(q(name).best_ask_price),
        bid: Number(q(name).best_bid_price),
        c: ((Number(q(name).best_ask_price) - Number(q(name).best_bid_price)) / 2) * S + FEE * S,
      })
      const call = opt(C)
      const put = opt(P)
      const cols = [
        { name: 'perp', d: 1 / S, v: 0, c: 0.00005 + FEE },
        { name: 'perp', d: -1 / S, v: 0, c: 0.00005 + FEE },
        { name: C, d: call.d - call.ask, v: call.v, c: call.c },
        { name: C, d: -call.d + call.bid, v: -call.v, c: call.c },
        { name: P, d: put.d - put.ask, v: put.v, c: put.c },
        { name: P, d: -put.d + put.bid, v: -put.v, c: put.c },
      ]
      const rows = [
        { a: (x: (typeof cols)[number]) => x.d, before: D0, lo: -0.5, hi: 0.5 },
        { a: (x: (typeof cols)[number]) => x.v, before: V0, lo: -20, hi: 20 },
      ]
      const feasible = (xs: Array<[number, number]>) =>
        xs.every(([, x]) => x >= -1e-9) && rows.every((row) => {
          const value = row.before + xs.reduce((a, [j, x]) => a + row.a(cols[j]!) * x, 0)
          return value >= row.lo - 1e-7 && value <= row.hi + 1e-7
        })
      let best = Infinity
      const consider = (xs: Array<[number, number]>) => {
        if (feasible(xs)) best = Math.min(best, xs.reduce((a, [j, x]) => a + cols[j]!.c * x, 0))
      }
      consider([])
      for (let j = 0; j < cols.length; j++)
        for (const row of rows) for (const edge of [row.lo, row.hi]) consider([[j, (edge - row.before) / row.a(cols[j]!)]])
      for (let j = 0; j < cols.length; j++)
        for (let k = j + 1; k < cols.length; k++)
          for (const e0 of [rows[0]!.lo, rows[0]!.hi])
            for (const e1 of [rows[1]!.lo, rows[1]!.hi]) {
              // Cramer's rule on [d_j d_k; v_j v_k]·[x_j x_k] = [e0 − D0, e1 − V0].
              const [a, b, c, d] = [cols[j]!.d, cols[k]!.d, cols[j]!.v, cols[k]!.v]
              const det = a * d - b * c
              if (Math.abs(det) < 1e-12) continue
              const r0 = e0 - D0
              const r1 = e1 - V0
              consider([[j, (r0 * d - b * r1) / det], [k, (a * r1 - c * r0) / det]])
            }
      expect(Number.isFinite(best)).toBe(true)
      // Deribit's greeks differ from Riskdesk's Black-76 by < 5e-4 in delta and < 0.005 USD in vega
      // (deribitChainGreeks.test.ts): the optimum agrees to 0.1 %.
      expect(r.lpCostUsd!).toBeGreaterThan(0)
      expect(Math.abs(r.lpCostUsd! - best) / best).toBeLessThan(1e-3)
      expect(r.status).toBe('optimal')
      for (const t of r.targets) {
        expect(t.met).toBe(true)
        expect(t.after).toBeGreaterThanOrEqual(t.lower)
        expect(t.after).toBeLessThanOrEqual(t.upper)
      }
      // Whole lots: options in Deribit's order steps of 0.1 BTC (get_instruments min_trade_amount), the perpetual
      // in 10 USD contracts.
      for (const leg of r.legs) expect(leg.quantity).toMatch(leg.kind === 'option' ? /^-?\d+(\.\d)?$/ : /^-?\d*0$/)
      // Each leg's cost is its half spread and fee at its rounded size (impact 0 with Y = 0).
      for (const leg of r.legs) {
        expect(leg.impactUsd).toBe(0)
        expect(leg.costUsd).toBeCloseTo(leg.halfSpreadUsd + leg.feeUsd, 9)
      }
      expect(r.binding.length).toBeGreaterThan(0)
    } finally {
      await dispatch(api, 'saveStressSettings', saved)
    }
  })

  it('riskdesk hedge --add-to-whatif puts the legs in a what-if whose figures are the hedge’s after; hedging that what-if again needs nothing', async () => {
    const dbPath = db.name
    const cli = await runRiskdesk(dbPath, 'hedge', '--portfolio', 'treasury', '--target', 'deltaUsd=0+-5', '--candidates', 'perpetual', '--add-to-whatif', 'carry')
    expect(cli.code, cli.stderr).toBe(0)
    expect(cli.stdout).toMatch(/hedge of portfolio "treasury" .*: optimal, 1 candidate\n/)
    expect(cli.stdout).toMatch(/BTC-PERPETUAL .*-93,480 usd/)
    expect(cli.stdout).toMatch(/added 1 leg to what-if "carry"/)
    const w = (await dispatch(api, 'getWhatIf', { name: 'carry' })) as WhatIfReport
    expect(w.legs.map((l) => [l.instrument, l.account, l.quantity, l.entryPrice])).toEqual([['BTC-PERPETUAL', 'treasury', '-93480', '9347.68']])
    // 10 BTC × 9,347.68 − 93,480 = −3.2 USD of USD delta, as the hedge said.
    expect(w.after.greeks.find((g) => g.underlying === 'BTC')!.deltaUsd).toBeCloseTo(10 * INDEX - 93_480, 6)
    const again = await hedge({ whatIf: 'carry', targets: [{ greek: 'deltaUsd', target: 0, band: 5 }], candidates: { kinds: ['perpetual'] } })
    expect(again).toMatchObject({ portfolio: 'treasury', whatIf: 'carry', status: 'optimal', legs: [], lpCostUsd: 0, costUsd: 0 })
    expect(again.targets[0]!.before).toBeCloseTo(10 * INDEX - 93_480, 6)
  })

  it('vega-neutral with perpetuals only is infeasible, and says vega cannot move with the allowed candidates', async () => {
    const r = await hedge({ portfolio: 'demo', targets: [{ underlying: 'BTC', greek: 'vega', target: 0, band: 100 }], candidates: { kinds: ['perpetual'] } })
    expect(r.status).toBe('infeasible')
    expect(r.legs).toEqual([])
    expect(r.reason).toMatch(/^BTC vega cannot move with the allowed candidates \(perpetual\): none has vega/)
    expect(r.candidatesConsidered).toBeGreaterThan(0)
  })

  it('a target already inside its band needs nothing, even with no candidate; unknown instruments are named', async () => {
    // The demo book's BTC delta (49.70 BTC, the positions report) lies inside 0 ± 100.
    const r = await hedge({ portfolio: 'demo', targets: [{ underlying: 'BTC', greek: 'delta', target: 0, band: 100 }], candidates: { kinds: ['perpetual'], instruments: ['BTC-NOPE'] } })
    expect(r).toMatchObject({ status: 'optimal', legs: [], costUsd: 0, candidatesConsidered: 0, binding: [] })
    expect(r.targets[0]).toMatchObject({ met: true, lower: -100, upper: 100 })
    expect(r.targets[0]!.after).toBe(r.targets[0]!.before)
    expect(r.notes).toContain('not candidates (unknown at the allowed venues, another kind or underlying, or left out below): BTC-NOPE')
  })
})
