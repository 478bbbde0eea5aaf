/**
 * Hyperliquid `clearinghouseState` (POST /info `{"type":"clearinghouseState","user":…}`): the perpetual
 * positions and margin summary of one account. Two schemas are read (research note defi-hedging-var-reports.md
 * §1a; Hyperliquid docs "Info endpoint → Perpetuals → Retrieve user's perpetuals account summary"):
 *  - current: positions with `maxLeverage`, `cumFunding`, `leverage.rawUsd` (isolated), and `time` (ms) and
 *    `crossMaintenanceMarginUsed` at the top;
 *  - 2023 (the real mainnet sample, hyperliquid-python-sdk cassette): `maxTradeSzs`, no `time`: the instant is
 *    the user's (`--snapshot-time`), else the import is refused — the report says which was used.
 * Units: `szi` signed size in the coin; `entryPx`, `liquidationPx` (null: none) USD; `positionValue` =
 * |szi| × mark, `marginUsed`, `unrealizedPnl`, summary amounts in USDC. The mark is not written: it is
 * positionValue ÷ |szi| (stored as the snapshot's quote, 12 significant digits).
 *
 * What the file states about itself is checked, and a mismatch named in the import's notes (never refused:
 * the venue's figures are kept beside Riskdesk's): per position unrealizedPnl = sign(szi) × positionValue −
 * szi × entryPx; cross marginUsed = positionValue ÷ leverage (the file writes 6 decimals, rounded down);
 * isolated marginUsed = rawUsd + sign(szi) × positionValue; per account (marginSummary) accountValue =
 * totalRawUsd + Σ sign(szi) × positionValue, totalNtlPos = Σ positionValue, totalMarginUsed = Σ marginUsed,
 * and with cross positions only withdrawable = accountValue − totalMarginUsed. Tolerance: 1e-6 USDC per term.
 *
 * Stored: each position (venue margin terms: leverage, cross/isolated, isolated margin without its P&L =
 * marginUsed − unrealizedPnl, liquidationPx, cross marginUsed as the venue's initial margin); the USDC
 * collateral as a balance = accountValue − Σ unrealizedPnl (Riskdesk adds the P&L back at the mark); the marks.
 */
import type { Node } from 'jsonc-parser'
import { parseHyperliquidInstrument } from '../../../domain/instruments/hyperliquidInstrument'
import { D } from '../../../domain/trades/decimal'
import type { FormatContext, JsonFormat } from '../../core/formatTypes'
import type { ImportedQuote } from '../../core/importTypes'
import { jsonChild, type JsonDocument } from '../../core/jsonDocument'
import { arrayAt, JsonElement } from '../../core/jsonRows'
import { InstrumentCache } from '../../core/logSupport'

export const HYPERLIQUID_CLEARINGHOUSE_FORMAT = 'hyperliquid-clearinghouse-state'
const VENUE = 'hyperliquid'
/** The file's amounts carry 6 decimals: a stated identity holds to this per term. */
const TOLERANCE = new D('0.000001')

function isClearinghouseState(v: unknown): boolean {
  const o = v as Record<string, unknown> | null
  return !!o && typeof o === 'object' && Array.isArray(o.assetPositions) && typeof o.marginSummary === 'object' && 'withdrawable' in o
}

function read(doc: JsonDocument, ctx: FormatContext): number {
  const account = ctx.options.account ?? 'main'
  const root = new JsonElement(ctx, doc, doc.root)
  const fileTime = root.ms('time', { optional: true })
  if (fileTime === undefined) return 0
  let ts: number
  if (fileTime !== null) {
    ts = fileTime
    ctx.sink.note(`snapshot time ${new Date(ts).toISOString()} taken from the file's "time"${ctx.options.snapshotTime !== undefined ? ' (the snapshot time given was not used)' : ''}`)
  } else if (ctx.options.snapshotTime !== undefined) {
    ts = ctx.options.snapshotTime
    ctx.sink.note(`the file has no "time" (Hyperliquid's 2023 schema): snapshot time ${new Date(ts).toISOString()} as given`)
  } else {
    ctx.sink.issue({
      file: ctx.file, line: null, column: 'time',
      message: 'this clearinghouseState has no "time" (the 2023 schema): give the instant it was fetched (riskdesk import --snapshot-time 2023-03-27T12:00:00Z, or the Import view’s snapshot time)',
    })
    return 0
  }
  const arr = arrayAt(doc, ['assetPositions'])!
  const instruments = new InstrumentCache((coin) => parseHyperliquidInstrument(coin))
  const quotes: ImportedQuote[] = []
  const mismatches: string[] = []
  const check = (what: string, stated: D, computed: D, terms = 1) => {
    if (stated.minus(computed).abs().gt(TOLERANCE.times(terms))) mismatches.push(`${what}: the file says ${stated.toFixed()}, its own figures give ${computed.toFixed()}`)
  }
  let signedValue = new D(0)
  let totalValue = new D(0)
  let totalMargin = new D(0)
  let totalUpnl = new D(0)
  let isolated = 0
  // The response lists every perpetual of the account: it speaks for its USDC positions even when flat.
  ctx.sink.account(VENUE, account, ['USDC'])
  for (const node of arr.children ?? []) {
    const outer = new JsonElement(ctx, doc, node)
    const type = outer.str('type', { pattern: /^oneWay$/, expected: 'oneWay (the only position mode Hyperliquid has)' })
    const inner = jsonChild(node, ['position'])
    if (!inner || inner.type !== 'object') {
      outer.issue('position', undefined, 'expected the position object')
      continue
    }
    const e = new JsonElement(ctx, doc, inner as Node)
    const coin = e.str('coin')
    const szi = e.dec('szi')
    const entryPx = e.dec('entryPx', { positive: true })
    const value = e.dec('positionValue', { nonNegative: true })
    const marginUsed = e.dec('marginUsed', { nonNegative: true })
    const upnl = e.dec('unrealizedPnl')
    const liq = e.dec('liquidationPx', { optional: true, nonNegative: true })
    const maxLeverage = e.dec('maxLeverage', { optional: true, positive: true })
    const levNode = jsonChild(inner, ['leverage'])
    if (!levNode || levNode.type !== 'object') {
      e.issue('leverage', undefined, 'expected {type, value}')
      continue
    }
    const lev = new JsonElement(ctx, doc, levNode)
    const mode = lev.str('type', { pattern: /^(cross|isolated)$/, expected: 'cross or isolated' })
    const leverage = lev.dec('value', { positive: true })
    const rawUsd = mode === 'isolated' ? lev.dec('rawUsd') : null
    if (e.failed || outer.failed || lev.failed || !type || !coin || !szi || !entryPx || !value || !marginUsed || !upnl || liq === undefined || !mode || !leverage || rawUsd === undefined || maxLeverage === undefined) continue
    const instrument = instruments.get(coin)
    if (instrument instanceof Error) {
      e.issue('coin', coin, instrument.message)
      continue
    }
    if (szi.isZero()) {
      ctx.sink.skip({ line: e.line, reason: `${coin}: szi 0 (flat)` })
      continue
    }
    const sign = szi.isNegative() ? -1 : 1
    check(`${coin} unrealizedPnl`, upnl, value.times(sign).minus(szi.times(entryPx)), 2)
    if (mode === 'cross') {
      const im = value.div(leverage)
      if (marginUsed.gt(im) || im.minus(marginUsed).gte(TOLERANCE)) mismatches.push(`${coin} marginUsed: the file says ${marginUsed.toFixed()}, positionValue ÷ leverage = ${im.toSignificantDigits(12).toFixed()}`)
    } else {
      isolated++
      check(`${coin} marginUsed (isolated)`, marginUsed, rawUsd!.plus(value.times(sign)), 2)
    }
    signedValue = signedValue.plus(value.times(sign))
    totalValue = totalValue.plus(value)
    totalMargin = totalMargin.plus(marginUsed)
    totalUpnl = totalUpnl.plus(upnl)
    ctx.sink.position({
      venue: VENUE, account, instrument, quantity: szi.toFixed(), entryPrice: entryPx.toFixed(), entryTime: null, note: null, line: e.line,
      venueMargin: {
        source: `hyperliquid clearinghouseState (leverage, marginUsed, liquidationPx${mode === 'isolated' ? ', rawUsd' : ''}${maxLeverage ? ', maxLeverage' : ''})`,
        leverage: leverage.toNumber(), mode: mode as 'cross' | 'isolated',
        isolatedMargin: mode === 'isolated' ? D.max(marginUsed.minus(upnl), 0).toFixed() : null,
        liquidationPrice: liq && liq.gt(0) ? liq.toNumber() : null,
        initialMargin: mode === 'cross' ? marginUsed.toFixed() : null,
        maintenanceMargin: null,
        ...(maxLeverage ? { maxLeverage: maxLeverage.toNumber() } : {}),
        currency: 'USDC',
      },
    })
    quotes.push({
      instrument, ts, markPrice: value.div(szi.abs()).toSignificantDigits(12).toFixed(), markIv: null, underlyingPrice: null, indexPrice: null, venueGreeks: null,
      source: 'hyperliquid clearinghouseState positionValue ÷ |szi|',
    })
  }
  const summaryNode = jsonChild(doc.root, ['marginSummary'])
  if (!summaryNode || summaryNode.type !== 'object') {
    root.issue('marginSummary', undefined, 'expected {accountValue, totalNtlPos, totalRawUsd, totalMarginUsed}')
    return arr.children?.length ?? 0
  }
  const s = new JsonElement(ctx, doc, summaryNode)
  const accountValue = s.dec('accountValue')
  const ntl = s.dec('totalNtlPos', { nonNegative: true })
  const raw = s.dec('totalRawUsd')
  const used = s.dec('totalMarginUsed', { nonNegative: true })
  const withdrawable = root.dec('withdrawable', { nonNegative: true })
  if (!accountValue || !ntl || !raw || !used || !withdrawable) return arr.children?.length ?? 0
  const n = Math.max(1, arr.children?.length ?? 0)
  check('marginSummary.accountValue = totalRawUsd + Σ sign(szi) × positionValue', accountValue, raw.plus(signedValue), n + 1)
  check('marginSummary.totalNtlPos = Σ positionValue', ntl, totalValue, n)
  check('marginSummary.totalMarginUsed = Σ marginUsed', used, totalMargin, n)
  if (isolated === 0) check('withdrawable = accountValue − totalMarginUsed', withdrawable, accountValue.minus(used), 2)
  for (const m of mismatches) ctx.sink.note(`hyperliquid clearinghouseState does not add up: ${m}`)
  if (mismatches.length === 0) ctx.sink.note(`the file's own identities hold (unrealizedPnl, marginUsed per position; accountValue, totalNtlPos, totalMarginUsed${isolated === 0 ? ', withdrawable' : ''})`)
  const crossMm = root.dec('crossMaintenanceMarginUsed', { optional: true, nonNegative: true })
  if (crossMm === undefined) return arr.children?.length ?? 0
  if (crossMm !== null) ctx.sink.note(`the venue's cross maintenance margin (crossMaintenanceMarginUsed): ${crossMm.toFixed()} USDC`)
  const collateral = accountValue.minus(totalUpnl)
  ctx.sink.balance({ venue: VENUE, account, currency: 'USDC', amount: collateral.toFixed(), ts, source: 'file', line: s.line })
  ctx.sink.note(`USDC collateral ${collateral.toFixed()} = accountValue ${accountValue.toFixed()} − Σ unrealizedPnl ${totalUpnl.toFixed()} (the positions' P&L is revalued at the mark)`)
  if (quotes.length > 0) ctx.sink.market({ venue: VENUE, asOf: ts, quotes, indices: [] })
  return arr.children?.length ?? 0
}

export const hyperliquidClearinghouseFormat: JsonFormat = {
  type: 'json',
  id: HYPERLIQUID_CLEARINGHOUSE_FORMAT,
  description: 'Hyperliquid info clearinghouseState JSON (current and 2023 schemas): perpetual positions, margin terms, USDC collateral; the 2023 schema needs --snapshot-time',
  content: 'positions',
  venue: VENUE,
  detect: isClearinghouseState,
  read,
}
