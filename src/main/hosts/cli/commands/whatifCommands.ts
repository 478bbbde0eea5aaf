/**
 * `riskdesk whatif new|list|show|delete|rename|duplicate|add|resize|remove|export`: what-if books through the
 * typed API (shared/whatifApi.ts). A what-if never writes into imported data; `export` writes the what-if
 * book (the portfolio's current positions with the legs netted in) as a generic positions CSV the importer
 * reads back.
 */
import { writeFileSync } from 'node:fs'
import { InvalidArgumentError, Option, type Command } from 'commander'
import type { WhatIfLeg, WhatIfReport, WhatIfVarResult } from '../../../../shared/whatifApi'
import { VAR_METHOD_LABELS, VAR_METHODS } from '../../../../shared/varApi'
import { fmt, fmtDecimal } from '../../../../shared/format'
import { AS_OF_HELP, call, parseAsOfOption, parsePortfolioName, parsePositiveInt, printJson, printText, withRuntime, type GlobalOptions } from '../cliSupport'
import { toCsv } from '../csvOutput'
import { table } from '../textOutput'
import { parseConfidence, parseSeed, parseWindow, varModelRequest, type VarModelOptions } from './varCommands'

const signed = (x: number, digits: number) => `${x > 0 ? '+' : ''}${fmt(x, digits)}`
const signedText = (s: string | null) => (s === null ? '—' : `${s.startsWith('-') || Number(s) === 0 ? '' : '+'}${fmtDecimal(s)}`)

function legsText(legs: readonly WhatIfLeg[]): string {
  if (legs.length === 0) return 'no legs yet: riskdesk whatif add NAME --instrument I --quantity Q'
  return table(
    ['leg', 'venue', 'account', 'instrument', 'quantity', 'entry', 'price from', 'premium / price', 'fee USD'],
    legs.map((l) => [
      String(l.id),
      l.venue,
      l.account,
      l.instrument,
      `${fmtDecimal(l.quantity)} ${l.quantityUnit}`,
      `${fmtDecimal(l.entryPrice)} ${l.priceUnit}`,
      l.priceSource,
      l.cash === null ? '—' : `${fmtDecimal(l.cash.amount)} ${l.cash.currency}`,
      l.feeUsd === null ? '—' : fmtDecimal(l.feeUsd),
    ]),
    false,
  )
}

/** The before / after / change tables of `whatif show`. */
export function whatIfText(r: WhatIfReport): string {
  const out: string[] = [`what-if "${r.whatIf.name}" on portfolio "${r.whatIf.portfolio}" (valued ${r.after.valuationTime ?? '—'})`, legsText(r.legs), '']
  const underlyings = [...new Set([...r.before.greeks, ...r.after.greeks].map((g) => g.underlying))]
  out.push(
    table(
      ['underlying', 'delta before', 'delta after', 'change', 'gamma USD/1% chg', 'vega USD/pt before', 'after', 'change', 'theta USD/d chg'],
      underlyings.map((u) => {
        const b = r.before.greeks.find((g) => g.underlying === u)
        const a = r.after.greeks.find((g) => g.underlying === u)
        const c = r.change.greeks.find((g) => g.underlying === u)!
        return [u, fmt(b?.delta ?? 0, 4), fmt(a?.delta ?? 0, 4), signed(c.delta, 4), signed(c.gammaUsdPer1Pct, 0), fmt(b?.vegaUsd ?? 0, 0), fmt(a?.vegaUsd ?? 0, 0), signed(c.vegaUsd, 0), signed(c.thetaUsd, 0)]
      }),
    ),
  )
  const tenor = r.change.buckets.filter((b) => b.by === 'tenor' && (b.delta !== 0 || b.vegaUsd !== 0))
  if (tenor.length > 0)
    out.push('', table(['underlying', 'tenor', 'delta chg', 'vega USD/pt chg'], tenor.map((b) => [b.underlying, b.bucket, signed(b.delta, 4), signed(b.vegaUsd, 0)])))
  const w = (x: WhatIfReport['before']) => (x.stress.worst ? `${fmt(x.stress.worst.pnlUsd, 0)} USD (${x.stress.worst.name})` : '—')
  out.push('', `stress ${r.after.stress.set} (${r.after.stress.scenarios} scenarios), worst: before ${w(r.before)}, after ${w(r.after)}`)
  out.push(
    '',
    table(
      ['account', 'IM before', 'IM after', 'IM chg', 'MM chg', 'available chg', 'ratio before', 'ratio after'],
      r.change.margin.map((c) => {
        const b = r.before.margin.find((m) => m.key === c.key)
        const a = r.after.margin.find((m) => m.key === c.key)
        const ratio = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${fmt(x * 100, 2)}%`)
        return [c.key, fmtDecimal(b?.initialMargin ?? null), fmtDecimal(a?.initialMargin ?? null), signedText(c.initialMargin), signedText(c.maintenanceMargin), signedText(c.availableBalance), ratio(b?.marginRatio), ratio(a?.marginRatio)]
      }),
    ),
  )
  for (const n of r.notes) out.push(`note: ${n}`)
  return out.join('\n')
}

/** `whatif show NAME --var`: VaR and ES before, after, the change, and per leg. */
export function whatIfVarText(v: WhatIfVarResult): string {
  const usd = (x: number | null) => (x === null ? '—' : fmt(x, 0))
  const out = [
    `what-if "${v.whatIf.name}" on portfolio "${v.whatIf.portfolio}" (valued ${v.valuationTime ?? '—'})`,
    `${VAR_METHOD_LABELS[v.method]}${v.model ? ` (${v.model})` : ''}, ${v.confidence * 100}% ${v.horizonDays}-day, window ${v.window.first} … ${v.window.last} (${v.window.returns} daily returns)${v.scenarios > 0 ? `, ${fmt(v.scenarios, 0)} scenarios on both sides` : ''}`,
    '',
    table(
      ['USD', 'before', 'after', 'change'],
      [
        ['VaR', usd(v.before.var), usd(v.after.var), signed(v.change.var, 0)],
        ['ES', usd(v.before.es), usd(v.after.es), signed(v.change.es, 0)],
        ['value', usd(v.before.valueUsd), usd(v.after.valueUsd), signed(v.after.valueUsd - v.before.valueUsd, 0)],
      ],
    ),
  ]
  if (v.legs.length > 0)
    out.push(
      '',
      table(
        ['leg', 'account', 'instrument', 'incremental VaR', 'incremental ES', 'component VaR', 'component ES'],
        v.legs.map((l) => [`leg ${l.legId}`, l.account, l.instrument, usd(l.incrementalVar), usd(l.incrementalEs), usd(l.componentVar), usd(l.componentEs)]),
      ),
    )
  for (const n of v.notes) out.push(`note: ${n}`)
  return out.join('\n')
}

/** `--vol-shift`: vol points in −50…+100 (the profile API's range, profileApi.ts). */
function parseVolShift(text: string): number {
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n) || n < -50 || n > 100) throw new InvalidArgumentError(`expected vol points from -50 to 100 such as 10, got "${text}"`)
  return n
}

export function registerWhatIfCommands(program: Command): void {
  const whatif = program.command('whatif').description('what-if books: hypothetical legs on top of a portfolio, every figure before and after')
  whatif
    .command('new')
    .description('create an empty what-if on a portfolio')
    .argument('<name>')
    .option('--portfolio <name>', 'portfolio (default: the most recently imported)', parsePortfolioName)
    .option('--json', 'print one JSON document')
    .action(async (name: string, _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { portfolio?: string }>()
      await withRuntime(o, async (rt) => {
        const r = await call(rt, 'createWhatIf', { name, portfolio: o.portfolio })
        if (o.json) printJson(r)
        else printText(`created what-if "${r.name}" on portfolio "${r.portfolio}"\n`)
      })
    })
  whatif
    .command('list', { isDefault: true })
    .description('what-ifs with their portfolio and legs')
    .option('--portfolio <name>', 'only the what-ifs of this portfolio', parsePortfolioName)
    .option('--json', 'print one JSON document')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { portfolio?: string }>()
      await withRuntime(o, async (rt) => {
        const list = await call(rt, 'listWhatIfs', { portfolio: o.portfolio })
        if (o.json) printJson(list)
        else if (list.length === 0) printText('no what-if yet: riskdesk whatif new NAME\n')
        else printText(`${table(['what-if', 'portfolio', 'legs', 'updated (UTC)'], list.map((w) => [w.name, w.portfolio, String(w.legs), w.updatedAt.replace('T', ' ').slice(0, 19)]))}\n`)
      })
    })
  whatif
    .command('show')
    .description('legs, and Greeks, buckets, stress worst and margin per account before, after and the change')
    .argument('<name>')
    .option('--as-of <when>', AS_OF_HELP, parseAsOfOption)
    .option('--set <name>', 'stress set for the worst case (grid, span16, pm, historical, horizons or a saved set)', 'grid')
    .option('--liquidity', 'subtract close-out costs in the stress figures')
    .option('--var', 'VaR and ES before and after the legs (same scenarios on both sides), the change and each leg\'s incremental VaR, instead of the tables above')
    .addOption(new Option('--method <method>', '--var: VaR method').choices([...VAR_METHODS]).default('historical'))
    .addOption(new Option('--confidence <level>', '--var: confidence level in (0, 1)').argParser(parseConfidence).default(0.99))
    .addOption(new Option('--horizon <days>', '--var: horizon in days (1–30)').argParser(parsePositiveInt).default(1))
    .addOption(new Option('--window <n|year>', '--var: daily returns ending at the valuation date (365) or a calendar year').argParser(parseWindow).default(365))
    .addOption(new Option('--paths <n>', '--var montecarlo: paths').argParser(parsePositiveInt).default(10_000))
    .addOption(new Option('--seed <n>', '--var montecarlo: seed').argParser(parseSeed).default(1))
    .addOption(new Option('--distribution <d>', '--var montecarlo: daily moves').choices(['student-t', 'normal']).default('student-t'))
    .addOption(new Option('--filter <model>', '--var fhs: volatility filter').choices(['ewma', 'garch']).default('ewma'))
    .addOption(new Option('--parametric <model>', '--var parametric: delta-gamma (Cornish–Fisher) or delta-normal').choices(['delta-gamma', 'delta-normal']).default('delta-gamma'))
    .option('--json', 'print one JSON document')
    .action(async (name: string, _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<
        GlobalOptions &
          VarModelOptions & {
            asOf?: string
            set: string
            liquidity?: boolean
            var?: boolean
          }
      >()
      await withRuntime(o, async (rt) => {
        if (o.var) {
          const v = await call(rt, 'getWhatIfVar', { name, asOf: o.asOf, ...varModelRequest(o) })
          if (o.json) printJson(v)
          else printText(`${whatIfVarText(v)}\n`)
          return
        }
        const r = await call(rt, 'getWhatIf', { name, asOf: o.asOf, set: o.set, liquidity: o.liquidity ?? false })
        if (o.json) printJson(r)
        else printText(`${whatIfText(r)}\n`)
      })
    })
  whatif
    .command('add')
    .description(
      'add a leg: an instrument of the market snapshot (entry price default: mark ± half the bid/ask spread), or a custom option the venue does not list, priced off the fitted vol surface (--custom NAME, or --underlying --strike --expiry --type)',
    )
    .argument('<name>')
    .option('--instrument <name>', "the venue's instrument name (BTC-PERPETUAL, BTC-26JUN20-9000-C)")
    .option('--custom <name>', "a custom option in the venue's syntax that is not listed (BTC-26JUN20-9500-C)")
    .option('--underlying <coin>', 'custom option: underlying (BTC)')
    .option('--strike <usd>', 'custom option: strike, USD')
    .option('--expiry <date>', "custom option: expiry date YYYY-MM-DD (at the venue's expiry hour, Deribit 08:00 UTC)")
    .option('--type <call|put>', 'custom option: call or put')
    .option('--linear', 'custom Deribit option: USDC-settled (linear) instead of inverse')
    .requiredOption('--quantity <q>', "signed quantity in the instrument's unit (USD face for inverse futures, coin for options)")
    .option('--price <p>', "entry price in the instrument's price unit (coin for Deribit options); default for a custom option: the surface price")
    .option('--account <name>', "account (default: the portfolio's only account at the venue)")
    .option('--venue <id>', 'venue, when several list the instrument (custom option: default the venue of the book\'s option chain)')
    .option('--json', 'print one JSON document')
    .action(async (name: string, _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<
        GlobalOptions & {
          instrument?: string
          custom?: string
          underlying?: string
          strike?: string
          expiry?: string
          type?: string
          linear?: boolean
          quantity: string
          price?: string
          account?: string
          venue?: string
        }
      >()
      const terms = o.underlying !== undefined || o.strike !== undefined || o.expiry !== undefined || o.type !== undefined
      if ([o.instrument !== undefined, o.custom !== undefined, terms].filter((x) => x).length !== 1)
        throw new InvalidArgumentError('give one of --instrument NAME, --custom NAME, or --underlying U --strike K --expiry YYYY-MM-DD --type call|put')
      if (o.type !== undefined && o.type !== 'call' && o.type !== 'put') throw new InvalidArgumentError(`--type "${o.type}": expected call or put`)
      const custom =
        o.custom !== undefined
          ? { name: o.custom, linear: o.linear }
          : terms
            ? { underlying: o.underlying, strike: o.strike, expiry: o.expiry, optionType: o.type as 'call' | 'put' | undefined, linear: o.linear }
            : undefined
      await withRuntime(o, async (rt) => {
        const r = await call(rt, 'addWhatIfLeg', { whatIf: name, instrument: o.instrument, custom, quantity: o.quantity, price: o.price, account: o.account, venue: o.venue })
        if (o.json) printJson(r)
        else printText(`added leg ${r.leg.id} to "${r.whatIf.name}":\n${legsText([r.leg])}\n`)
      })
    })
  whatif
    .command('resize')
    .description("set a leg's quantity")
    .argument('<name>')
    .requiredOption('--leg <id>', 'leg id (riskdesk whatif show NAME)', parsePositiveInt)
    .requiredOption('--quantity <q>', 'new signed quantity')
    .option('--json', 'print one JSON document')
    .action(async (name: string, _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { leg: number; quantity: string }>()
      await withRuntime(o, async (rt) => {
        const r = await call(rt, 'resizeWhatIfLeg', { whatIf: name, legId: o.leg, quantity: o.quantity })
        if (o.json) printJson(r)
        else printText(`leg ${r.leg.id} of "${r.whatIf.name}" is now ${r.leg.quantity} ${r.leg.instrument}\n`)
      })
    })
  whatif
    .command('remove')
    .description('remove a leg')
    .argument('<name>')
    .requiredOption('--leg <id>', 'leg id (riskdesk whatif show NAME)', parsePositiveInt)
    .option('--json', 'print one JSON document')
    .action(async (name: string, _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { leg: number }>()
      await withRuntime(o, async (rt) => {
        const r = await call(rt, 'removeWhatIfLeg', { whatIf: name, legId: o.leg })
        if (o.json) printJson(r)
        else printText(`removed leg ${r.removed} from "${r.whatIf.name}" (${r.whatIf.legs} left)\n`)
      })
    })
  for (const [verb, description] of [
    ['rename', 'rename a what-if'],
    ['duplicate', 'copy a what-if with its legs under a new name'],
  ] as const)
    whatif
      .command(verb)
      .description(description)
      .argument('<name>')
      .argument('<new-name>')
      .option('--json', 'print one JSON document')
      .action(async (from: string, to: string, _o, cmd: Command) => {
        const o = cmd.optsWithGlobals<GlobalOptions>()
        await withRuntime(o, async (rt) => {
          const r = await call(rt, verb === 'rename' ? 'renameWhatIf' : 'duplicateWhatIf', { from, to })
          if (o.json) printJson(r)
          else printText(`${verb === 'rename' ? 'renamed' : 'duplicated'} "${from}" to "${r.name}" (${r.legs} legs)\n`)
        })
      })
  whatif
    .command('delete')
    .description('delete a what-if and its legs (imported data is untouched)')
    .argument('<name>')
    .option('--json', 'print one JSON document')
    .action(async (name: string, _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions>()
      await withRuntime(o, async (rt) => {
        const r = await call(rt, 'deleteWhatIf', { name })
        if (o.json) printJson(r)
        else printText(`deleted what-if "${r.deleted.name}" (${r.deleted.legs} legs)\n`)
      })
    })
  whatif
    .command('export')
    .description("write the what-if book as a generic positions CSV: the portfolio's positions with the legs netted in")
    .argument('<name>')
    .requiredOption('--out <file.csv>', 'CSV file to write')
    .option('--json', 'print one JSON document of what was written')
    .action(async (name: string, _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { out: string }>()
      await withRuntime(o, async (rt) => {
        const r = await call(rt, 'getWhatIfPositions', { name })
        const rows = r.positions
        const legs = (await call(rt, 'listWhatIfs', {})).find((w) => w.name === r.whatIf)?.legs ?? 0
        const csv = toCsv(
          [
            { header: 'venue', value: (r: (typeof rows)[number]) => r.venue },
            { header: 'account', value: (r) => r.account },
            { header: 'instrument', value: (r) => r.instrument },
            { header: 'quantity', value: (r) => r.quantity },
            { header: 'entry_price', value: (r) => r.entryPrice },
            { header: 'note', value: (r) => r.note },
          ],
          rows,
        )
        writeFileSync(o.out, csv)
        if (o.json) printJson({ file: o.out, positions: rows.length, legs, notes: r.notes })
        else printText(`wrote ${rows.length} net positions of "${r.whatIf}" (portfolio "${r.portfolio}" with ${legs} legs) to ${o.out}\n${r.notes.map((n) => `note: ${n}\n`).join('')}`)
      })
    })

  program
    .command('profile')
    .description("risk profile: the whole book's P&L (USD) against the underlying's index price, today, on future dates and at each option's expiry; before and after a what-if")
    .option('--dates <list>', 'days from now and/or expiry, comma-separated', '0,7,expiry')
    .option('--whatif <name>', 'also the book with this what-if (after)')
    .option('--underlying <coin>', 'underlying (default: the one with the largest |delta USD|)')
    .option('--range <from:to>', 'index moves in percent', '-50:50')
    .option('--points <n>', 'prices on the axis (3…401)', parsePositiveInt, 101)
    .option('--vol-shift <points>', 'shift every option vol on the underlying by this many vol points (−50…+100, floored at 1 point), as the view\'s slider', parseVolShift, 0)
    .option('--portfolio <name>', 'portfolio (default: the most recently imported)', parsePortfolioName)
    .option('--as-of <when>', AS_OF_HELP, parseAsOfOption)
    .option('--json', 'print one JSON document')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { dates: string; whatif?: string; underlying?: string; range: string; points: number; volShift: number; portfolio?: string; asOf?: string }>()
      const dates = o.dates.split(',').map((d) => d.trim()).map((d) => (d === 'expiry' ? ('expiry' as const) : Number(d)))
      if (dates.some((d) => d !== 'expiry' && !(Number.isFinite(d) && d >= 0))) cmd.error(`riskdesk: --dates expects days ≥ 0 or expiry, comma-separated (got "${o.dates}")`)
      const range = /^(-?\d+(?:\.\d+)?):(-?\d+(?:\.\d+)?)$/.exec(o.range.trim())
      if (!range) cmd.error(`riskdesk: --range expects FROM:TO in percent such as -50:50 (got "${o.range}")`)
      await withRuntime(o, async (rt) => {
        const r = await call(rt, 'getRiskProfile', {
          portfolio: o.portfolio,
          whatIf: o.whatif,
          asOf: o.asOf,
          underlying: o.underlying,
          dates,
          fromPercent: Number(range![1]),
          toPercent: Number(range![2]),
          points: o.points,
          volShiftPoints: o.volShift,
        })
        if (o.json) {
          printJson(r)
          return
        }
        const step = Math.max(1, Math.round((r.prices.length - 1) / 10))
        const at = r.prices.map((_, i) => i).filter((i) => i % step === 0 || i === r.prices.length - 1)
        const label = (d: number | 'expiry') => (d === 'expiry' ? 'at expiry' : `+${d}d`)
        const head = ['index USD', ...r.curves.flatMap((c) => (c.after ? [`${label(c.date)} before`, 'after'] : [label(c.date)]))]
        const rows = at.map((i) => [fmt(r.prices[i]!, 0), ...r.curves.flatMap((c) => [fmt(c.before[i]!, 0), ...(c.after ? [fmt(c.after[i]!, 0)] : [])])])
        printText(`P&L USD of "${r.portfolio}"${r.whatIf ? ` with what-if "${r.whatIf}"` : ''} against the ${r.underlying} index (now ${fmt(r.indexPrice, 2)})${r.volShiftPoints !== 0 ? `, vols shifted ${r.volShiftPoints > 0 ? '+' : ''}${r.volShiftPoints} pts` : ''}\n${table(head, rows)}\n${r.notes.map((n) => `note: ${n}\n`).join('')}`)
      })
    })
}
