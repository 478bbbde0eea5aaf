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
