/**
 * What every CLI command shares: global options, argument parsers, JSON printing, and running work on a
 * runtime that is always closed, with errors turned into a message (and a JSON error document).
 */
import { existsSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { InvalidArgumentError } from 'commander'
import type { ApiInput, ApiName, ApiOutput, Range } from '../../../shared/api'
import { parseRange as parseRangeText } from '../../../shared/format'
import { parseNumberIn, RANGES, type NumberRange } from '../../../shared/ranges'
import { AS_OF_EXPECTED, parseAsOf } from '../../../shared/valuationAsOf'
import type { Runtime } from '../../services/runtime'
import { terminalSafe } from './terminalText'

/** The package's root: the nearest folder above this module with a package.json (src/main/hosts/cli/ when
 * run from the sources, out/cli/ when built). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir)
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`)
    dir = up
  }
  return dir
}
const ROOT = packageRoot()
/** The repository's resources/ directory (demo data, tables). */
export const RESOURCES_DIR = join(ROOT, 'resources')
/** The built renderer served by `riskdesk serve`. */
export const RENDERER_DIR = join(ROOT, 'out', 'renderer')

/** Help text of every `--as-of` option (valuationAsOf.ts). */
export const AS_OF_HELP =
  "market data to value against: latest, a date YYYY-MM-DD (data known by its end, UTC) or an instant 2020-05-14T06:00:00Z (default: as of the book's latest import)"

/** Checks an `--as-of` value (valuationAsOf.ts); the service resolves it against the clock. */
export function parseAsOfOption(text: string): string {
  if (parseAsOf(text) === null) throw new InvalidArgumentError(`expected ${AS_OF_EXPECTED}`)
  return text
}

/**
 * Calls the typed API as the web host and the desktop app do (services/riskdeskApi.ts `dispatch`): the input is
 * validated by the call's schema, and the output is the API's own document, so `--json` prints exactly what
 * the other hosts receive.
 * @throws ApiRequestError for invalid input; whatever the call throws
 */
export async function call<K extends ApiName>(rt: Runtime, name: K, input: ApiInput<K>): Promise<ApiOutput<K>> {
  // Loaded on use, like the runtime: `riskdesk --help` never loads the services.
  const { dispatch } = await import('../../services/riskdeskApi')
  return (await dispatch(rt.api, name, input)) as ApiOutput<K>
}

export interface GlobalOptions {
  db?: string
  json?: boolean
}

/** Parses `FROM:TO:STEP` (shared/format.ts; percent for spot, vol points for vol), ends inside `bounds`. */
export function parseRange(text: string, bounds?: NumberRange): Range {
  const r = parseRangeText(text, bounds)
  if (!r.ok) throw new InvalidArgumentError(r.message)
  return r.range
}

/** `--spot FROM:TO:STEP` in percent, each end > −100 % and ≤ +1000 %. */
export const parseSpotRange = (text: string): Range => parseRange(text, RANGES.spotShockPercent)
/** `--vol FROM:TO:STEP` in vol points, each end within ±1000. */
export const parseVolRange = (text: string): Range => parseRange(text, RANGES.volShockPoints)

/** A commander parser for a number inside `r` (shared/ranges.ts); the refusal names the range. */
export function numberOption(r: NumberRange): (text: string) => number {
  return (text) => {
    const n = parseNumberIn(text, r)
    if (!n.ok) throw new InvalidArgumentError(n.message)
    return n.value
  }
}

/** A `--portfolio` name: not empty or blank, no control characters (the API refuses an empty name too). */
export function parsePortfolioName(text: string): string {
  if (text.trim() === '') throw new InvalidArgumentError('expected a portfolio name, got an empty one')
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(text)) throw new InvalidArgumentError('a portfolio name cannot hold control characters (escape sequences, line breaks)')
  if (text.length > 200) throw new InvalidArgumentError(`a portfolio name has at most 200 characters (got ${text.length})`)
  return text
}

export function parsePositiveInt(text: string): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number ≥ 1, got "${text}"`)
  return n
}

export function parsePort(text: string): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`expected a port 0–65535, got "${text}"`)
  return n
}

/** Writes CLI text to stdout with control characters from files escaped (terminalText.ts). */
export function printText(text: string): void {
  process.stdout.write(terminalSafe(text))
}

/** Writes a message to stderr with control characters escaped. */
export function printError(text: string): void {
  process.stderr.write(terminalSafe(text))
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

/** A zod error's message is its issues as raw JSON: say each as `path: message` instead. */
function readable(err: Error): Error {
  const issues = (err as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues
  if (err.name !== 'ZodError' || !Array.isArray(issues)) return err
  const e = new Error(`invalid input: ${issues.map((i) => `${i.path.map(String).join('.') || '(input)'}: ${i.message}`).join('; ')}`)
  e.name = 'InvalidInput'
  return e
}

/** This command as another process waiting for its write is told it: `riskdesk import trades.csv` (no --db, file names only). */
export function commandLine(): string {
  const args = process.argv.slice(2)
  const shown: string[] = []
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--db') i++
    else if (!args[i]!.startsWith('--db=')) shown.push(basename(args[i]!))
  }
  return ['riskdesk', ...shown].join(' ').slice(0, 120)
}

/**
 * Opens the runtime, runs `work`, closes it; errors become a message (and a JSON error document). The
 * services are imported here, when a command runs, not when this module loads, so that `--help` and a
 * command that needs few of them do not load them all.
 */
export async function withRuntime(opts: GlobalOptions, work: (rt: Runtime) => Promise<void>, workers?: number): Promise<void> {
  let rt: Runtime | null = null
  try {
    const { openRuntime } = await import('../../services/runtime')
    rt = openRuntime({ dbPath: opts.db, workers, onWriteWait: (message) => process.stderr.write(`riskdesk: ${message}\n`), writerName: commandLine() })
    await work(rt)
  } catch (e) {
    const err = readable(e as Error)
    if (opts.json) {
      const { ImportFailedError } = await import('../../services/importService')
      printJson({ error: { name: err.name, message: err.message, ...(e instanceof ImportFailedError ? { issues: e.issues } : {}) } })
    }
    printError(`riskdesk: ${err.message}\n`)
    process.exitCode = 1
  } finally {
    await rt?.close()
  }
}
