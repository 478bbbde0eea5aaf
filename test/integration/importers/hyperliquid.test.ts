/**
 * Hyperliquid importers on the real mainnet responses of ../shared/data/real/hyperliquid (SOURCES.md: the
 * hyperliquid-python-sdk test cassettes). Expected figures are the files' own numbers, read by hand with
 * their identities worked in the comments.
 */
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { currentBalances } from '../../../src/main/db/balanceStore'
import { currentBook, findPortfolio, positionVenueMargins } from '../../../src/main/db/bookStore'
import { openDatabase, type Db } from '../../../src/main/db/database'
import { importFile, type ImportOptions } from '../../../src/main/services/importService'
import { marginReport } from '../../../src/main/services/marginService'
import { marginRequest } from '../../../src/shared/marginApi'
import { importIssuesOf } from '../../support/importFailure'
import { IMPORT_FIXTURES, REAL, tempDir } from '../../support/paths'

let db: Db
beforeEach(() => {
  db = openDatabase(join(tempDir(), 'riskdesk.db'))
})
afterEach(() => db.close())

const NOW = Date.UTC(2026, 10, 21)
const HL = join(REAL, 'hyperliquid')
const imp = (file: string, o: ImportOptions = {}) => importFile(db, join(HL, file), { portfolio: 'hl', now: NOW, ...o })
const CLEARINGHOUSE_2023 = 'clearinghouseState_mainnet_2023-03-27_python-sdk.json'

describe('hyperliquid clearinghouseState, 2023 schema (real mainnet response)', () => {
  it('has no time: refused without --snapshot-time, saying so', () => {
    const issues = importIssuesOf(() => imp(CLEARINGHOUSE_2023))
    expect(issues[0]!.message).toMatch(/no "time".*--snapshot-time/)
  })

  it('gives the 12 positions with their sizes, entry prices and marginUsed exactly, and the file adds up', () => {
    const r = imp(CLEARINGHOUSE_2023, { snapshotTime: '2023-03-27T12:00:00Z' })
    expect(r.format).toBe('hyperliquid-clearinghouse-state')
    expect(r.notes).toContain('the file has no "time" (Hyperliquid\'s 2023 schema): snapshot time 2023-03-27T12:00:00.000Z as given')
    // The file's identities, worked by hand: accountValue 1182.312496 = totalRawUsd 86.549602 + Σ signed positionValue
    // 1095.762894; totalNtlPos 3434.815334 = Σ positionValue; totalMarginUsed 171.740766 = Σ marginUsed;
    // withdrawable 1010.57173 = 1182.312496 − 171.740766.
    expect(r.notes.some((n) => n.startsWith("the file's own identities hold"))).toBe(true)
    const book = currentBook(db, findPortfolio(db, 'hl').id)
    const terms = positionVenueMargins(db, book.map((p) => p.id))
    const rows = book.map((p) => [p.instrument.name, p.quantity, p.entryPrice, terms.get(p.id)?.initialMargin, terms.get(p.id)?.liquidationPrice ?? null])
    // Copied from the file (szi, entryPx, marginUsed, liquidationPx), in the file's order.
    expect(rows).toEqual([
      ['APE', '-131.8', '3.86082', '25.47694', 12.57589638],
      ['ARB', '246.5', '1.17991', '14.541035', null],
      ['ATOM', '-0.45', '10.787', '0.243', 2561.83187333],
      ['AVAX', '28.3', '16.3839', '23.206', null],
      ['BNB', '1.916', '306.509', '29.40102', null],
      ['BTC', '-0.00785', '26951', '10.582271', 173198.69592357],
      ['DYDX', '-121.2', '2.36808', '14.3622', 11.841653],
      ['ETH', '0.1334', '1705.82', '11.383755', null],
      ['LTC', '5.33', '88.0926', '23.48931', null],
      ['MATIC', '76.6', '1.03483', '3.96788', null],
      ['OP', '-76.4', '2.04459', '7.8119', 17.0707113],
      ['SOL', '7.39', '19.6789', '7.275455', null],
    ].sort())
    expect(book.every((p) => p.instrument.symbol === `${p.instrument.name}/USDC:USDC` && terms.get(p.id)?.mode === 'cross' && terms.get(p.id)?.leverage === 20)).toBe(true)
    // Collateral = accountValue − Σ unrealizedPnl = 1182.312496 − 0.688018 = 1181.624478 USDC.
    expect(currentBalances(db, findPortfolio(db, 'hl').id).map((b) => `${b.currency} ${b.amount}`)).toEqual(['USDC 1181.624478'])
  })
})

describe('hyperliquid clearinghouseState, current schema (the API docs example)', () => {
  it('takes the time from the file; the isolated position keeps its margin without P&L', () => {
    // rawUsd −95.059824 + positionValue 100.02765 = marginUsed 4.967826 (isolated identity); uPnL 100.02765 − 0.0335 × 2986.3
    // = −0.0134; margin without P&L 4.967826 + 0.0134 = 4.981226; mark 100.02765 / 0.0335 = 2985.9.
    const r = importFile(db, join(IMPORT_FIXTURES, 'hyperliquid', 'clearinghouseState_docs_example_isolated.json'), { portfolio: 'hl', now: NOW, snapshotTime: '2024-01-01T00:00:00Z' })
    expect(r.notes).toContain('snapshot time 2024-02-22T17:19:58.623Z taken from the file\'s "time" (the snapshot time given was not used)')
    expect(r.notes.some((n) => n.startsWith("the file's own identities hold"))).toBe(true)
    const [eth] = currentBook(db, findPortfolio(db, 'hl').id)
    expect(eth).toMatchObject({ quantity: '0.0335', entryPrice: '2986.3' })
    expect(positionVenueMargins(db, [eth!.id]).get(eth!.id)).toMatchObject({ mode: 'isolated', leverage: 20, isolatedMargin: '4.981226', liquidationPrice: 2866.26936529 })
    // Collateral 13109.482328 + 0.0134 = 13109.495728 USDC.
    expect(currentBalances(db, findPortfolio(db, 'hl').id).map((b) => `${b.currency} ${b.amount}`)).toEqual(['USDC 13109.495728'])
  })
})

describe('hyperliquid userFills (real window of 500 fills, 2023-05-05)', () => {
  it('replays each coin from its startPosition, reports the one break, ends flat, realized P&L = Σ closedPnl', () => {
    const r = imp('userFills_mainnet_2023-05_python-sdk.json')
    expect(r.format).toBe('hyperliquid-user-fills')
    // No coin starts flat: e.g. SUI's oldest fill ([499]) starts at −1839.2, ETH's ([476]) at −12.0879.
    expect(r.notes).toContain('ETH: 11 fills from -12.0879 held before the window → 0; realized P&L Σ closedPnl -84.553455 USDC')
    // The chain holds everywhere but at SUI's oldest two fills: [499] (B 104.4, start −1839.2, so −1734.8 after) and [498]
    // (start −1839.2 again, 0.45 s later) — [499] is one leg of a self-trade whose other leg is past the window's edge.
    expect(r.notes).toContain('SUI: the fill [498] at 2023-05-05T00:12:36.146Z starts at -1839.2, the fills before it end at -1734.8 (fills missing from the window?)')
    expect(r.notes).toContain('1 breaks of the startPosition chain (see above)')
    expect(r.notes).toContain('SUI: 50 self-trades (both sides of one transaction, same startPosition on both legs) taken as no change')
    // Every coin ends flat (the account closed all at 00:18), so the window leaves no position.
    expect(currentBook(db, findPortfolio(db, 'hl').id)).toEqual([])
    // Σ closedPnl per coin, summed by hand (python Decimal) from the file: the stored realized P&L.
    const realized = db
      .prepare<[number], { name: string; amount: string }>(
        `SELECT i.name, t.amount FROM trade_totals t JOIN instruments i ON i.id = t.instrument_id WHERE t.import_id = ? AND t.measure = 'realized_pnl' ORDER BY i.name`,
      )
      .all(r.importId)
    expect(Object.fromEntries(realized.map((x) => [x.name, x.amount]))).toEqual({
      APE: '0.006651', ARB: '-23.127512', ATOM: '-2.415578', AVAX: '-0.388634', BNB: '-0.047614', BTC: '-3.911311', DOGE: '-3.431345',
      DYDX: '-0.301886', ETH: '-84.553455', INJ: '-11.125747', LTC: '-0.101615', MATIC: '-0.065938', OP: '-2.4891', SOL: '-11.082013', SUI: '-9.551035',
    })
  })
})

describe('hyperliquid userFunding (real, 2023-04, nSamples 3)', () => {
  it('books each coin\'s payment from the account\'s side; the signs agree with szi and the rate', () => {
    // 13 rows; Σ usdc = 11.897859 USDC received (python Decimal sum of the file's usdc). BTC short −0.68582 at +0.00010081:
    // a short receives a positive rate → +5.950454.
    const r = imp('userFunding_mainnet_2023-04_python-sdk.json')
    expect(r.format).toBe('hyperliquid-user-funding')
    expect(r.notes).toContain('funding received 11.897859 USDC (> 0 received, < 0 paid)')
    const btc = db
      .prepare<[number], { amount: string; note: string }>(
        `SELECT l.amount, l.note FROM ledger_entries l JOIN instruments i ON i.id = l.instrument_id WHERE l.import_id = ? AND i.name = 'BTC'`,
      )
      .get(r.importId)
    expect(btc).toEqual({ amount: '5.950454', note: '3 hourly payments at an average size -0.68582' })
  })
})

describe('hyperliquid UI CSV exports (variants built from the documented columns, locale dates)', () => {
  const fx = (name: string, o: ImportOptions = {}) => importFile(db, join(IMPORT_FIXTURES, 'hyperliquid', name), { portfolio: 'hl', now: NOW, utcOffset: 'Z', ...o })

  it('refuses dates whose day/month order the file does not prove, and reads them once stated', () => {
    // 06/01/2025 and 05/01/2025: every number ≤ 12, so June 1st or January 6th cannot be told apart.
    const issues = importIssuesOf(() => fx('hyperliquid_trade_history_ui_ambiguous_dates_variant.csv'))
    expect(issues[0]!.message).toMatch(/could be day-first or month-first.*--date-order/)
    const r = fx('hyperliquid_trade_history_ui_ambiguous_dates_variant.csv', { dateOrder: 'day-first' })
    expect(r.format).toBe('hyperliquid-trade-history')
    expect(r.notes).toContain('dates read day-first as stated (every day and month in the file is 12 or less)')
    // Day-first: 6 January 2025 17:38:42 UTC is the last row.
    expect(r.asOf).toBe('2025-01-06T17:38:42.000Z')
    // Realized = Σ closedPnl = 20.1 USDC; fees 0.54 + 0.225045 = 0.765045 USDC.
    const t = db
      .prepare<[number], { measure: string; amount: string }>(`SELECT measure, amount FROM trade_totals WHERE import_id = ? ORDER BY measure`)
      .all(r.importId)
    expect(t).toEqual([{ measure: 'fees', amount: '0.765045' }, { measure: 'realized_pnl', amount: '20.1' }])
  })

  it('reads the order a date proves (18 can only be a day) and refuses a contradicting statement', () => {
    const issues = importIssuesOf(() => fx('hyperliquid_trade_history_ui_month_first_variant.csv', { dateOrder: 'day-first' }))
    expect(issues[0]!.message).toBe('the dates are month-first (a number above 12 says so) but day-first was stated')
    const r = fx('hyperliquid_trade_history_ui_month_first_variant.csv')
    expect(r.notes).toContain('dates read month-first (a second number above 12 proves it)')
    expect(r.asOf).toBe('2025-09-18T14:59:56.000Z')
  })

  it('funding history: payments from the account\'s side, their signs checked against side and rate', () => {
    // PAXG short at +0.0000250038 receives 1.293073; ETH long at +0.0001 pays 0.5 → −0.5. Total 0.793073 USDC.
    const r = fx('hyperliquid_funding_history_ui_day_first_variant.csv')
    expect(r.format).toBe('hyperliquid-funding-history')
    const t = db
      .prepare<[number], { amount: string }>(`SELECT amount FROM ledger_entries WHERE import_id = ? AND kind = 'funding' ORDER BY ts`)
      .all(r.importId)
    expect(t.map((x) => x.amount)).toEqual(['-0.5', '1.293073'])
  })
})

describe('hyperliquid margin of an imported account (the docs example)', () => {
  it("Riskdesk's liquidation price beside the venue's, and the cross wallet the file states", () => {
    importFile(db, join(IMPORT_FIXTURES, 'hyperliquid', 'clearinghouseState_docs_example_isolated.json'), { portfolio: 'hl', now: NOW })
    const [a] = marginReport(db, marginRequest.parse({ portfolio: 'hl' })).accounts
    expect(a).toMatchObject({ key: 'hyperliquid/main/USDC', rule: { id: 'hyperliquid', source: 'venue default' }, status: 'ok' })
    // Table of the valuation day 2024-02-22: ETH one tier at 50× (the docs example's maxLeverage).
    expect(a!.tables[0]).toMatchObject({ id: 'hyperliquid.marginTables.ETH', asOf: '2024-02-22', beforeFirstEntry: false })
    // Cross wallet = collateral 13109.495728 − isolated 4.981226 = 13104.514502 = the file's crossMarginSummary.accountValue.
    expect(a!.equity).toBe('13104.514502')
    const eth = a!.positions[0]!
    // IM 100.02765 / 20 = 5.0013825 → 5.001383 (6 places, half up); MM 1.0002765 → 1.000277; isolated equity = marginUsed 4.967826.
    expect(eth).toMatchObject({ initialMargin: '5.001383', maintenanceMargin: '1.000277', isolatedEquity: '4.967826', leverageSource: 'venue file' })
    expect(Math.abs(eth.liquidation!.below!.indexPrice - 2866.26936529)).toBeLessThan(1e-4)
    expect(eth.venue).toMatchObject({ liquidationPrice: 2866.26936529, mode: 'isolated', isolatedMargin: '4.981226' })
  })
})

describe('hyperliquid margin of a coin without a table (variant of the current schema)', () => {
  it("uses one tier at the file's maxLeverage and says so", () => {
    const r = importFile(db, join(IMPORT_FIXTURES, 'hyperliquid', 'clearinghouseState_current_schema_cross_variant.json'), { portfolio: 'hl', now: NOW })
    expect(r.notes).toContain("the venue's cross maintenance margin (crossMaintenanceMarginUsed): 10.5 USDC")
    const [a] = marginReport(db, marginRequest.parse({ portfolio: 'hl' })).accounts
    // AVAX 10 at mark 21 = 210 USDC; IM = 210 / 5 = 42 (the file's marginUsed); MM = 210 / (2 × 10) = 10.5 (the file's
    // crossMaintenanceMarginUsed); equity = collateral 1000 − 10 + uPnL 10 = 1000 (accountValue).
    expect(a).toMatchObject({ status: 'ok', equity: '1000.000000', initialMargin: '42.000000', maintenanceMargin: '10.500000' })
    expect(a!.assumptions).toContain("AVAX: no Hyperliquid margin table, so one tier at the venue file's maxLeverage 10 (MM rate 0.05, no deductions above it)")
  })
})

describe('hyperliquid spotClearinghouseState (documented shape, variant)', () => {
  it('spot holdings become balances of the spot wallet account; an outcome token is skipped and counted', () => {
    const r = importFile(db, join(IMPORT_FIXTURES, 'hyperliquid', 'spotClearinghouseState_docs_shape_variant.json'), {
      portfolio: 'hl', now: NOW, snapshotTime: '2025-06-01T00:00:00Z',
    })
    expect(r.format).toBe('hyperliquid-spot-clearinghouse-state')
    expect(r.skipped).toEqual([{ line: 1, reason: '+100: an outcome token or unnamed asset, not a currency Riskdesk values' }])
    // total includes hold: HYPE 12.3 (2.5 of it reserved by orders), USDC 14.625485.
    const b = currentBalances(db, findPortfolio(db, 'hl').id).map((x) => `${x.account} ${x.currency} ${x.amount}`)
    expect(b).toEqual(['main-spot HYPE 12.3', 'main-spot USDC 14.625485'])
    expect(currentBook(db, findPortfolio(db, 'hl').id)).toEqual([])
  })
})
