/**
 * `riskdesk price` and `riskdesk iv`: pricing and implied volatility for checking and scripting. Both read
 * JSON Lines on stdin (one option per line; blank lines are skipped) and write exactly one JSON line per
 * input line on stdout, in order. A line that cannot be parsed or priced yields {"error": "..."} on its
 * own output line and the rest go on; the exit status is 0 once stdin is consumed. Neither command opens the
 * database.
 *
 *   price: {"model":"black76"|"black_scholes"|"black_scholes_merton"|"inverse_black76", "type":"call"|"put",
 *           "F" (black76, inverse_black76) or "S" (black_scholes*), "K", "T" (years), "r", "q", "sigma"}
 *       → {"price","delta","gamma","vega","theta","rho","vanna","volga","charm"} (+ "priceCoin","deltaCoin"
 *         for inverse_black76); units: price USD; delta per unit of F (or S); gamma per USD; vega and vanna
 *         per vol point; volga per (vol point)²; theta and charm per calendar day; rho per 1%.
 *   iv:    {"model","type","F" or "S","K","T","r","q","price"} (price in USD; "priceCoin" accepted for
 *           inverse_black76) → {"sigma"} (decimal) or {"error"}.
 * Rates, q and sigma are decimals; r and q default to 0.
 *
 * `riskdesk surface [--underlying BTC] [--json]` fits the volatility surface of the latest market snapshot
 * with option quotes (read-only on the database) and prints per-expiry fit RMSE and arbitrage flags.
 */
import { createInterface } from 'node:readline'
import type { Command } from 'commander'
import { z } from 'zod'
import { black76 } from '../../domain/pricing/black76'
import { blackScholes, blackScholesMerton } from '../../domain/pricing/blackScholes'
import { tryImpliedVolBlack76, tryImpliedVolInverse, type ImpliedVolResult } from '../../domain/pricing/impliedVol'
import { inverseOption } from '../../domain/pricing/inverseOption'
import { surfaceReport, type SurfaceReportResult } from '../../services/surfaceService'
import { printJson, withRuntime, type GlobalOptions } from './cliSupport'

const MODELS = ['black76', 'black_scholes', 'black_scholes_merton', 'inverse_black76'] as const
type Model = (typeof MODELS)[number]

const finite = z.number().refine(Number.isFinite, { message: 'expected a finite number' })
const common = {
  model: z.enum(MODELS, { message: `expected model ${MODELS.join(' | ')}` }),
  type: z.enum(['call', 'put'], { message: 'expected type call | put' }),
  F: finite.optional(),
  S: finite.optional(),
  K: finite,
  T: finite,
  r: finite.optional(),
  q: finite.optional(),
}
const priceSchema = z.object({ ...common, sigma: finite }).strict()
const ivSchema = z.object({ ...common, price: finite.optional(), priceCoin: finite.optional() }).strict()

function underlying(model: Model, F: number | undefined, S: number | undefined): number {
  const spotModel = model === 'black_scholes' || model === 'black_scholes_merton'
  const [want, got, other] = spotModel ? ['S', S, F] : ['F', F, S]
  if (other !== undefined) throw new Error(`${model} takes "${want}", not "${spotModel ? 'F' : 'S'}"`)
  if (got === undefined) throw new Error(`${model} needs "${want}"`)
  return got
}

/** Prices one parsed input line; throws with a message for anything invalid. */
export function priceLine(input: unknown): Record<string, number> {
  const o = priceSchema.parse(input)
  const u = underlying(o.model, o.F, o.S)
  if (o.model !== 'black_scholes_merton' && o.model !== 'black_scholes' && o.q !== undefined && o.q !== 0)
    throw new Error(`${o.model} takes no dividend yield "q"`)
  const pick = (g: { price: number; delta: number; gamma: number; vega: number; theta: number; rho: number; vanna: number; volga: number; charm: number }) => ({
    price: g.price,
    delta: g.delta,
    gamma: g.gamma,
    vega: g.vega,
    theta: g.theta,
    rho: g.rho,
    vanna: g.vanna,
    volga: g.volga,
    charm: g.charm,
  })
  switch (o.model) {
    case 'black76':
      return pick(black76({ type: o.type, F: u, K: o.K, T: o.T, r: o.r, sigma: o.sigma }))
    case 'inverse_black76': {
      const g = inverseOption({ type: o.type, F: u, K: o.K, T: o.T, r: o.r, sigma: o.sigma })
      return { ...pick(g), priceCoin: g.priceCoin, deltaCoin: g.deltaCoin }
    }
    case 'black_scholes':
      if (o.q !== undefined && o.q !== 0) throw new Error('black_scholes takes no dividend yield; use black_scholes_merton')
      return pick(blackScholes({ type: o.type, S: u, K: o.K, T: o.T, r: o.r, sigma: o.sigma }))
    case 'black_scholes_merton':
      return pick(blackScholesMerton({ type: o.type, S: u, K: o.K, T: o.T, r: o.r, q: o.q, sigma: o.sigma }))
  }
}

/** Implied vol of one parsed input line; throws with a message for anything invalid or unsolvable. */
export function ivLine(input: unknown): { sigma: number } {
  const o = ivSchema.parse(input)
  const u = underlying(o.model, o.F, o.S)
  const r = o.r ?? 0
  let res: ImpliedVolResult
  if (o.model === 'inverse_black76') {
    if ((o.price === undefined) === (o.priceCoin === undefined))
      throw new Error('inverse_black76 needs exactly one of "price" (USD) or "priceCoin"')
    res =
      o.priceCoin !== undefined
        ? tryImpliedVolInverse({ type: o.type, F: u, K: o.K, T: o.T, r, priceCoin: o.priceCoin })
        : tryImpliedVolBlack76({ type: o.type, F: u, K: o.K, T: o.T, r, price: o.price! })
  } else {
    if (o.priceCoin !== undefined) throw new Error(`${o.model} takes "price" (USD), not "priceCoin"`)
    if (o.price === undefined) throw new Error(`${o.model} needs "price"`)
    if (o.model === 'black76') {
      if (o.q !== undefined && o.q !== 0) throw new Error('black76 takes no dividend yield "q"')
      res = tryImpliedVolBlack76({ type: o.type, F: u, K: o.K, T: o.T, r, price: o.price })
    } else {
      const q = o.q ?? 0
      if (o.model === 'black_scholes' && q !== 0) throw new Error('black_scholes takes no dividend yield; use black_scholes_merton')
      if (!(u > 0)) throw new Error(`S = ${u}: expected a spot > 0`)
      // BSM is Black-76 on F = S·e^((r−q)T) with discount e^(−rT).
      res = tryImpliedVolBlack76({ type: o.type, F: u * Math.exp((r - q) * o.T), K: o.K, T: o.T, r, price: o.price })
    }
  }
  if (!res.ok) throw new Error(`${res.reason}: ${res.message}`)
  return { sigma: res.sigma }
}

function message(e: unknown): string {
  if (e instanceof z.ZodError) return e.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')
  if (e instanceof SyntaxError) return `not JSON: ${e.message}`
  return e instanceof Error ? e.message : String(e)
}

/** Reads JSON Lines from stdin and writes one JSON line per non-blank input line. */
async function processLines(handle: (input: unknown) => unknown): Promise<void> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity })
  for await (const line of rl) {
    if (line.trim() === '') continue
    let out: unknown
    try {
      out = handle(JSON.parse(line))
    } catch (e) {
      out = { error: message(e) }
    }
    process.stdout.write(`${JSON.stringify(out)}\n`)
  }
}

function surfaceText(r: SurfaceReportResult): string {
  const lines = [`Volatility surface of ${r.venue} snapshot ${r.snapshotId} (as of ${r.asOf})`]
  for (const u of r.underlyings) {
    lines.push('', `${u.underlying}: valued at ${u.valuationTime}${u.indexPrice === null ? '' : `, index ${u.indexPrice}`}`)
    lines.push('  expiry        days   forward  quotes  RMSE vp  vega-wtd vp  max vp  arbitrage')
    for (const e of u.expiries) {
      const flags = [e.butterfly ? `butterfly g=${e.butterfly.g.toExponential(2)} at k=${e.butterfly.k.toFixed(3)}` : '', e.calendar ? `calendar vs ${e.calendar.nextExpiry.slice(0, 10)} at k=${e.calendar.k.toFixed(3)}` : '']
        .filter(Boolean)
        .join('; ')
      lines.push(
        `  ${e.expiry.slice(0, 10)}  ${(e.T * 365).toFixed(2).padStart(7)}  ${e.forward.toFixed(2).padStart(8)}  ${String(e.quotes).padStart(6)}  ${e.rmseVolPoints.toFixed(2).padStart(7)}  ${e.vegaWeightedRmseVolPoints.toFixed(2).padStart(11)}  ${e.maxAbsErrorVolPoints.toFixed(2).padStart(6)}  ${flags || 'none'}`,
      )
    }
    for (const x of u.unfitted) lines.push(`  ${x.expiry.slice(0, 10)}: not fitted (${x.quotes} usable quotes)`)
    lines.push(`  ${u.excluded.length} quotes not fitted (in-the-money duplicates of a strike, or no price information); --json lists them`)
  }
  return lines.join('\n')
}

/** Adds `riskdesk price`, `riskdesk iv` and `riskdesk surface` to the program (see the module docstring). */
export function registerPricingCommands(program: Command): void {
  program
    .command('price')
    .description('price options from JSON Lines on stdin: Black-76, Black-Scholes(-Merton), Deribit inverse (one JSON line out per line in)')
    .addHelpText(
      'after',
      '\nInput, one per line: {"model":"black76"|"black_scholes"|"black_scholes_merton"|"inverse_black76","type":"call"|"put",' +
        '"F" or "S","K","T","r","q","sigma"}\nOutput: {"price","delta","gamma","vega","theta","rho","vanna","volga","charm"} ' +
        '(+"priceCoin","deltaCoin" for inverse_black76), or {"error"}.\nUnits: T years; r, q, sigma decimals; vega, vanna per vol point; ' +
        'theta, charm per day; rho per 1%.\n',
    )
    .action(async () => {
      await processLines(priceLine)
    })

  program
    .command('iv')
    .description('implied volatility from JSON Lines on stdin (one JSON line out per line in)')
    .addHelpText(
      'after',
      '\nInput, one per line: {"model","type","F" or "S","K","T","r","q","price"} (price in USD; "priceCoin" for inverse_black76)\n' +
        'Output: {"sigma"} (decimal) or {"error"} (e.g. "below-intrinsic: …").\n',
    )
    .action(async () => {
      await processLines(ivLine)
    })

  program
    .command('surface')
    .description('fit the volatility surface of the latest option snapshot: per-expiry RMSE (vol points) and arbitrage flags')
    .option('--underlying <coin>', 'only this underlying (default: all in the snapshot)')
    .option('--json', 'print one JSON document')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { underlying?: string }>()
      await withRuntime(o, async (rt) => {
        const report = surfaceReport(rt.db, o.underlying)
        if (o.json) printJson(report)
        else process.stdout.write(`${surfaceText(report)}\n`)
      })
    })
}
