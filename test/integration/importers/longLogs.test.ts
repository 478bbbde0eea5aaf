/**
 * Long trade logs (more fills than the replay keeps in memory, 16,384): a generated Binance futures trade
 * history of 80,000 rows (BTCUSDT and ETHUSDT linear, BTCUSD_PERP inverse at 100 USD a contract), newest row
 * first as Binance exports it. Checked against an independent replay in the test (decimal.js, average cost
 * in full decimals), against the same rows listed oldest first, and in the import thread (two threads: the
 * worker parses, this thread writes) against this thread. Re-imports and failures deep in the file keep
 * the database unchanged.
 */
import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { currentBook, findPortfolio } from '../../../src/main/db/bookStore'
import { openDatabase, type Db } from '../../../src/main/db/database'
import { D } from '../../../src/main/domain/trades/decimal'
import { importFile, type ImportOptions } from '../../../src/main/services/importService'
import { dataSnapshot } from '../../support/dbSnapshot'
import { importIssuesOf } from '../../support/importFailure'
import { tempDir } from '../../support/paths'

const ROWS = 80_000
const NOW = Date.UTC(2026, 10, 21)
const HEADER = 'Uid,Time,Symbol,Side,Price,Quantity,Amount,Fee,Realized Profit,Buyer,Maker,Trade ID,Order ID'

interface Row {
  symbol: string
  side: 'BUY' | 'SELL'
  price: string
  qty: string
  fee: string
  feeAsset: string
  text: string
}

/** Deterministic rows, oldest first (mulberry32). */
function generate(): Row[] {
  let a = 20261121
  const rand = () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const two = (n: number) => String(n).padStart(2, '0')
  const symbols = [
    { name: 'BTCUSDT', price: 60_000, decimals: 3, step: 0.001, asset: 'USDT' },
    { name: 'ETHUSDT', price: 3_000, decimals: 2, step: 0.01, asset: 'USDT' },
    { name: 'BTCUSD_PERP', price: 60_000, decimals: 0, step: 1, asset: 'BTC' },
  ]
  let t = Date.UTC(2024, 0, 1)
  const rows: Row[] = []
  for (let i = 0; i < ROWS; i++) {
    const s = symbols[i % 3]!
    s.price *= 1 + (rand() - 0.5) * 0.004
    t += Math.floor(rand() * 3000)
    const d = new Date(t)
    const time = `${two(d.getUTCFullYear() % 100)}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
    // Positions drift both ways and cross zero now and then.
    const side = rand() < 0.5 ? 'BUY' : 'SELL'
    const qty = (s.step * (1 + Math.floor(rand() * 20))).toFixed(s.decimals)
    const price = s.price.toFixed(1)
    const fee = (rand() * 0.01).toFixed(8)
    rows.push({
      symbol: s.name, side, price, qty, fee, feeAsset: s.asset,
      text: `123456789,${time},${s.name},${side},${price},${qty},0,${fee} ${s.asset},0,${side === 'BUY'},false,${100_000_000 + i},${200_000_000 + i}`,
    })
  }
  return rows
}

const ROWS_OLDEST_FIRST = generate()
const write = (dir: string, name: string, rows: readonly Row[]) => {
  const path = join(dir, name)
  writeFileSync(path, `${HEADER}\n${rows.map((r) => r.text).join('\n')}\n`)
  return path
}

/**
 * The replay by hand, in full decimals: average cost, linear in price, inverse (USD face) in 1/price
 * (docs/importers.md, "Trade logs: replay conventions").
 */
function referenceReplay(rows: readonly Row[]) {
  const out = new Map<string, { quantity: D; realized: D; basis: D; fees: D }>()
  for (const r of rows) {
    const inverse = r.symbol === 'BTCUSD_PERP'
    let s = out.get(r.symbol)
    if (!s) out.set(r.symbol, (s = { quantity: new D(0), realized: new D(0), basis: new D(0), fees: new D(0) }))
    s.fees = s.fees.plus(r.fee)
    const size = inverse ? new D(r.qty).times(100) : new D(r.qty)
    const q = r.side === 'BUY' ? size : size.neg()
    const p = new D(r.price)
    const value = (x: D) => (inverse ? x.div(p) : x.times(p))
    const before = s.quantity
    if (before.isZero() || before.isNegative() === q.isNegative()) {
      s.basis = s.basis.plus(value(q.abs()))
    } else {
      const closed = D.min(q.abs(), before.abs())
      const avg = inverse ? before.abs().div(s.basis) : s.basis.div(before.abs())
      const side = before.isNegative() ? -1 : 1
      s.realized = s.realized.plus(inverse ? closed.times(new D(1).div(avg).minus(new D(1).div(p))).times(side) : closed.times(p.minus(avg)).times(side))
      const after = before.plus(q)
      s.basis = after.isZero() ? new D(0) : after.isNegative() === before.isNegative() ? s.basis.times(after.abs()).div(before.abs()) : value(after.abs())
    }
    s.quantity = before.plus(q)
  }
  return out
}

let dir: string
let db: Db
beforeEach(() => {
  dir = tempDir()
  db = openDatabase(join(dir, 'riskdesk.db'))
})
afterEach(() => db.close())

const imp = (path: string, o: ImportOptions = {}) => importFile(db, path, { portfolio: 'p', now: NOW, ...o })
const book = () => currentBook(db, findPortfolio(db, 'p').id).map((p) => ({ name: p.instrument.name, quantity: p.quantity, entryPrice: p.entryPrice }))
const totals = (importId: number) =>
  db
    .prepare<[number], { name: string; measure: string; currency: string; amount: string }>(
      `SELECT i.name, t.measure, t.currency, t.amount FROM trade_totals t JOIN instruments i ON i.id = t.instrument_id
       WHERE t.import_id = ? ORDER BY i.name, t.measure, t.currency`,
    )
    .all(importId)
describe('a trade log longer than the replay keeps in memory', () => {
  it('replays newest-first rows as the oldest-first twin, in either thread, and as the decimal replay by hand', () => {
    const newest = write(dir, 'Export Trade History-newest(UTC+0).csv', [...ROWS_OLDEST_FIRST].reverse())
    const cacheSize = db.pragma('cache_size', { simple: true })
    const r = imp(newest, { inWorker: false })
    expect(r).toMatchObject({ status: 'imported', rows: ROWS, fills: ROWS, positions: 3 })
    // The import's transaction runs with a smaller page cache; the connection's own is restored.
    expect(db.pragma('cache_size', { simple: true })).toBe(cacheSize)
    const expected = { book: book(), totals: totals(r.importId) }

    const ref = referenceReplay(ROWS_OLDEST_FIRST)
    for (const p of expected.book) {
      const s = ref.get(p.name)!
      expect(p.quantity).toBe(s.quantity.toFixed())
      const inverse = p.name === 'BTCUSD_PERP'
      const avg = inverse ? s.quantity.abs().div(s.basis) : s.basis.div(s.quantity.abs())
      expect(new D(p.entryPrice).minus(avg).abs().div(avg).lt('1e-11')).toBe(true)
    }
    expect(expected.totals.map((t) => `${t.name} ${t.measure}`)).toEqual(
      ['BTCUSDT', 'BTCUSD_PERP', 'ETHUSDT'].flatMap((n) => [`${n} fees`, `${n} realized_pnl`]),
    )
    for (const t of expected.totals) {
      const s = ref.get(t.name)!
      if (t.measure === 'fees') expect(t.amount).toBe(s.fees.toFixed())
      // Realized P&L: exact cash flows, the open position's average in float64 (relative error < 1e-12).
      else expect(new D(t.amount).minus(s.realized).abs().lt(new D(s.realized).abs().times('1e-11').plus('1e-10'))).toBe(true)
    }

    for (const [name, rows, inWorker] of [
      ['Export Trade History-oldest(UTC+0).csv', ROWS_OLDEST_FIRST, false],
      ['Export Trade History-newest-worker(UTC+0).csv', [...ROWS_OLDEST_FIRST].reverse(), true],
    ] as const) {
      db.close()
      db = openDatabase(join(tempDir(), 'riskdesk.db'))
      // A fresh database each time.
      const other = imp(write(dir, name, rows), { inWorker })
      expect(other).toMatchObject({ status: 'imported', rows: ROWS, fills: ROWS, positions: 3 })
      expect({ book: book(), totals: totals(other.importId) }).toEqual(expected)
    }
  })

  it('the same rows in other bytes, through the import thread: every row a duplicate, nothing written', () => {
    imp(write(dir, 'Export Trade History-newest(UTC+0).csv', [...ROWS_OLDEST_FIRST].reverse()), { inWorker: true })
    const before = createHash('sha256').update(dataSnapshot(db)).digest('hex')
    const again = imp(write(dir, 'Export Trade History-oldest(UTC+0).csv', ROWS_OLDEST_FIRST), { inWorker: true })
    expect(again).toMatchObject({ status: 'duplicate', rows: ROWS, duplicateRows: ROWS, fills: 0 })
    expect(createHash('sha256').update(dataSnapshot(db)).digest('hex')).toBe(before)
  })

  it.each([false, true])('an error deep in the file (in the import thread: %s) names its line and column; nothing written', (inWorker) => {
    const before = dataSnapshot(db)
    const cacheSize = db.pragma('cache_size', { simple: true })
    const rows = ROWS_OLDEST_FIRST.map((r) => r.text)
    // Line 60,002: the price is text; line 70,001 (BTCUSDT, as line 2) repeats the trade id of line 2.
    rows[60_000] = rows[60_000]!.replace(/,(BUY|SELL),[^,]+,/, ',$1,sixty-four k,')
    rows[69_999] = rows[69_999]!.replace(/,1\d{8},2\d{8}$/, `,${100_000_000},${200_000_000 + 69_999}`)
    const path = join(dir, 'Export Trade History-broken(UTC+0).csv')
    writeFileSync(path, `${HEADER}\n${rows.join('\n')}\n`)
    const issues = importIssuesOf(() => imp(path, { inWorker }))
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 60_002, column: 'Price (5)', value: 'sixty-four k', message: expect.stringMatching(/expected a decimal number/) }),
      ]),
    )
    expect(dataSnapshot(db)).toBe(before)
    // Without the bad price, the repeated id is the error.
    rows[60_000] = ROWS_OLDEST_FIRST[60_000]!.text
    writeFileSync(path, `${HEADER}\n${rows.join('\n')}\n`)
    expect(importIssuesOf(() => imp(path, { inWorker }))).toEqual([
      expect.objectContaining({ line: 70_001, value: 'binance:BTCUSDT:100000000', message: expect.stringMatching(/the same trade\/row id as line 2 of this file/) }),
    ])
    expect(dataSnapshot(db)).toBe(before)
    expect(db.pragma('cache_size', { simple: true })).toBe(cacheSize)
  })
})
