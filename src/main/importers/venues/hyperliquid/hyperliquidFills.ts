/**
 * Hyperliquid fills and funding (research note defi-hedging-var-reports.md §1; Hyperliquid docs, "Info endpoint":
 * `userFills`, `userFunding`; real responses in ../shared/data/real/hyperliquid, SOURCES.md):
 *
 *  - hyperliquid-user-fills: `userFills` JSON, a window of the account's most recent fills, newest first (fills
 *    of one instant in execution order). Per fill: `coin`, `px`, `sz` (coin), `side` B/A, `dir` (Open Long, Close
 *    Short, Long > Short…, checked against `side`), `startPosition` (signed, the position before the fill),
 *    `closedPnl` (USDC, before fees), `fee` (USDC, or `feeToken`), `hash`, `oid`, `time` ms. Each coin is replayed
 *    from its first fill's `startPosition` (domain/trades/startPositionReplay.ts: breaks of the chain reported,
 *    self-trade legs taken together, entry of a position opened before the window implied by closedPnl or
 *    unknown).
 *  - hyperliquid-trade-history: the UI's Trade History CSV `time,coin,dir,px,sz,ntl,fee,closedPnl`: no
 *    startPosition, so the position before the file is unknown and no position is derived (import a
 *    clearinghouseState for it); ntl = px × sz is checked.
 *  - hyperliquid-user-funding: `userFunding` JSON, `{delta: {coin, fundingRate, szi, usdc, nSamples}, hash, time}`:
 *    `usdc` from the account's side (> 0 received); 2023 rows aggregate `nSamples` hourly payments at an averaged
 *    `szi`. Its sign is checked: a long pays a positive rate.
 *  - hyperliquid-funding-history: the UI's Funding History CSV `time,coin,sz,side,payment,rate` (payment from the
 *    account's side, checked against side and rate the same way).
 * The UI CSVs' dates are locale-dependent (hyperliquidLocaleDates.ts): an ambiguous day/month order needs
 * `--date-order`, and their times need `--utc-offset`.
 *
 * What is stored: per fill, its closedPnl (ledger `realized_pnl`) and fee (`fee`), so the realized P&L per coin is
 * Σ closedPnl — the venue's own, because the entry of a position opened before the window is not in the file;
 * funding payments (`funding`, USDC). From userFills, the positions the window ends with (the file then speaks
 * for the account's USDC perpetuals, like any trade log: see docs/importers.md), each with a note saying how
 * its entry price is known.
 */
import type { Node } from 'jsonc-parser'
import { parseHyperliquidInstrument } from '../../../domain/instruments/hyperliquidInstrument'
import { D } from '../../../domain/trades/decimal'
import { replayStartPositionChain, type ChainFill } from '../../../domain/trades/startPositionReplay'
import { fieldReader, RowKeys } from '../../core/csvRows'
import type { CsvFormat, CsvFormatContext, DateOrder, FormatContext, JsonFormat } from '../../core/formatTypes'
import { jsonChild, type JsonDocument } from '../../core/jsonDocument'
import { arrayAt, JsonElement } from '../../core/jsonRows'
import { InstrumentCache, resolveUtcOffset } from '../../core/logSupport'
import { localeDateMs, provenOrder, splitLocaleDate, type LocaleDate } from './hyperliquidLocaleDates'

const VENUE = 'hyperliquid'
/** `dir` → the side it implies (B buys, A sells); spot fills say Buy / Sell. */
const DIR_SIDE: Record<string, 1 | -1> = { 'Open Long': 1, 'Close Short': 1, 'Short > Long': 1, Buy: 1, 'Open Short': -1, 'Close Long': -1, 'Long > Short': -1, Sell: -1 }

const isSpotCoin = (coin: string) => coin.includes('/') || coin.startsWith('@')

function firstObject(v: unknown): Record<string, unknown> | null {
  return Array.isArray(v) && v.length > 0 && typeof v[0] === 'object' && v[0] !== null ? (v[0] as Record<string, unknown>) : null
}

interface CoinFill extends ChainFill {
  coin: string
  order: number
  /** How a note names the fill: `line 12` (CSV), `fill [498] at 2023-05-05T00:12:36.146Z` (JSON, one line). */
  label: string
}

/** Replays each coin's fills and pushes positions, realized P&L and fees; `knownStart` false for the UI CSV. */
function settleFills(ctx: FormatContext, account: string, fills: CoinFill[], keys: Map<CoinFill, string>, knownStart: boolean): void {
  const instruments = new InstrumentCache((coin) => parseHyperliquidInstrument(coin))
  const byCoin = new Map<string, CoinFill[]>()
  for (const f of fills) {
    const list = byCoin.get(f.coin) ?? []
    list.push(f)
    byCoin.set(f.coin, list)
  }
  let breaks = 0
  for (const [coin, list] of [...byCoin].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const instrument = instruments.get(coin)
    if (instrument instanceof Error) {
      ctx.sink.issue({ file: ctx.file, line: list[0]!.line, column: 'coin', value: coin, message: instrument.message })
      continue
    }
    // Time order; equal times keep the order they were read in (execution order).
    list.sort((a, b) => a.ts - b.ts || a.order - b.order)
    for (const f of list) {
      const key = keys.get(f)!
      if (!f.closedPnl.isZero())
        ctx.sink.cash({ venue: VENUE, account, instrument, ts: f.ts, kind: 'realized_pnl', amount: f.closedPnl, currency: 'USDC', key: `${key}:closedPnl`, line: f.line, note: 'closedPnl' })
      if (!f.fee.isZero()) ctx.sink.cash({ venue: VENUE, account, instrument, ts: f.ts, kind: 'fee', amount: f.fee, currency: 'USDC', key: `${key}:fee`, line: f.line, note: null })
    }
    const r = replayStartPositionChain(list)
    breaks += r.breaks.length
    for (const b of r.breaks.slice(0, 5))
      ctx.sink.note(`${coin}: the ${list[b.index]!.label} starts at ${b.stated}, the fills before it end at ${b.expected} (fills missing from the window?)`)
    if (r.breaks.length > 5) ctx.sink.note(`${coin}: ${r.breaks.length - 5} more breaks of the startPosition chain`)
    if (r.selfTrades > 0) ctx.sink.note(`${coin}: ${r.selfTrades} self-trade${r.selfTrades > 1 ? 's' : ''} (both sides of one transaction, same startPosition on both legs) taken as no change`)
    if (!knownStart) continue
    const started = r.startPosition !== '0' ? ` from ${r.startPosition} held before the window` : ' from flat'
    ctx.sink.note(`${coin}: ${list.length} fills${started} → ${r.position}; realized P&L Σ closedPnl ${r.realizedPnl} USDC`)
    if (r.position === null || r.position === '0') continue
    let entry = r.entryPrice
    let note: string
    if (r.entrySource === 'window') note = `replayed from ${list.length} fills of ${ctx.options.fileName}`
    else if (r.entrySource === 'implied') note = `opened before the fills window of ${ctx.options.fileName}: entry implied by the closedPnl of a reducing fill`
    else {
      entry = list.at(-1)!.price.toFixed()
      note = `opened before the fills window of ${ctx.options.fileName}: entry unknown, the last fill's price ${entry} stands in (its unrealized P&L is not the position's)`
      ctx.sink.note(`${coin}: ${note}`)
    }
    ctx.sink.position({ venue: VENUE, account, instrument, quantity: r.position, entryPrice: entry!, entryTime: r.openedAt, note, line: list.at(-1)!.line, venueMargin: null })
  }
  if (knownStart) {
    ctx.sink.note(breaks === 0 ? "every fill's startPosition follows from the fill before it of its coin" : `${breaks} breaks of the startPosition chain (see above)`)
    // A fills window speaks for the account's USDC perpetuals, like a trade log ending where it ends.
    ctx.sink.account(VENUE, account, ['USDC'])
  }
}

function readUserFills(doc: JsonDocument, ctx: FormatContext): number {
  const arr = arrayAt(doc, [])!
  const account = ctx.options.account ?? 'main'
  const rowKeys = new RowKeys()
  const fills: CoinFill[] = []
  const keys = new Map<CoinFill, string>()
  for (const [index, node] of (arr.children ?? []).entries()) {
    const e = new JsonElement(ctx, doc, node as Node)
    const coin = e.str('coin')
    const px = e.dec('px', { positive: true })
    const sz = e.dec('sz', { positive: true })
    const side = e.str('side', { pattern: /^[AB]$/, expected: 'B (buy) or A (sell)' })
    const dir = e.str('dir')
    const start = e.dec('startPosition')
    const closedPnl = e.dec('closedPnl')
    const fee = e.dec('fee')
    const feeToken = e.str('feeToken', { optional: true })
    const time = e.ms('time')
    const hash = e.str('hash', { optional: true })
    if (e.failed || !coin || !px || !sz || !side || !dir || !start || !closedPnl || !fee || feeToken === undefined || !time || hash === undefined) continue
    if (isSpotCoin(coin)) {
      ctx.sink.skip({ line: e.line, reason: `spot fill of ${coin}: Hyperliquid spot holdings are balances (spotClearinghouseState), not positions` })
      continue
    }
    const s = side === 'B' ? 1 : -1
    if (DIR_SIDE[dir] === undefined) {
      e.issue('dir', dir, `expected one of ${Object.keys(DIR_SIDE).join(', ')}`)
      continue
    }
    if (DIR_SIDE[dir] !== s) {
      e.issue('dir', dir, `disagrees with side ${side}`)
      continue
    }
    if (feeToken !== '' && feeToken !== 'USDC') {
      e.issue('feeToken', feeToken, 'expected USDC (the fee of a perpetual fill)')
      continue
    }
    const f: CoinFill = {
      coin, ts: time, side: s, size: sz, price: px, startPosition: start, closedPnl, fee, tx: hash, line: e.line, order: index,
      label: `fill [${index}] at ${new Date(time).toISOString()}`,
    }
    fills.push(f)
    keys.set(f, rowKeys.key('hyperliquid', [coin, String(time), hash, e.raw('oid') ?? '', e.raw('tid') ?? '', px.toFixed(), sz.toFixed(), side, start.toFixed()]))
  }
  // The response is newest first by time, each instant's fills in execution order: read in reverse instants.
  const instants = [...new Set(fills.map((f) => f.ts))]
  if (instants.length > 1 && instants[0]! > instants.at(-1)!) ctx.sink.note('fills listed newest first (fills of one instant in execution order)')
  settleFills(ctx, account, fills, keys, true)
  return arr.children?.length ?? 0
}

function isUserFills(v: unknown): boolean {
  const o = firstObject(v)
  return !!o && ['coin', 'px', 'sz', 'side', 'dir', 'startPosition', 'closedPnl', 'time'].every((k) => k in o)
}

function readUserFunding(doc: JsonDocument, ctx: FormatContext): number {
  const arr = arrayAt(doc, [])!
  const account = ctx.options.account ?? 'main'
  const instruments = new InstrumentCache((coin) => parseHyperliquidInstrument(coin))
  const rowKeys = new RowKeys()
  let total = new D(0)
  for (const node of arr.children ?? []) {
    const outer = new JsonElement(ctx, doc, node as Node)
    const time = outer.ms('time')
    const hash = outer.str('hash', { optional: true })
    const deltaNode = jsonChild(node as Node, ['delta'])
    if (!deltaNode || deltaNode.type !== 'object') {
      outer.issue('delta', undefined, 'expected {coin, fundingRate, szi, usdc, type: "funding"}')
      continue
    }
    const e = new JsonElement(ctx, doc, deltaNode)
    const type = e.str('type', { pattern: /^funding$/, expected: 'funding' })
    const coin = e.str('coin')
    const rate = e.dec('fundingRate')
    const szi = e.dec('szi')
    const usdc = e.dec('usdc')
    if (outer.failed || e.failed || !time || hash === undefined || !type || !coin || !rate || !szi || !usdc) continue
    const instrument = instruments.get(coin)
    if (instrument instanceof Error) {
      e.issue('coin', coin, instrument.message)
      continue
    }
    // Longs pay a positive rate (Hyperliquid docs, "Funding"): usdc has the sign of −szi × rate.
    if (!usdc.isZero() && !szi.isZero() && !rate.isZero() && usdc.isNegative() !== szi.times(rate).isPositive()) {
      e.issue('usdc', usdc.toFixed(), `a ${szi.isNegative() ? 'short' : 'long'} at rate ${rate.toFixed()} ${szi.times(rate).isPositive() ? 'pays' : 'receives'}: the sign disagrees`)
      continue
    }
    const samples = e.raw('nSamples')
    total = total.plus(usdc)
    ctx.sink.cash({
      venue: VENUE, account, instrument, ts: time, kind: 'funding', amount: usdc, currency: 'USDC', key: rowKeys.key('hyperliquid-funding', [coin, String(time), hash, usdc.toFixed()]),
      line: e.line, note: samples && samples !== '' && samples !== '1' ? `${samples} hourly payments at an average size ${szi.toFixed()}` : null,
    })
  }
  ctx.sink.note(`funding received ${total.toFixed()} USDC (> 0 received, < 0 paid)`)
  return arr.children?.length ?? 0
}

function isUserFunding(v: unknown): boolean {
  const o = firstObject(v)
  const d = o?.delta as Record<string, unknown> | undefined
  return !!d && d.type === 'funding' && 'usdc' in d && 'time' in o!
}

/** The day/month order of a UI CSV's dates: proven by the file, or stated; null after an issue. */
function dateOrderOf(ctx: CsvFormatContext, dates: readonly LocaleDate[]): DateOrder | null {
  const proven = provenOrder(dates)
  const stated = ctx.options.dateOrder
  const issue = (message: string) => ctx.sink.issue({ file: ctx.file, line: null, column: 'time', message })
  if (proven === 'both') return issue('some dates are day-first (a first number above 12) and others month-first (a second number above 12)'), null
  if (proven && stated && proven !== stated) return issue(`the dates are ${proven} (a number above 12 says so) but ${stated} was stated`), null
  if (proven) {
    ctx.sink.note(`dates read ${proven} (${proven === 'day-first' ? 'a first' : 'a second'} number above 12 proves it)`)
    return proven
  }
  if (stated) {
    ctx.sink.note(`dates read ${stated} as stated (every day and month in the file is 12 or less)`)
    return stated
  }
  issue('every date in the file could be day-first or month-first (no number above 12): state the order (riskdesk import --date-order day-first|month-first, or the Import view’s day/month order)')
  return null
}

interface CsvRow {
  f: string[]
  line: number
  date: LocaleDate
}

/** Reads the `time` column of every row, then hands the rows with their instants to `each` once the order is known. */
function localeCsv(ctx: CsvFormatContext, each: (rows: Array<CsvRow & { ts: number }>) => void) {
  const r = fieldReader(ctx)
  const rows: CsvRow[] = []
  const iTime = r.idx('time')
  return {
    r,
    handler: {
      row(f: string[], line: number) {
        const date = splitLocaleDate(f[iTime]!)
        if (!date) return r.issue(line, 'time', f[iTime], 'expected a date like 25/09/2025 13:33:06 or 9/18/2025 - 14:59:56')
        rows.push({ f, line, date })
      },
      end() {
        if (r.failed || rows.length === 0) return
        const offset = resolveUtcOffset(ctx, null, 'time')
        const order = dateOrderOf(ctx, rows.map((x) => x.date))
        if (offset === null || order === null) return
        const out: Array<CsvRow & { ts: number }> = []
        for (const x of rows) {
          const ts = localeDateMs(x.date, order, offset)
          if (ts === null || ts > ctx.options.receivedAt) {
            r.issue(x.line, 'time', x.f[iTime], `not a date read ${order}${ts !== null ? ' (in the future)' : ''}`)
            continue
          }
          out.push({ ...x, ts })
        }
        if (!r.failed) each(out)
      },
    },
  }
}

function tradeHistory(ctx: CsvFormatContext) {
  const account = ctx.options.account ?? 'main'
  const rowKeys = new RowKeys()
  const { r, handler } = localeCsv(ctx, (rows) => {
    const fills: CoinFill[] = []
    const keys = new Map<CoinFill, string>()
    let order = 0
    // The export lists newest first: read it oldest first so equal instants keep execution order.
    for (const x of [...rows].reverse()) {
      const { f, line } = x
      const coin = f[r.idx('coin')]!
      const dir = f[r.idx('dir')]!
      const px = r.dec(f, 'px', line, { positive: true })
      const sz = r.dec(f, 'sz', line, { positive: true })
      const ntl = r.dec(f, 'ntl', line, { nonNegative: true })
      const fee = r.dec(f, 'fee', line, {})
      const closedPnl = r.dec(f, 'closedPnl', line, {})
      if (!px || !sz || !ntl || !fee || !closedPnl) continue
      if (isSpotCoin(coin)) {
        ctx.sink.skip({ line, reason: `spot fill of ${coin}: Hyperliquid spot holdings are balances, not positions` })
        continue
      }
      const side = DIR_SIDE[dir]
      if (side === undefined) {
        r.issue(line, 'dir', dir, `expected one of ${Object.keys(DIR_SIDE).join(', ')}`)
        continue
      }
      // ntl is px × sz as the UI rounds it: to a cent of a cent.
      if (ntl.minus(px.times(sz)).abs().gt(D.max(px.times(sz).times('1e-6'), '0.01'))) {
        r.issue(line, 'ntl', f[r.idx('ntl')], `expected px × sz = ${px.times(sz).toFixed()}`)
        continue
      }
      const c: CoinFill = { coin, ts: x.ts, side, size: sz, price: px, startPosition: null, closedPnl, fee, tx: '', line, order: order++, label: `fill on line ${line}` }
      fills.push(c)
      keys.set(c, rowKeys.key('hyperliquid-csv', f))
    }
    if (r.failed) return
    ctx.sink.note('the Trade History export has no startPosition: positions before and after it are not derived (import a clearinghouseState for them)')
    settleFills(ctx, account, fills, keys, false)
  })
  return handler
}

function fundingHistory(ctx: CsvFormatContext) {
  const account = ctx.options.account ?? 'main'
  const instruments = new InstrumentCache((coin) => parseHyperliquidInstrument(coin))
  const rowKeys = new RowKeys()
  const { r, handler } = localeCsv(ctx, (rows) => {
    for (const { f, line, ts } of rows) {
      const coin = f[r.idx('coin')]!
      const side = f[r.idx('side')]!
      const sz = r.dec(f, 'sz', line, { nonNegative: true })
      const payment = r.dec(f, 'payment', line, {})
      const rate = r.dec(f, 'rate', line, {})
      if (!sz || !payment || !rate) continue
      if (side !== 'Long' && side !== 'Short') {
        r.issue(line, 'side', side, 'expected Long or Short')
        continue
      }
      const instrument = instruments.get(coin)
      if (instrument instanceof Error) {
        r.issue(line, 'coin', coin, instrument.message)
        continue
      }
      const pays = (side === 'Long') === rate.isPositive()
      if (!payment.isZero() && !rate.isZero() && payment.isNegative() !== pays) {
        r.issue(line, 'payment', f[r.idx('payment')], `a ${side.toLowerCase()} at rate ${rate.toFixed()} ${pays ? 'pays (payment < 0)' : 'receives (payment > 0)'}: the sign disagrees`)
        continue
      }
      ctx.sink.cash({ venue: VENUE, account, instrument, ts, kind: 'funding', amount: payment, currency: 'USDC', key: rowKeys.key('hyperliquid-funding-csv', f), line, note: null })
    }
  })
  return handler
}

export const hyperliquidUserFillsFormat: JsonFormat = {
  type: 'json', id: 'hyperliquid-user-fills', content: 'trades', venue: VENUE, detect: isUserFills, read: readUserFills,
  description: 'Hyperliquid info userFills JSON: fills replayed per coin from their startPosition (the window need not start flat); realized P&L = Σ closedPnl',
}

export const hyperliquidUserFundingFormat: JsonFormat = {
  type: 'json', id: 'hyperliquid-user-funding', content: 'trades', venue: VENUE, detect: isUserFunding, read: readUserFunding,
  description: 'Hyperliquid info userFunding JSON: funding payments in USDC (> 0 received), hourly or aggregated (nSamples)',
}

export const hyperliquidTradeHistoryFormat: CsvFormat = {
  type: 'csv', id: 'hyperliquid-trade-history', content: 'trades', venue: VENUE, otherColumns: 'ignore', streaming: false,
  description: 'Hyperliquid UI Trade History CSV (time,coin,dir,px,sz,ntl,fee,closedPnl): locale dates (--date-order when ambiguous, --utc-offset)',
  versions: [{ name: 'ui', columns: ['time', 'coin', 'dir', 'px', 'sz', 'ntl', 'fee', 'closedPnl'] }],
  open: tradeHistory,
}

export const hyperliquidFundingHistoryFormat: CsvFormat = {
  type: 'csv', id: 'hyperliquid-funding-history', content: 'trades', venue: VENUE, otherColumns: 'ignore', streaming: false,
  description: 'Hyperliquid UI Funding History CSV (time,coin,sz,side,payment,rate): locale dates (--date-order when ambiguous, --utc-offset)',
  versions: [{ name: 'ui', columns: ['time', 'coin', 'sz', 'side', 'payment', 'rate'] }],
  open: fundingHistory,
}
