/**
 * Human-readable margin output: the account view, margin under a stress set, margin settings and the
 * cascade, as text tables with units in the headers (figures rounded at the edge, unknowns as "—").
 */
import {
  liquidationPriceFor, type CascadeResult, type LiquidationLevels, type MarginAccountReport, type MarginPositionRow, type MarginReport, type MarginSettingsList,
  type MarginStressResult, type ThresholdPoint,
} from '../../../shared/marginApi'
import { isUsdLike } from '../../../shared/currencies'
import { fmt, fmtDecimal } from '../../../shared/format'
import { table } from './textOutput'

const nf = (digits: number) => ({ format: (x: number) => fmt(x, digits) })
const n0 = nf(0)
const n1 = nf(1)
const n2 = nf(2)
const n4 = nf(4)
/** A decimal string shown with `digits` places; null → "—". */
const dec = (s: string | null, digits: number) => (s === null ? '—' : nf(digits).format(Number(s)))
const ratio = (r: number | null, liquidated: boolean | null) => (r === null ? (liquidated ? '∞ (liquidated)' : '—') : `${n1.format(r * 100)}%${r >= 1 ? ' LIQ' : ''}`)
const price = (p: number | null | undefined) => (p === null || p === undefined ? '—' : n2.format(p))
const signed = (x: number, f = n1) => `${x > 0 ? '+' : ''}${f.format(x)}`
const moneyDigits = (ccy: string) => (isUsdLike(ccy) ? 2 : 4)

function pointText(p: ThresholdPoint | null): [string, string, string] {
  return p === null ? ['—', '', ''] : [price(p.indexPrice), `${signed(p.distancePercent)}%`, `${n1.format(p.dailySigmas)}σ`]
}

function levelRow(key: string, l: LiquidationLevels): string[] {
  const scope = l.scope === 'cross' ? `cross ${l.underlying}` : `${l.scope} (isolated)`
  if (l.alreadyBreached) return [key, scope, price(l.indexPrice), 'BREACHED NOW', '', '', '', '', '', '', '']
  return [key, scope, price(l.indexPrice), ...pointText(l.below), ...pointText(l.above), price(l.bankruptcyBelow?.indexPrice), price(l.bankruptcyAbove?.indexPrice)]
}

/** One position's venue figures beside Riskdesk's (liquidationPriceFor: the side the position loses toward). */
function venueFigureRow(a: MarginAccountReport, p: MarginPositionRow): string[] {
  const v = p.venue!
  // Coin amounts to 8 places (satoshi): a single position's margin is often below 0.0001 BTC.
  const amount = (x: string | null, ccy: string) => (x === null ? '—' : `${dec(x, moneyDigits(ccy) === 2 ? 2 : 8)} ${ccy}`)
  return [
    a.key, p.id, price(v.liquidationPrice), price(liquidationPriceFor(a, p)), amount(v.initialMargin, v.currency), amount(p.initialMargin, a.marginCurrency),
    amount(v.maintenanceMargin, v.currency), amount(p.maintenanceMargin, a.marginCurrency), v.source,
  ]
}

/** The account view as text: accounts, liquidation prices, positions, tables used, unknowns and assumptions. */
export function marginText(r: MarginReport, withPositions = true): string {
  const lines = [
    `Margin of portfolio "${r.portfolio}", valued at ${r.valuationTime ?? '—'}; venue tables as of ${r.asOf} (${r.asOfBasis}), ${r.venueRules}.`,
    'Money in each account’s margin currency; margin ratio = (MM + fee) ÷ equity, liquidated at ≥ 100%.',
  ]
  lines.push(
    table(
      ['account', 'rule', 'equity', 'equity USD', 'IM', 'MM', 'margin ratio', 'available', 'SPAN scan risk', 'status'],
      r.accounts.map((a) => {
        const d = moneyDigits(a.marginCurrency)
        const unit = (s: string | null) => (s === null ? '—' : `${dec(s, d)} ${a.marginCurrency}`)
        return [
          a.key,
          a.rule ? `${a.rule.id}${a.rule.source === 'settings' ? ' (set)' : ''}` : '—',
          unit(a.equity),
          dec(a.equityUsd, 0),
          unit(a.initialMargin),
          unit(a.maintenanceMargin),
          ratio(a.marginRatio, a.liquidated),
          unit(a.availableBalance),
          unit(a.spanScanRisk),
          a.status === 'error' ? `error: ${a.error}` : a.status,
        ]
      }),
    ),
  )
  const levels = r.accounts.flatMap((a) => [...a.liquidation.map((l) => levelRow(a.key, l)), ...a.positions.filter((p) => p.liquidation).map((p) => levelRow(a.key, p.liquidation!))])
  if (levels.length > 0) {
    lines.push(
      'Liquidation and bankruptcy prices (index USD; cross per underlying, isolated per position; distance from the current index in % and in daily σ):',
      table(['account', 'scope', 'index', 'liq. below', 'dist.', 'σ', 'liq. above', 'dist.', 'σ', 'bankrupt below', 'bankrupt above'], levels),
    )
    const vols = new Map<string, string>()
    for (const a of r.accounts) for (const l of [...a.liquidation, ...a.positions.flatMap((p) => (p.liquidation ? [p.liquidation] : []))]) vols.set(l.underlying, `${l.underlying} ${n2.format(l.dailyVol * 100)}% (${l.dailyVolSource})`)
    lines.push(`Daily σ: ${[...vols.values()].join('; ')}`)
    for (const a of r.accounts) for (const l of a.liquidation) if (l.note) lines.push(`  ${a.key} ${l.underlying}: ${l.note}`)
  }
  if (withPositions)
    for (const a of r.accounts.filter((x) => x.positions.length > 0)) {
      const d = moneyDigits(a.marginCurrency)
      lines.push(
        `${a.key} positions (IM, MM in ${a.marginCurrency}):`,
        table(
          ['position', 'quantity', 'entry', 'mark', 'leverage', 'uPnL', 'notional USD', 'IM', 'MM', 'isolated ratio'],
          a.positions.map((p) => [
            p.id,
            `${fmtDecimal(p.quantity)} ${p.quantityUnit === 'usd' ? 'USD' : p.underlying}`,
            fmtDecimal(p.entryPrice),
            p.kind === 'option' ? n4.format(p.mark) : n2.format(p.mark),
            p.leverage === null ? '—' : `${p.leverage}× (${p.leverageSource})`,
            `${dec(p.unrealizedPnl, moneyDigits(p.settlementCurrency))} ${p.settlementCurrency}`,
            dec(p.notionalUsd, 0),
            dec(p.initialMargin, d),
            dec(p.maintenanceMargin, d),
            p.isolated ? ratio(p.isolatedMarginRatio, null) : 'cross',
          ]),
        ),
      )
    }
  const venueRows = r.accounts.flatMap((a) => a.positions.filter((p) => p.venue !== null).map((p) => venueFigureRow(a, p)))
  if (venueRows.length > 0)
    lines.push(
      "The venue's own figures from the imported snapshot beside Riskdesk's (liquidation price USD; IM and MM in the venue's margin asset):",
      table(['account', 'position', 'venue liq. price', 'Riskdesk liq. price', 'venue IM', 'IM', 'venue MM', 'MM', 'from'], venueRows),
    )
  const tables = new Map<string, string>()
  for (const a of r.accounts)
    for (const t of a.tables) tables.set(t.id, `${t.id} ${t.asOf} (${t.dateBasis}${t.beforeFirstEntry ? '; EARLIEST ENTRY, younger than the as-of date' : ''})`)
  if (tables.size > 0) lines.push(`Tables: ${[...tables.values()].join('; ')}`)
  for (const a of r.accounts) {
    for (const u of a.unknown) lines.push(`Unknown, ${a.key}: ${u}`)
    for (const c of a.collateral) if (c.note) lines.push(`Collateral, ${a.key}: ${c.currency} ${c.amount}: ${c.note}`)
    for (const s of a.assumptions) lines.push(`Assumption, ${a.key}: ${s}`)
  }
  if (r.excluded.length > 0) lines.push('Left out:', ...r.excluded.map((e) => `  ${e.venue}/${e.account} ${e.instrument}: ${e.reason}`))
  for (const s of r.assumptions) lines.push(`Assumption: ${s}`)
  const approx = new Set(r.accounts.flatMap((a) => a.approximations.map((x) => `${a.rule?.id ?? '?'}: ${x}`)))
  if (approx.size > 0) lines.push('Approximations of the rules:', ...[...approx].map((x) => `  ${x}`))
  return lines.join('\n')
}

/** Margin under a stress set as a scenario × account table of margin ratios (LIQ = liquidated; shortfall shown). */
export function marginStressText(s: MarginStressResult): string {
  const lines = [
    `Margin under "${s.set.name}" (${s.set.description}) on portfolio "${s.portfolio}"; tables as of ${s.asOf}.`,
    'Each cell: margin ratio after the shock, and the shortfall beyond equity (margin currency) when liquidated past bankruptcy; "on oracle" = the venue margins and liquidates on its lagging oracle-based price, which moved as shown (the columns are the market move).',
  ]
  const coins = Object.keys(s.scenarios[0]?.spotShocks ?? {})
  const cell = (c: MarginStressResult['cells'][number][number], ccy: string) => {
    if (c === null) return '—'
    const sf = Number(c.shortfall) > 0 ? ` short ${dec(c.shortfall, moneyDigits(ccy))}` : ''
    return `${ratio(c.marginRatio, c.liquidated)}${sf}${oracleText(c)}`
  }
  // An oracle-marked venue under an oracle lag: the move of the price it liquidates on (BTC's, else the first coin's).
  const oracleText = (c: NonNullable<MarginStressResult['cells'][number][number]>) => {
    if (c.priceBasis !== 'oracle') return ''
    const coin = c.priceMoves.BTC !== undefined ? 'BTC' : Object.keys(c.priceMoves).find((x) => !/^USD/.test(x))
    return coin === undefined ? ' (on oracle)' : ` (on oracle: ${coin} ${signed(c.priceMoves[coin]! * 100, n1)}%)`
  }
  lines.push(
    table(
      ['scenario', ...coins.map((c) => `${c} move`), 'vol', 'days', ...s.accounts.map((a) => a.key)],
      [
        ['current', ...coins.map(() => ''), '', '', ...s.current.map((c, j) => cell(c, s.accounts[j]!.marginCurrency))],
        ...s.scenarios.map((sc, k) => [
          sc.name,
          ...coins.map((c) => `${signed((sc.spotShocks[c] ?? 0) * 100, n0)}%`),
          sc.volShock,
          String(sc.days),
          ...s.cells[k]!.map((c, j) => (sc.notValued ? 'not valued' : cell(c, s.accounts[j]!.marginCurrency))),
        ]),
      ],
    ),
  )
  for (const a of s.accounts) if (a.note) lines.push(`${a.key}: ${a.note}`)
  for (const sc of s.scenarios) if (sc.notValued) lines.push(`${sc.name}: ${sc.notValued}`)
  for (const x of s.assumptions) lines.push(`Assumption: ${x}`)
  return lines.join('\n')
}

/** Stored margin settings per account. */
export function marginSettingsText(l: MarginSettingsList): string {
  return [
    `Margin settings of portfolio "${l.portfolio}":`,
    table(
      ['account', 'default rule', 'rule', 'leverage', 'positions set', 'other', 'positions'],
      l.accounts.map((a) => {
        const s = a.settings
        const other = [
          s.bybitInverseFormula ? `inverse formula ${s.bybitInverseFormula}` : null,
          s.takerFeeRate !== undefined ? `taker fee ${s.takerFeeRate}` : null,
          s.liquidationFeeRate !== undefined ? `liquidation fee ${s.liquidationFeeRate}` : null,
          s.collateral ? `collateral ${Object.entries(s.collateral).map(([c, v]) => `${c}:${v.haircut}`).join(',')}` : null,
        ].filter((x) => x !== null)
        const pos = Object.entries(s.positions).map(([id, p]) => `${id}${p.leverage !== undefined ? ` ${p.leverage}×` : ''}${p.isolatedMargin !== undefined ? ` isolated ${p.isolatedMargin}` : ''}`)
        return [a.key, a.defaultRule ?? '—', s.rule ?? '(default)', s.leverage === undefined ? '—' : `${s.leverage}×`, pos.join('; ') || '—', other.join('; ') || '—', a.positionIds.join(', ')]
      }),
      false,
    ),
  ].join('\n')
}

/** The cascade as text: summary, steps with liquidations, and each participant's outcome. */
export function cascadeText(c: CascadeResult): string {
  const lines = [
    `Liquidation cascade on ${c.underlying} for portfolio "${c.portfolio}": ${c.path.description} from ${price(c.startPrice)} USD (${c.path.source}).`,
    `Impact: Y ${c.impact.Y} (${c.impact.sources.Y}), daily σ ${n2.format(c.impact.dailyVol * 100)}% (${c.impact.sources.dailyVol}), daily volume ${n0.format(c.impact.dailyVolumeCoin)} ${c.underlying} (${c.impact.sources.dailyVolumeCoin}).`,
    `Leveraged market: ${c.market.included ? `on, ${c.market.participants} buckets (${c.market.table?.id} as of ${c.market.table?.asOf})` : 'off'}.`,
    `Exogenous final ${price(c.exogenousFinalPrice)} USD, with liquidations ${price(c.finalPrice)} USD: extra move ${signed(c.extraMoveRelative * 100, n2)}% (Σ impacts ${n4.format(c.extraMoveLog)} log).` +
      ` Liquidated ${dec(c.totalLiquidatedCoin, 4)} ${c.underlying} net, ${dec(c.totalLiquidatedNotionalUsd, 0)} USD gross; shortfall ${dec(c.totalShortfallUsd, 0)} USD.`,
  ]
  lines.push(
    table(
      ['step', 'exogenous', 'before', 'after', 'liquidated', `net ${c.underlying} sold`, 'notional USD', 'impact'],
      c.steps.map((s) => [
        s.gap ? `${s.step} gap` : String(s.step),
        price(s.exogenousPrice),
        price(s.priceBefore),
        price(s.priceAfter),
        s.liquidated.length === 0 ? '' : s.liquidated.length <= 2 ? s.liquidated.join(', ') : `${s.liquidated.length} participants`,
        s.liquidated.length === 0 ? '' : dec(s.liquidatedCoin, 4),
        s.liquidated.length === 0 ? '' : dec(s.liquidatedNotionalUsd, 0),
        s.impactLog === 0 ? '' : `${n2.format(-Math.expm1(-s.impactLog) * 100)}%`,
      ]),
    ),
  )
  const mine = c.outcomes.filter((o) => o.kind === 'account')
  if (mine.length > 0)
    lines.push(
      'Your accounts:',
      table(
        ['participant', 'liquidated', 'step', 'cause', 'trigger', 'executed', `closed ${c.underlying}`, 'equity after USD', 'shortfall USD', 'equity at end USD'],
        mine.map((o) => [
          o.id,
          o.liquidated ? 'yes' : 'no',
          o.step === null ? '—' : String(o.step),
          o.cause ?? '—',
          price(o.triggerPrice),
          price(o.executionPrice),
          o.liquidated ? dec(o.closedCoin, 4) : '—',
          dec(o.equityAfterUsd, 0),
          dec(o.shortfallUsd, 0),
          dec(o.equityEndUsd, 0),
        ]),
      ),
    )
  for (const o of mine) if (o.explanation) lines.push(`${o.id}: ${o.explanation}`)
  const market = c.outcomes.filter((o) => o.kind === 'market' && o.liquidated)
  if (market.length > 0) lines.push(`Market buckets liquidated: ${market.map((o) => `${o.id.replace(/^market:/, '')} (step ${o.step})`).join(', ')}`)
  for (const s of c.skipped) lines.push(`Left out: ${s.key}: ${s.reason}`)
  for (const a of c.assumptions) lines.push(`Assumption: ${a}`)
  return lines.join('\n')
}
