/**
 * dYdX v4 indexer importers and margin on real indexer responses (test/fixtures/dydx, SOURCES.md: mainnet responses
 * from nautilus_trader's test data, testnet responses from ccxt's). Expected figures are the files' own numbers,
 * with their identities worked by hand in the comments (exact decimal arithmetic).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { currentBalances } from '../../../src/main/db/balanceStore'
import { currentBook, findPortfolio } from '../../../src/main/db/bookStore'
import { openDatabase, type Db } from '../../../src/main/db/database'
import { importFile, type ImportOptions } from '../../../src/main/services/importService'
import { marginReport } from '../../../src/main/services/marginService'
import { marginRequest } from '../../../src/shared/marginApi'
import { importIssuesOf } from '../../support/importFailure'
import { FIXTURES, tempDir } from '../../support/paths'

let db: Db
let dir: string
beforeEach(() => {
  dir = tempDir()
  db = openDatabase(join(dir, 'riskdesk.db'))
})
afterEach(() => db.close())

const NOW = Date.UTC(2026, 10, 21)
const DYDX = join(FIXTURES, 'dydx')
const imp = (file: string, o: ImportOptions = {}) => importFile(db, join(DYDX, file), { portfolio: 'dx', now: NOW, ...o })
const ADDRESS = 'dydx1kzsvkf2ghjqlysuffdkhcdctknl4rsvcx5hkm5'
const book = () => currentBook(db, findPortfolio(db, 'dx').id).map((p) => [p.account, p.instrument.name, p.instrument.symbol, p.quantity, p.entryPrice])
const balances = () => currentBalances(db, findPortfolio(db, 'dx').id).map((b) => `${b.account} ${b.currency} ${b.amount}`)
/** A variant of a fixture written to the test's directory. */
function variant(name: string, from: string, edit: (text: string) => string): string {
  const path = join(dir, name)
  writeFileSync(path, edit(readFileSync(join(DYDX, from), 'utf8')))
  return path
}

describe('dydx address response (mainnet, 2024-08)', () => {
  it('has no time: refused without --snapshot-time, naming the block height', () => {
    const issues = importIssuesOf(() => imp('addresses_mainnet_2024-08_nautilus.json'))
    expect(issues[0]!.message).toMatch(/carries no time \(only block height 18127753\).*--snapshot-time/)
  })

  it('gives the open position, the USDC collateral and the implied oracle; the equity identity holds', () => {
    const r = imp('addresses_mainnet_2024-08_nautilus.json', { snapshotTime: '2024-08-02T00:00:00Z' })
    expect(r.format).toBe('dydx-indexer-address')
    expect(book()).toEqual([[`${ADDRESS}/0`, 'ETH-USD', 'ETH/USDC:USDC', '0.003', '3177.76666666666666666667']])
    // Σ size × oracle = 0.003 × 3177.76666666666666666667 + (−0.83227222400000000000001) = 9.53330000000000000000001
    // − 0.83227222400000000000001 = 8.701027776; equity 99.162959776 = USDC 90.461932 + 8.701027776 exactly.
    expect(r.notes).toContain(`dydx ${ADDRESS}/0: equity 99.162959776 = USDC 90.461932 + Σ size × oracle 8.701027776 (the file's own identity holds)`)
    // equity − freeCollateral = 99.162959776 − 98.7279083872 = 0.4350513888.
    expect(r.notes).toContain(`dydx ${ADDRESS}/0: the indexer's free collateral 98.7279083872, so its Σ initial margin (at the base IMF, without the open-interest scaling) is 0.4350513888 USDC`)
    // Collateral = USDC + size × entryPrice = 90.461932 + 9.53330000000000000000001.
    expect(balances()).toEqual([`${ADDRESS}/0 USDC 99.99523200000000000000001`])
    expect(r.notes.some((n) => n.startsWith('totalTradingRewards 0.000639542235363524'))).toBe(true)
    expect(r.quotes).toBe(1)
  })

  it('margin: IM at the 0.05 IMF equals the file’s equity − freeCollateral; no liquidation price below (over-collateralised)', () => {
    imp('addresses_mainnet_2024-08_nautilus.json', { snapshotTime: '2024-08-02T00:00:00Z' })
    const [a] = marginReport(db, marginRequest.parse({ portfolio: 'dx' })).accounts
    expect(a).toMatchObject({ key: `dydx/${ADDRESS}/0/USDC`, rule: { id: 'dydx', source: 'venue default' }, status: 'ok' })
    expect(a!.tables[0]).toMatchObject({ id: 'dydx.market.ETH-USD', asOf: '2024-08-01' })
    // Oracle implied = 3177.7666… − 0.832272224 / 0.003 = 2900.342592; |S × P| = 8.701027776.
    // IM = 8.701027776 × 0.05 = 0.4350513888 → 0.435051 (the file's equity − freeCollateral); MM × 0.03 = 0.26103083328.
    expect(a).toMatchObject({ equity: '99.162960', initialMargin: '0.435051', maintenanceMargin: '0.261031' })
    // Q = 90.461932 > 0 with a long: Q + S × P = |S| × P × MMF has no positive root, so no liquidation below.
    expect(a!.liquidation).toMatchObject([{ underlying: 'ETH', scope: 'cross', below: null }])
  })
})

describe('dydx address response (testnet, 2025-07) with the markets response of the same days', () => {
  it('IM = |S × P| × 0.02 reproduces equity − freeCollateral; liquidation where the margin ratio is 100 %', () => {
    const m = imp('perpetualMarkets_testnet_2025-07_ccxt.json', { snapshotTime: '2025-07-29T05:45:08Z' })
    expect(m).toMatchObject({ format: 'dydx-indexer-perpetual-markets', quotes: 1 })
    const r = imp('addresses_testnet_2025-07_ccxt.json', { snapshotTime: '2025-08-01T00:00:00Z' })
    // S × entry = −0.491 × 118703.60811320754716981132 = −58283.47158358490566037735812; + uPnL 1339.12776155490566037735812
    // = −56944.34382203; equity = 82291.083758 − 56944.34382203 = 25346.73993597 (the file's); oracle = entry + uPnL / S
    // = 118703.608113… − 2727.347783… = 115976.26033.
    expect(r.notes).toContain('dydx dydx14zzueazeh0hj67cghhf9jypslcf9sh2n5k6art/0: equity 25346.73993597 = USDC 82291.083758 + Σ size × oracle -56944.34382203 (the file\'s own identity holds)')
    const [a] = marginReport(db, marginRequest.parse({ portfolio: 'dx' })).accounts
    // The imported entry (2025-07-29) is in force on the valuation day 2025-08-01: IMF 0.02, MMF 0.012, caps 0.
    expect(a!.tables[0]).toMatchObject({ id: 'dydx.market.BTC-USD', asOf: '2025-07-29' })
    // IM = 56944.34382203 × 0.02 = 1138.8868764406 = equity − freeCollateral (25346.73993597 − 24207.8530595294);
    // MM = 56944.34382203 × 0.012 = 683.33212586436.
    expect(a).toMatchObject({ equity: '25346.739936', initialMargin: '1138.886876', maintenanceMargin: '683.332126' })
    // Short: Q − |S| P = |S| P × MMF → P = 82291.083758 / (0.491 × 1.012) = 165611.60928…
    const [lv] = a!.liquidation
    expect(lv).toMatchObject({ underlying: 'BTC', scope: 'cross', below: null })
    expect(Math.abs(lv!.above!.indexPrice - 82291.083758 / (0.491 * 1.012))).toBeLessThan(1e-4)
  })
})

describe('dydx subaccount and perpetualPositions responses', () => {
  it('the subaccount response reads as the address response does (a later block, another oracle)', () => {
    const r = imp('subaccount_mainnet_2024-08_nautilus.json', { snapshotTime: '2024-08-03T00:00:00Z' })
    expect(r.format).toBe('dydx-indexer-subaccount')
    // 9.53330000000000000000001 − 0.78841244600000000000001 = 8.744887554; 90.461932 + 8.744887554 = 99.206819554.
    expect(r.notes).toContain(`dydx ${ADDRESS}/0: equity 99.206819554 = USDC 90.461932 + Σ size × oracle 8.744887554 (the file's own identity holds)`)
    expect(book()).toEqual([[`${ADDRESS}/0`, 'ETH-USD', 'ETH/USDC:USDC', '0.003', '3177.76666666666666666667']])
  })

  it('perpetualPositions names no address: filed under --account, no balance', () => {
    const r = imp('perpetualPositions_mainnet_2024-08_nautilus.json', { snapshotTime: '2024-08-02T00:00:00Z', account: ADDRESS })
    expect(r.format).toBe('dydx-indexer-perpetual-positions')
    expect(book()).toEqual([[`${ADDRESS}/0`, 'ETH-USD', 'ETH/USDC:USDC', '0.003', '3177.76666666666666666667']])
    expect(balances()).toEqual([])
    expect(r.notes).toContain('no USDC balance in a perpetualPositions response: import the address or subaccount response for the collateral')
  })
})

describe('dydx perpetualPositions with a closed position', () => {
  it('holds only open positions: a CLOSED one is skipped and counted, and the subaccount is then flat', () => {
    const path = variant('closed.json', 'perpetualPositions_mainnet_2024-08_nautilus.json', (t) => t.replace('"status": "OPEN"', '"status": "CLOSED"'))
    const r = importFile(db, path, { portfolio: 'dx', now: NOW, snapshotTime: '2024-08-02T00:00:00Z', account: ADDRESS })
    expect(r.skipped).toEqual([{ line: 3, reason: 'ETH-USD: closed position (only open positions are held)' }])
    expect(book()).toEqual([])
  })
})

describe('dydx parent subaccount (hand-made variant of the documented shape)', () => {
  it('each child is its own margin account; the parent adds its children up; the isolated short liquidates at 97,087.38', () => {
    const r = imp('parentSubaccount_variant.json', { snapshotTime: '2024-08-02T00:00:00Z' })
    expect(r.format).toBe('dydx-indexer-parent-subaccount')
    // 99.162959776 + 314.7355237 = 413.898483476; 98.7279083872 + 280.472299885 = 379.2002082722.
    expect(r.notes).toContain(`dydx parent subaccount ${ADDRESS}/0: equity 413.898483476 and freeCollateral 379.2002082722 are its 2 children's sums`)
    const accounts = marginReport(db, marginRequest.parse({ portfolio: 'dx' })).accounts
    expect(accounts.map((a) => a.key)).toEqual([`dydx/${ADDRESS}/0/USDC`, `dydx/${ADDRESS}/128/USDC`])
    // Child 128: |S × P| = 0.01 × 68,526.44763 = 685.2644763; IM × 0.05 = 34.263223815 = equity − freeCollateral;
    // MM × 0.03 = 20.557934289; equity 314.7355237. Short: P = 1000 / (0.01 × 1.03) = 97,087.3786…
    const child = accounts[1]!
    expect(child).toMatchObject({ equity: '314.735524', initialMargin: '34.263224', maintenanceMargin: '20.557934' })
    expect(Math.abs(child.liquidation[0]!.above!.indexPrice - 1000 / (0.01 * 1.03))).toBeLessThan(1e-4)
  })
})

describe('dydx fills', () => {
  it('replay into the position the address response states (0.003 at 3177.7666…), fees in USDC', () => {
    const r = imp('fills_mainnet_2024-08_nautilus.json', { account: ADDRESS })
    expect(r).toMatchObject({ format: 'dydx-indexer-fills', fills: 2 })
    // (0.002 × 3178.5 + 0.001 × 3176.3) / 0.003 = (6.357 + 3.1763) / 0.003 = 3177.7666…, the address file's entryPrice.
    // The replay keeps an average entry to 12 significant digits: 3177.76666667.
    expect(book()).toEqual([[`${ADDRESS}/0`, 'ETH-USD', 'ETH/USDC:USDC', '0.003', '3177.76666667']])
    const fees = db.prepare<[number], { amount: string; currency: string }>("SELECT fee AS amount, fee_currency AS currency FROM fills WHERE import_id = ? ORDER BY id").all(r.importId!)
    // 0.003179 + 0.001589 = 0.004768 USDC.
    expect(fees).toEqual([{ amount: '0.003179', currency: 'USDC' }, { amount: '0.001589', currency: 'USDC' }])
  })
})

describe('dydx fills of one block (variant built by hand from the real file)', () => {
  it('are replayed oldest first though the file lists them newest first', () => {
    // The real file's two buys plus a newer sell of 0.001 at 3180 in the same block (same createdAt), listed first as the
    // indexer lists newest first. In execution order: 0.003 at 3177.7666… then sell 0.001 → realized 0.001 × (3180 −
    // 3177.7666…) = 0.0022333…, 0.002 left at 3177.7666…. In file order the sell would open a short at 3180 and the
    // buys would close it (realized 0.001 × (3180 − 3178.5) = 0.0015) and leave 0.002 at 3178.5.
    const path = variant('same_block.json', 'fills_mainnet_2024-08_nautilus.json', (t) =>
      t.replace(
        '"fills": [\n',
        '"fills": [\n        {"createdAt": "2024-08-01T07:09:25.767Z", "createdAtHeight": "17933806", "fee": "0.0016", "id": "hand-made-sell", "liquidity": "TAKER", "market": "ETH-USD", "marketType": "PERPETUAL", "price": "3180", "side": "SELL", "size": "0.001", "subaccountNumber": 0, "type": "LIMIT"},\n',
      ),
    )
    const r = importFile(db, path, { portfolio: 'dx', now: NOW, account: ADDRESS })
    expect(r.fills).toBe(3)
    expect(book()).toEqual([[`${ADDRESS}/0`, 'ETH-USD', 'ETH/USDC:USDC', '0.002', '3177.76666667']])
    const realized = db
      .prepare<[number], { amount: string }>("SELECT amount FROM trade_totals WHERE import_id = ? AND measure = 'realized_pnl' AND instrument_id IS NOT NULL")
      .all(r.importId)
      .map((x) => Number(x.amount))
    expect(realized).toHaveLength(1)
    expect(realized[0]).toBeCloseTo(0.001 * (3180 - 9.5333 / 0.003), 9)
  })
})

describe('dydx perpetualMarkets (mainnet excerpt)', () => {
  it('stores each oracle price as the mark and each market’s parameters as a dated table', () => {
    const r = imp('perpetualMarkets_mainnet_2024_nautilus_excerpt.json', { snapshotTime: '2024-07-21T00:00:00Z' })
    expect(r).toMatchObject({ format: 'dydx-indexer-perpetual-markets', quotes: 4 })
    const rows = db.prepare<[], { table_id: string; as_of: string; tier_values: string }>('SELECT table_id, as_of, tier_values FROM margin_tier_entries ORDER BY table_id').all()
    expect(rows.map((x) => [x.table_id, x.as_of])).toEqual([
      ['dydx.market.1INCH-USD', '2024-07-21'], ['dydx.market.AAVE-USD', '2024-07-21'], ['dydx.market.BTC-USD', '2024-07-21'], ['dydx.market.ETH-USD', '2024-07-21'],
    ])
    expect(JSON.parse(rows[1]!.tier_values)).toEqual({ initialMarginFraction: '0.1', maintenanceMarginFraction: '0.05', openInterestLowerCap: '20000000', openInterestUpperCap: '50000000', openInterest: '5873.3' })
  })
})

describe('dydx files that do not add up or are malformed', () => {
  it('a SHORT position with a positive size is refused at its line and column', () => {
    const path = variant('short_positive.json', 'addresses_testnet_2025-07_ccxt.json', (t) => t.replace('"size": "-0.491"', '"size": "0.491"'))
    const issues = importIssuesOf(() => importFile(db, path, { portfolio: 'dx', now: NOW, snapshotTime: '2025-08-01T00:00:00Z' }))
    expect(issues[0]).toMatchObject({ line: 13, column: 'size', value: '0.491', message: 'expected a negative size for a SHORT position' })
  })

  it('an equity that the file’s own figures do not give is reported, not refused', () => {
    const path = variant('equity_off.json', 'addresses_mainnet_2024-08_nautilus.json', (t) => t.replace('"equity": "99.162959776"', '"equity": "99.262959776"'))
    const r = importFile(db, path, { portfolio: 'dx', now: NOW, snapshotTime: '2024-08-02T00:00:00Z' })
    expect(r.notes).toContain(`dydx ${ADDRESS}/0 does not add up: equity 99.262959776, USDC 90.461932 + Σ size × oracle 8.701027776 = 99.162959776`)
  })

  it('a market whose MMF exceeds its IMF fails the whole file, naming the line', () => {
    const path = variant('mmf_above.json', 'perpetualMarkets_mainnet_2024_nautilus_excerpt.json', (t) => t.replace('"maintenanceMarginFraction": "0.05"', '"maintenanceMarginFraction": "0.5"'))
    const issues = importIssuesOf(() => importFile(db, path, { portfolio: 'dx', now: NOW, snapshotTime: '2024-07-21T00:00:00Z' }))
    expect(issues[0]!.message).toMatch(/AAVE-USD: maintenance margin fraction 0\.5 outside \[0, IMF 0\.1\]/)
    expect(issues[0]!.line).toBe(26)
  })
})
