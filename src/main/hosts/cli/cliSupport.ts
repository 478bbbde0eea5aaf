/**
 * What every CLI command shares: global options, argument parsers, JSON printing, and running work on a
 * runtime that is always closed, with errors turned into a message (and a JSON error document).
 */
import { fileURLToPath } from 'node:url'
import { InvalidArgumentError } from 'commander'
import type { Range } from '../../../shared/api'
import { ImportFailedError } from '../../services/importService'
import { openRuntime, type Runtime } from '../../services/runtime'

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
/** The repository's resources/ directory (demo data, tables). */
export const RESOURCES_DIR = `${ROOT}resources`
/** The built renderer served by `riskdesk serve`. */
export const RENDERER_DIR = `${ROOT}out/renderer`

export interface GlobalOptions {
  db?: string
  json?: boolean
}

/** Parses `FROM:TO:STEP` (numbers; percent for spot, vol points for vol). */
export function parseRange(text: string): Range {
  const parts = text.split(':').map(Number)
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x)))
    throw new InvalidArgumentError(`expected FROM:TO:STEP such as -50:50:5, got "${text}"`)
  const [from, to, step] = parts as [number, number, number]
  if (!(step > 0)) throw new InvalidArgumentError('STEP must be greater than 0')
  if (to < from) throw new InvalidArgumentError('TO must be at least FROM')
  return { from, to, step }
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

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

/** Opens the runtime, runs `work`, closes it; errors become a message (and a JSON error document). */
export async function withRuntime(opts: GlobalOptions, work: (rt: Runtime) => Promise<void>, workers?: number): Promise<void> {
  let rt: Runtime | null = null
  try {
    rt = openRuntime({ dbPath: opts.db, workers })
    await work(rt)
  } catch (e) {
    const err = e as Error
    if (opts.json)
      printJson({ error: { name: err.name, message: err.message, ...(e instanceof ImportFailedError ? { issues: e.issues } : {}) } })
    process.stderr.write(`riskdesk: ${err.message}\n`)
    process.exitCode = 1
  } finally {
    await rt?.close()
  }
}
