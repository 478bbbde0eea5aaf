/**
 * `riskdesk price` and `riskdesk iv`: pricing and implied volatility for checking and scripting
 * (services/pricingService.ts: inputs, outputs and units). Both read JSON Lines on stdin (one option per line;
 * blank lines are skipped) and write exactly one JSON line per input line on stdout, in order. A line that
 * cannot be parsed or priced yields {"error": "..."} on its own output line and the rest go on; the exit
 * status is 0 once stdin is consumed. Neither command opens the database.
 *
 * `riskdesk surface [--underlying BTC] [--json]` fits the volatility surface of the latest market snapshot
 * with option quotes (read-only on the database) and prints per-expiry fit RMSE and arbitrage flags.
 */
import { createInterface } from 'node:readline'
import type { Command } from 'commander'
import { z } from 'zod'
import type { VolSurfaceReport } from '../../../shared/surfaceApi'
import { call, printJson, printText, withRuntime, type GlobalOptions } from './cliSupport'

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

function surfaceText(r: VolSurfaceReport): string {
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
      await processLines((await import('../../services/pricingService')).priceLine)
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
      await processLines((await import('../../services/pricingService')).ivLine)
    })

  program
    .command('surface')
    .description('fit the volatility surface of the latest option snapshot: per-expiry RMSE (vol points) and arbitrage flags')
    .option('--underlying <coin>', 'only this underlying (default: all in the snapshot)')
    .option('--json', 'print one JSON document')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { underlying?: string }>()
      await withRuntime(o, async (rt) => {
        const report = await call(rt, 'getVolSurface', { underlying: o.underlying })
        if (o.json) printJson(report)
        else printText(`${surfaceText(report)}\n`)
      })
    })
}
