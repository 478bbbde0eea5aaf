/**
 * `riskdesk hedge`: the hedge suggestion through the typed API (shared/hedgeApi.ts, services/hedgeService.ts):
 * targets on the book's Greeks, candidate instruments and limits in; legs with their costs, each target before
 * and after, and the binding constraints out. `--add-to-whatif NAME` adds the legs to a what-if (created on the
 * hedged portfolio when it does not exist) through `addWhatIfLeg`, at the prices the suggestion assumed.
 */
import { InvalidArgumentError, type Command } from 'commander'
import { HEDGE_CANDIDATE_KINDS, HEDGE_GREEKS, HEDGE_TENORS, type HedgeResult, type HedgeTarget } from '../../../../shared/hedgeApi'
import { fmt, fmtDecimal, plural } from '../../../../shared/format'
import { AS_OF_HELP, call, parseAsOfOption, parsePortfolioName, printJson, printText, withRuntime, type GlobalOptions } from '../cliSupport'
import { table } from '../textOutput'

const TARGET_SYNTAX = '[UNDERLYING:]GREEK[:TENOR]=TARGET±BAND, e.g. delta=0±0.5, BTC:deltaUsd=0+-1000, vega:7-30d=0±500 (greeks: delta, deltaUsd, gamma, vega; tenors: <7d, 7-30d, 30-90d, >90d)'

const number = (text: string, what: string, item: string): number => {
  const x = Number(text.trim())
  if (text.trim() === '' || !Number.isFinite(x)) throw new InvalidArgumentError(`"${item}": ${what} "${text}" is not a number; expected ${TARGET_SYNTAX}`)
  return x
}

/**
 * Parses `--target` text: comma-separated targets in TARGET_SYNTAX. `+-` stands for `±` and `-` for the en
 * dash of a tenor label (`7-30d` = `7–30d`); a target without a band is exact (band 0).
 * @throws InvalidArgumentError naming the item and what was expected
 */
export function parseHedgeTargets(text: string): HedgeTarget[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '')
  if (items.length === 0) throw new InvalidArgumentError(`expected ${TARGET_SYNTAX}`)
  return items.map((item) => {
    const eq = item.indexOf('=')
    if (eq < 0) throw new InvalidArgumentError(`"${item}": no "="; expected ${TARGET_SYNTAX}`)
    const parts = item.slice(0, eq).split(':').map((s) => s.trim())
    const greekOf = (s: string | undefined) => HEDGE_GREEKS.find((g) => g.toLowerCase() === s?.toLowerCase())
    const underlying = parts.length > 1 && greekOf(parts[0]) === undefined ? parts.shift() : undefined
    const greek = greekOf(parts[0])
    if (greek === undefined) throw new InvalidArgumentError(`"${item}": unknown greek "${parts[0] ?? ''}"; expected ${TARGET_SYNTAX}`)
    if (underlying !== undefined && !/^[A-Za-z0-9]+$/.test(underlying)) throw new InvalidArgumentError(`"${item}": "${underlying}" is not an underlying such as BTC`)
    let tenor: HedgeTarget['tenor']
    if (parts[1] !== undefined) {
      const label = parts[1].replace('-', '–')
      tenor = HEDGE_TENORS.find((t) => t === label)
      if (tenor === undefined) throw new InvalidArgumentError(`"${item}": unknown tenor "${parts[1]}"; expected one of <7d, 7-30d, 30-90d, >90d`)
      if (greek !== 'vega') throw new InvalidArgumentError(`"${item}": only vega targets take a tenor bucket`)
    }
    if (parts.length > 2) throw new InvalidArgumentError(`"${item}": too many ":" parts; expected ${TARGET_SYNTAX}`)
    const [target, band = '0', ...rest] = item.slice(eq + 1).replace('+-', '±').split('±')
    if (rest.length > 0) throw new InvalidArgumentError(`"${item}": more than one "±"; expected ${TARGET_SYNTAX}`)
    const b = number(band, 'band', item)
    if (b < 0) throw new InvalidArgumentError(`"${item}": the band must be ≥ 0`)
    return { ...(underlying === undefined ? {} : { underlying: underlying.toUpperCase() }), greek, ...(tenor === undefined ? {} : { tenor }), target: number(target ?? '', 'target', item), band: b }
  })
}

const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter((s) => s !== '')

function parseKinds(text: string): Array<(typeof HEDGE_CANDIDATE_KINDS)[number]> {
  return list(text).map((k) => {
    const kind = HEDGE_CANDIDATE_KINDS.find((x) => x === k)
    if (!kind) throw new InvalidArgumentError(`unknown candidate kind "${k}"; expected a list of ${HEDGE_CANDIDATE_KINDS.join(', ')}`)
    return kind
  })
}

const positive = (what: string) => (text: string) => {
  const x = Number(text)
  if (!Number.isFinite(x) || x <= 0) throw new InvalidArgumentError(`expected ${what} greater than 0`)
  return x
}
const percent = (text: string) => {
  const x = Number(text)
  if (!Number.isFinite(x) || x < 0 || x > 100) throw new InvalidArgumentError('expected a percentage from 0 to 100')
  return x
}
const nonNegative = (text: string) => {
  const x = Number(text)
  if (!Number.isFinite(x) || x < 0) throw new InvalidArgumentError('expected a number of days ≥ 0')
  return x
}

const DIGITS = { delta: 4, deltaUsd: 0, gamma: 6, vega: 0 } as const

/** The suggestion as text: status, legs, targets before/after, binding constraints, notes. */
export function hedgeText(r: HedgeResult): string {
  const out: string[] = [`hedge of ${r.whatIf === null ? `portfolio "${r.portfolio}"` : `what-if "${r.whatIf}" (portfolio "${r.portfolio}")`} (valued ${r.valuationTime ?? '—'}): ${r.status}, ${plural(r.candidatesConsidered, 'candidate')}`]
  if (r.reason !== null) out.push(`reason: ${r.reason}`)
  if (r.legs.length > 0)
    out.push(
      '',
      table(
        ['venue', 'account', 'instrument', 'quantity', 'LP quantity', 'price', 'half-spread USD', 'fee USD', 'impact USD', 'cost USD'],
        r.legs.map((l) => [l.venue, l.account, l.instrument, `${fmtDecimal(l.quantity)} ${l.quantityUnit}`, fmt(l.lpQuantity, 4), `${fmtDecimal(l.price)} ${l.priceUnit}`, fmt(l.halfSpreadUsd, 2), fmt(l.feeUsd, 2), fmt(l.impactUsd, 2), fmt(l.costUsd, 2)]),
      ),
      `cost: ${fmt(r.costUsd, 2)} USD rounded legs${r.lpCostUsd === null ? '' : `, ${fmt(r.lpCostUsd, 2)} USD the LP's optimum before rounding`}`,
    )
  out.push(
    '',
    table(
      ['target', 'before', 'after', 'band', 'met'],
      r.targets.map((t) => [t.label, fmt(t.before, DIGITS[t.greek]), fmt(t.after, DIGITS[t.greek]), `${fmt(t.lower, DIGITS[t.greek])} … ${fmt(t.upper, DIGITS[t.greek])}`, t.met ? 'yes' : 'NO']),
    ),
  )
  for (const b of r.binding) out.push(`binding: ${b}`)
  for (const n of r.notes) out.push(`note: ${n}`)
  out.push(`solved in ${fmt(r.solveMs, 1)} ms`)
  return out.join('\n')
}

interface HedgeOptions extends GlobalOptions {
  portfolio?: string
  whatif?: string
  target: ReturnType<typeof parseHedgeTargets>
  candidates?: ReturnType<typeof parseKinds>
  venues?: string[]
  accounts?: string[]
  instruments?: string[]
  minDays?: number
  maxDays?: number
  minMoneyness?: number
  maxMoneyness?: number
  maxCost?: number
  maxMarginUse?: number
  liquidityCaps: boolean
  participation?: number
  asOf?: string
  addToWhatif?: string
}

export function registerHedgeCommands(program: Command): void {
  program
    .command('hedge')
    .description('suggest the cheapest legs that bring Greeks into target bands (an LP solved by HiGHS), rounded to contract sizes')
    .requiredOption('--target <targets>', TARGET_SYNTAX, parseHedgeTargets)
    .option('--portfolio <name>', 'portfolio (default: the most recently imported)', parsePortfolioName)
    .option('--whatif <name>', 'hedge this what-if book (the portfolio plus its legs)')
    .option('--candidates <kinds>', `candidate kinds, comma-separated: ${HEDGE_CANDIDATE_KINDS.join(', ')} (default: perpetual,future)`, parseKinds)
    .option('--venues <list>', 'venues allowed, comma-separated (default: every venue of the book)', list)
    .option('--accounts <list>', 'accounts allowed to trade, venue/account, comma-separated (default: each venue’s first account)', list)
    .option('--instruments <list>', "only these instruments (the venue's names), comma-separated", list)
    .option('--min-days <d>', 'options and futures: at least this many days to expiry', nonNegative)
    .option('--max-days <d>', 'options and futures: at most this many days to expiry', nonNegative)
    .option('--min-moneyness <k>', 'options: strike ÷ index at least', positive('a ratio'))
    .option('--max-moneyness <k>', 'options: strike ÷ index at most', positive('a ratio'))
    .option('--max-cost <usd>', 'refuse hedges costing more than this (USD)', positive('an amount'))
    .option('--max-margin-use <pct>', "the legs' initial margin may use at most this % of each trading account's available balance", percent)
    .option('--no-liquidity-caps', "do not cap each instrument's size at a share of the liquidity table's daily volume")
    .option('--participation <pct>', 'size cap: this % of the daily volume per instrument and side (default 10)', positive('a percentage'))
    .option('--as-of <when>', AS_OF_HELP, parseAsOfOption)
    .option('--add-to-whatif <name>', 'add the legs to this what-if (created on the portfolio when missing)')
    .option('--json', 'print one JSON document')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<HedgeOptions>()
      await withRuntime(o, async (rt) => {
        const r = await call(rt, 'suggestHedge', {
          portfolio: o.portfolio,
          whatIf: o.whatif,
          asOf: o.asOf,
          targets: o.target,
          candidates: {
            kinds: o.candidates ?? ['perpetual', 'future'],
            venues: o.venues,
            accounts: o.accounts,
            instruments: o.instruments,
            minDays: o.minDays,
            maxDays: o.maxDays,
            minMoneyness: o.minMoneyness,
            maxMoneyness: o.maxMoneyness,
          },
          maxCostUsd: o.maxCost,
          maxMarginUsePct: o.maxMarginUse,
          liquidityCaps: o.liquidityCaps,
          maxParticipationPct: o.participation,
        })
        let added: Array<{ id: number; instrument: string; quantity: string }> = []
        if (o.addToWhatif !== undefined && r.legs.length > 0) {
          const name = o.addToWhatif
          if (!(await call(rt, 'listWhatIfs', {})).some((w) => w.name === name)) await call(rt, 'createWhatIf', { name, portfolio: r.portfolio })
          for (const l of r.legs) {
            const a = await call(rt, 'addWhatIfLeg', { whatIf: name, instrument: l.instrument, venue: l.venue, account: l.account, quantity: l.quantity, price: l.price })
            added.push({ id: a.leg.id, instrument: a.leg.instrument, quantity: a.leg.quantity })
          }
        } else added = []
        if (o.json) printJson(o.addToWhatif === undefined ? r : { ...r, addedToWhatIf: { name: o.addToWhatif, legs: added } })
        else {
          let text = hedgeText(r)
          if (o.addToWhatif !== undefined)
            text += added.length > 0 ? `\nadded ${added.length} leg${added.length === 1 ? '' : 's'} to what-if "${o.addToWhatif}" (riskdesk whatif show "${o.addToWhatif}")` : `\nno legs to add to what-if "${o.addToWhatif}"`
          printText(`${text}\n`)
        }
      })
    })
}
