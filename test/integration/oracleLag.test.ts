/**
 * Oracle lag and stablecoin de-peg (issue 16 item 4) on one portfolio holding a Hyperliquid book and a Deribit
 * account. Hyperliquid: the real 2023 mainnet clearinghouseState (../shared/data/real/hyperliquid) in its levered
 * variant (test/fixtures/oracle/README.md: positions ×13, account value ×2), snapshot 2023-03-27T12:00:00Z.
 * Deribit: long 270,000 USD of BTC-PERPETUAL entered at 26,961.2 with 1.2 BTC (generic CSVs, same folder); it
 * has no Deribit quote, so it is marked at the BTC index, here the Hyperliquid BTC mark 26,961.2.
 *
 * Expected figures, computed by hand (python Decimal) from the files and the venues' formulas, not by Riskdesk:
 *  - Moves: BTC ∓10 %; ETH ∓11 % (default beta table: ETH 1.1 × BTC); every other coin ∓10 % (no beta: 1:1).
 *  - Oracle path rule (scenario.ts): the move takes 60 s; the oracle, `lag` s behind, has made f = max(0, 1 − lag/60):
 *    f = 1, 0.95, 0.5, 0 for 0 s, 3 s, 30 s, 5 min. Hyperliquid margins on that price (mark = oracle); Deribit on
 *    its own index, which makes the whole move.
 *  - Hyperliquid (research note §1b): MM = Σ |szi| × price × mmr; the 2023 file has no maxLeverage, every position is
 *    cross at 20× (so the venue allowed ≥ 20×): the venue-rules entry below states one tier at 20×, mmr = 1/40 =
 *    2.5 %. Collateral C = accountValue 2364.624992 − Σ unrealizedPnl 8.944234 = 2355.680758 USDC; equity =
 *    C + Σ szi × (mark × (1 + f·move) − entryPx), mark = positionValue ÷ |szi|; liquidated when MM ≥ equity.
 *      −10 %: f=1    equity 910.535465, MM 1003.943541, ratio 1.102585874 → liquidated
 *             f=0.95 equity 983.239941, MM 1009.562113, ratio 1.026770853 → liquidated
 *             f=0.5  equity 1637.580228, MM 1060.129262, ratio 0.647375465
 *             f=0    equity 2364.624992, MM 1116.314984, ratio 0.472089649
 *      +10 %: f=1 ratio 0.321753936; 0.95: 0.326498819; 0.5: 0.379245132; 0: 0.472089649
 *  - Deribit standard margin (11 Jan 2022 notice): MM rate = 1 % + size_BTC × 0.005 %, MM = size × rate, size =
 *    270000 ÷ M; equity (BTC) = 1.2 + 270000 × (1/26961.2 − 1/M).
 *      −10 % (M = 24265.08): equity 0.0872898832, MM 0.1174616307, ratio 1.345649992 → liquidated (every lag)
 *      +10 % (M = 29657.32): equity 2.1103991864, MM 0.0951840520, ratio 0.045102392
 *    So with the oracle 30 s or 5 min behind, Deribit liquidates the account and Hyperliquid does not.
 *  - De-peg (USDC at v): contract prices and MM stay in USD; the USDC balance is worth v: equity USD = v × C +
 *    Σ uPnL 8.944234: at 0.97 2293.95456926 (−0.03 × 2355.680758 = −70.67042274), ratio 1116.314984 ÷ that =
 *    0.486633431 (was 0.472089649); at 0.90 2129.05691620, ratio 0.524323692. Deribit (BTC) unchanged.
 *  - Stress P&L (the book's USD value, market move): −10 %: Hyperliquid 910.535465 − 2364.624992 = −1454.089527,
 *    Deribit perp 270000 × −0.1 = −27000, BTC balance 1.2 × 26961.2 × −0.1 = −3235.344: −31689.433527 USD in every
 *    lag row; USDC at 0.97: −70.67042274 USD.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../src/main/db/database'
import { StressPool } from '../../src/main/engine/stressPool'
import { marginStressText } from '../../src/main/hosts/cli/marginText'
import { stressText } from '../../src/main/hosts/cli/textOutput'
import { importFile } from '../../src/main/services/importService'
import { marginUnderStress } from '../../src/main/services/marginService'
import { saveSet } from '../../src/main/services/scenarioService'
import { runStress } from '../../src/main/services/stressService'
import { marginStressRequest, type MarginStressResult } from '../../src/shared/marginApi'
import { stressRequest } from '../../src/shared/stressApi'
import { FIXTURES, tempDir } from '../support/paths'

const ORACLE = join(FIXTURES, 'oracle')
const NOW = Date.UTC(2026, 10, 21)
const COINS = ['APE', 'ARB', 'ATOM', 'AVAX', 'BNB', 'BTC', 'DYDX', 'ETH', 'LTC', 'MATIC', 'OP', 'SOL']
/** One tier at 20× for every coin on the file's date (see the header: the file shows 20× cross everywhere). */
const VENUE_RULES = {
  format: 'riskdesk-margin-params/1',
  tables: Object.fromEntries(
    COINS.map((c) => [
      `hyperliquid.marginTables.${c}`,
      [{ asOf: '2023-03-27', dateBasis: 'user', sources: ['test input: every 2023 position is cross at 20×'], values: { tiers: [{ lowerBound: '0', maxLeverage: 20 }] } }],
    ]),
  ),
}

let db: Db
let pool: StressPool
beforeAll(() => {
  db = openDatabase(join(tempDir(), 'riskdesk.db'))
  pool = new StressPool({ workers: 2 })
  const o = { portfolio: 'two venues', now: NOW }
  importFile(db, join(ORACLE, 'clearinghouseState_mainnet_2023-03-27_levered_variant.json'), { ...o, snapshotTime: '2023-03-27T12:00:00Z' })
  importFile(db, join(ORACLE, 'deribit_btc_perpetual_long_270000_variant.csv'), o)
  importFile(db, join(ORACLE, 'deribit_btc_balance_1.2_variant.csv'), o)
})
afterAll(async () => {
  await pool.close()
  db.close()
})

const stress = (set: string) => marginUnderStress(db, marginStressRequest.parse({ portfolio: 'two venues', set, venueRules: VENUE_RULES }))
const column = (s: MarginStressResult, key: string) => {
  const j = s.accounts.findIndex((a) => a.key === key)
  expect(j).toBeGreaterThanOrEqual(0)
  return { current: s.current[j]!, cells: s.cells.map((row) => row[j]!) }
}

describe('the oracle-lag set on a Hyperliquid and a Deribit account', () => {
  it('liquidates each account on the price its venue uses: with the oracle 30 s or 5 min behind, Deribit only', () => {
    const s = stress('oracle-lag')
    expect(s.scenarios.map((x) => x.name)).toEqual([
      'BTC −10% in 60 s, oracle in step', 'BTC −10% in 60 s, oracle 3 s behind', 'BTC −10% in 60 s, oracle 30 s behind', 'BTC −10% in 60 s, oracle 5 min behind',
      'BTC +10% in 60 s, oracle in step', 'BTC +10% in 60 s, oracle 3 s behind', 'BTC +10% in 60 s, oracle 30 s behind', 'BTC +10% in 60 s, oracle 5 min behind',
    ].map((n) => n.replace('−', '-')))
    const hl = column(s, 'hyperliquid/main/USDC')
    const deribit = column(s, 'deribit/desk/BTC')
    expect(hl.cells.every((c) => c.priceBasis === 'oracle') && deribit.cells.every((c) => c.priceBasis === 'market')).toBe(true)
    // The price Hyperliquid margins on: f × the market move (ETH: f × 1.1 × the BTC move).
    expect(hl.cells.map((c) => c.priceMoves.BTC)).toEqual([-0.1, -0.095, -0.05, 0, 0.1, 0.095, 0.05, 0].map((x) => expect.closeTo(x, 12)))
    expect(hl.cells[2]!.priceMoves.ETH).toBeCloseTo(-0.055, 12)
    expect(deribit.cells.map((c) => c.priceMoves.BTC)).toEqual([-0.1, -0.1, -0.1, -0.1, 0.1, 0.1, 0.1, 0.1].map((x) => expect.closeTo(x, 12)))

    expect(hl.cells.map((c) => c.liquidated)).toEqual([true, true, false, false, false, false, false, false])
    expect(deribit.cells.map((c) => c.liquidated)).toEqual([true, true, true, true, false, false, false, false])
    const hlRatios = [1.102585874, 1.026770853, 0.647375465, 0.472089649, 0.321753936, 0.326498819, 0.379245132, 0.472089649]
    hl.cells.forEach((c, k) => expect(c.marginRatio!).toBeCloseTo(hlRatios[k]!, 8))
    expect(Number(hl.cells[1]!.equity)).toBeCloseTo(983.239941, 5)
    expect(Number(hl.cells[1]!.maintenanceMargin)).toBeCloseTo(1009.562113, 5)
    expect(Number(hl.cells[3]!.equity)).toBeCloseTo(2364.624992, 5)
    deribit.cells.slice(0, 4).forEach((c) => expect(c.marginRatio!).toBeCloseTo(1.345649992, 8))
    deribit.cells.slice(4).forEach((c) => expect(c.marginRatio!).toBeCloseTo(0.045102392, 8))
    expect(Number(deribit.cells[3]!.equity)).toBeCloseTo(0.0872898832, 8)
    expect(s.assumptions.some((a) => a.startsWith('oracle lag: hyperliquid/main/USDC is margined and liquidated on the venue\'s oracle-based price'))).toBe(true)

    // What `riskdesk margin --stress oracle-lag` prints: the 30 s row, Deribit LIQ, Hyperliquid on its oracle.
    const text = marginStressText(s).split('\n')
    const row30 = text.find((l) => l.includes('oracle 30 s behind') && l.includes('-10%'))!
    expect(row30).toMatch(/134\.6% LIQ/)
    expect(row30).toMatch(/64\.7% \(on oracle: BTC -5\.0%\)/)
  })

  it('the stress P&L (the book in USD) is the market move whatever the lag', async () => {
    const r = await runStress(db, pool, stressRequest.parse({ portfolio: 'two venues', set: 'oracle-lag' }))
    const pnl = r.scenarios.map((x) => x.pnlUsd)
    pnl.slice(0, 4).forEach((x) => expect(x).toBeCloseTo(-31689.433527, 4))
    expect(new Set(pnl.slice(4)).size).toBe(1)
    expect(stressText(r)).toMatch(/margin --stress oracle-lag/)
  })
})

describe('a saved scenario with an oracle lag', () => {
  it('applies it to the venues it names only, and says when it names a venue the portfolio is not at', () => {
    saveSet(db, {
      name: 'lag named',
      scenarios: [
        // dYdX is in the oracle table but the portfolio has no dYdX account; "hyperliqiud" is a typo.
        { name: 'named', spot: { driver: 'BTC', shock: -0.1 }, oracle: { lagSeconds: 30, venues: ['dydx', 'hyperliqiud'] } },
        // Deribit named explicitly: the user says its mark lags too (30 s of 60 s: −5 %); Hyperliquid then follows the market.
        { name: 'deribit', spot: { driver: 'BTC', shock: -0.1 }, oracle: { lagSeconds: 30, venues: ['deribit'] } },
      ],
    })
    const s = stress('lag named')
    expect(s.assumptions).toContain('scenario "named": its oracle lag names venue "hyperliqiud", at which the portfolio has no margin account (no effect)')
    expect(s.assumptions).toContain('scenario "named": its oracle lag names venue "dydx", at which the portfolio has no margin account (no effect)')
    const hl = column(s, 'hyperliquid/main/USDC')
    const deribit = column(s, 'deribit/desk/BTC')
    expect(hl.cells.map((c) => [c.priceBasis, c.liquidated])).toEqual([['market', true], ['market', true]])
    expect(deribit.cells.map((c) => c.priceBasis)).toEqual(['market', 'oracle'])
    expect(deribit.cells[1]!.priceMoves.BTC).toBeCloseTo(-0.05, 12)
    // Deribit at −5 %: equity 1.2 − 10.01439 × (1/0.95 − 1) = 0.6729268, MM 0.1109708 → ratio 0.1649076 (hand, the header's formula).
    expect(deribit.cells[1]!.marginRatio!).toBeCloseTo(0.1649076367, 8)
    expect(deribit.cells[1]!.liquidated).toBe(false)
  })
})

describe('a dYdX v4 account (margined at the oracle price) under the oracle-lag set', () => {
  it('takes the oracle’s share of the move', () => {
    // dYdX testnet response of 2025-07 (test/fixtures/dydx, dydx.test.ts): short 0.491 BTC, USDC 82291.083758, oracle
    // P = entry + uPnL ÷ S = 118703.608113… − 1339.127761… ÷ 0.491 = 115976.26033; IMF 0.02, MMF 0.012.
    // BTC +10 % with the oracle 30 s behind: P₁ = 1.05 P; equity = 82291.083758 − 0.491 P₁ = 22499.522745, MM = 0.012 ×
    // 0.491 P₁ = 717.498732, ratio 0.031889509; in step: 0.038248201; 5 min behind: 0.026959369 (the current ratio).
    const dx = { portfolio: 'dydx lag', now: NOW }
    importFile(db, join(FIXTURES, 'dydx', 'perpetualMarkets_testnet_2025-07_ccxt.json'), { ...dx, snapshotTime: '2025-07-29T05:45:08Z' })
    importFile(db, join(FIXTURES, 'dydx', 'addresses_testnet_2025-07_ccxt.json'), { ...dx, snapshotTime: '2025-08-01T00:00:00Z' })
    const s = marginUnderStress(db, marginStressRequest.parse({ portfolio: 'dydx lag', set: 'oracle-lag' }))
    const cells = s.cells.map((row) => row[0]!)
    expect(cells.every((c) => c.priceBasis === 'oracle')).toBe(true)
    // Rows 4–7: +10 % in step, 3 s, 30 s, 5 min behind.
    expect(cells[4]!.marginRatio!).toBeCloseTo(0.038248201, 8)
    expect(cells[6]!.marginRatio!).toBeCloseTo(0.031889509, 8)
    expect(Number(cells[6]!.equity)).toBeCloseTo(22499.522745, 5)
    expect(cells[7]!.marginRatio!).toBeCloseTo(0.026959369, 8)
  })
})

describe('the stablecoin de-peg set', () => {
  it('USDC at 0.97: the USDC account loses 0.03 × its USDC balance in USD and its margin ratio rises; the BTC account is unchanged', () => {
    const s = stress('stablecoin-depeg')
    expect(s.scenarios.map((x) => x.name)).toEqual(['USDC at 0.97 USD', 'USDC at 0.90 USD', 'USDT at 0.97 USD', 'USDT at 0.90 USD'])
    expect(s.scenarios[0]!.spotShocks).toMatchObject({ USDC: expect.closeTo(-0.03, 12), BTC: 0 })
    const hl = column(s, 'hyperliquid/main/USDC')
    const deribit = column(s, 'deribit/desk/BTC')
    expect(Number(hl.current.equityUsd)).toBeCloseTo(2364.62, 2)
    expect(Number(hl.cells[0]!.equityUsd)).toBeCloseTo(2293.95, 2)
    expect(Number(hl.cells[1]!.equityUsd)).toBeCloseTo(2129.06, 2)
    expect(hl.current.marginRatio!).toBeCloseTo(0.472089649, 8)
    expect(hl.cells[0]!.marginRatio!).toBeCloseTo(0.486633431, 8)
    expect(hl.cells[1]!.marginRatio!).toBeCloseTo(0.524323692, 8)
    // USDT moves nothing here; the BTC account holds no stablecoin.
    for (const k of [2, 3]) expect(hl.cells[k]).toMatchObject({ equityUsd: hl.current.equityUsd, marginRatio: hl.current.marginRatio })
    for (const c of deribit.cells) expect(c).toMatchObject({ equity: deribit.current.equity, equityUsd: deribit.current.equityUsd, marginRatio: deribit.current.marginRatio })
    expect(s.assumptions.some((a) => a.startsWith('stablecoin de-peg: balances and margin currencies in a de-pegged stablecoin are worth its scenario value in USD'))).toBe(true)
  })

  it('the stress P&L of the de-peg is the USDC balance’s loss', async () => {
    const r = await runStress(db, pool, stressRequest.parse({ portfolio: 'two venues', set: 'stablecoin-depeg' }))
    expect(r.scenarios[0]!.pnlUsd).toBeCloseTo(-70.67042274, 6)
    expect(r.scenarios[1]!.pnlUsd).toBeCloseTo(-235.5680758, 6)
    expect(r.scenarios[2]!.pnlUsd).toBe(0)
  })
})
