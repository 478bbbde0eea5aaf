/**
 * `riskdesk` command line (commander). Every command works on the database given by `--db PATH`,
 * RISKDESK_DB, or the desktop app's per-user data directory. With `--json`, stdout holds exactly one JSON
 * document; messages go to stderr. Exit status: 0 on success, 1 on any error (an import exits 1 when any
 * file failed).
 */
import { fileURLToPath } from 'node:url'
import { Command, InvalidArgumentError, Option } from 'commander'
import type { Range } from '../../../shared/api'
import { runDemo } from '../../services/demoService'
import { ImportFailedError, importFile, listFormats, type ImportOutcome } from '../../services/importService'
import { openRuntime, type Runtime } from '../../services/runtime'
import { runStress } from '../../services/stressService'
import { valueBook } from '../../services/valuationService'
import { startWebHost } from '../web/webHost'
import { importText, positionsText, stressText, totalsText } from './textOutput'

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const RESOURCES_DIR = `${ROOT}resources`
const RENDERER_DIR = `${ROOT}out/renderer`

interface GlobalOptions {
  db?: string
  json?: boolean
}

/** Parses `FROM:TO:STEP` (numbers; percent for spot, vol points for vol). */
function parseRange(text: string): Range {
  const parts = text.split(':').map(Number)
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x)))
    throw new InvalidArgumentError(`expected FROM:TO:STEP such as -50:50:5, got "${text}"`)
  const [from, to, step] = parts as [number, number, number]
  if (!(step > 0)) throw new InvalidArgumentError('STEP must be greater than 0')
  if (to < from) throw new InvalidArgumentError('TO must be at least FROM')
  return { from, to, step }
}

function parsePositiveInt(text: string): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number ≥ 1, got "${text}"`)
  return n
}

function parsePort(text: string): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`expected a port 0–65535, got "${text}"`)
  return n
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

/** Opens the runtime, runs `work`, closes it; errors become a message (and a JSON error document). */
async function withRuntime(opts: GlobalOptions, work: (rt: Runtime) => Promise<void>, workers?: number): Promise<void> {
  let rt: Runtime | null = null
  try {
    rt = openRuntime({ dbPath: opts.db, workers })
    await work(rt)
  } catch (e) {
    const err = e as Error
    if (opts.json) printJson({ error: { name: err.name, message: err.message, ...(e instanceof ImportFailedError ? { issues: e.issues } : {}) } })
    process.stderr.write(`riskdesk: ${err.message}\n`)
    process.exitCode = 1
  } finally {
    await rt?.close()
  }
}

export function buildProgram(): Command {
  const program = new Command()
  program
    .name('riskdesk')
    .description('Offline risk for crypto-derivatives portfolios: Greeks, stress, margin, VaR.')
    .option('--db <path>', 'SQLite database file (default: RISKDESK_DB, else the desktop app data directory)')
    .showHelpAfterError()

  program
    .command('import')
    .description('import positions or market data files (format detected from the content)')
    .argument('<files...>', 'files to import; each is all-or-nothing')
    .option('--portfolio <name>', 'portfolio for positions', 'default')
    .option('--format <id>', 'skip detection (see riskdesk formats)')
    .option('--account <name>', 'account for files that name none (Deribit get_positions)')
    .option('--json', 'print one JSON document')
    .action(async (files: string[], _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { portfolio: string; format?: string; account?: string }>()
      await withRuntime(o, async (rt) => {
        const results: Array<Partial<ImportOutcome> & { file: string; errors: unknown[] }> = []
        for (const path of files) {
          try {
            const r = importFile(rt.db, path, { portfolio: o.portfolio, format: o.format, account: o.account })
            results.push({ ...r, errors: [] })
            if (!o.json) process.stdout.write(`${importText(r)}\n`)
          } catch (e) {
            if (!(e instanceof ImportFailedError)) throw e
            results.push({ file: path, status: undefined, errors: e.issues })
            process.exitCode = 1
            process.stderr.write(`${e.message}\n`)
          }
        }
        if (o.json) printJson(results)
      })
    })

  program
    .command('formats')
    .description('list the file formats riskdesk import reads')
    .option('--json', 'print one JSON document')
    .action((_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions>()
      if (o.json) printJson(listFormats())
      else for (const f of listFormats()) process.stdout.write(`${f.id.padEnd(24)} ${f.description}\n`)
    })

  program
    .command('positions')
    .description('the current book with marks, values and unrealized P&L')
    .option('--portfolio <name>', 'portfolio (default: the most recently imported)')
    .option('--json', 'print one JSON document')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { portfolio?: string }>()
      await withRuntime(o, async (rt) => {
        const report = valueBook(rt.db, o.portfolio).report
        if (o.json) printJson(report)
        else process.stdout.write(`Portfolio "${report.portfolio}", valued at ${report.valuationTime ?? '—'}\n${positionsText(report.positions, false)}\n`)
      })
    })

  program
    .command('greeks')
    .description('Greeks per underlying (default) or per position')
    .addOption(new Option('--by <level>', 'aggregation').choices(['underlying', 'position']).default('underlying'))
    .option('--portfolio <name>', 'portfolio (default: the most recently imported)')
    .option('--json', 'print one JSON document')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { portfolio?: string; by: 'underlying' | 'position' }>()
      await withRuntime(o, async (rt) => {
        const report = valueBook(rt.db, o.portfolio).report
        if (o.json) {
          printJson(o.by === 'position' ? { portfolio: report.portfolio, valuationTime: report.valuationTime, positions: report.positions } : { portfolio: report.portfolio, valuationTime: report.valuationTime, totals: report.totals })
          return
        }
        process.stdout.write(`Portfolio "${report.portfolio}", valued at ${report.valuationTime ?? '—'}\n`)
        process.stdout.write(`${o.by === 'position' ? positionsText(report.positions, true) : totalsText(report.totals)}\n`)
      })
    })

  program
    .command('stress')
    .description('full revaluation over a spot-shock × vol-shock grid on worker threads')
    .option('--spot <from:to:step>', 'spot shocks in percent', parseRange)
    .option('--vol <from:to:step>', 'vol shocks in vol points', parseRange)
    .option('--workers <n>', 'worker threads (default: one per core, at least 2)', parsePositiveInt)
    .option('--portfolio <name>', 'portfolio (default: the most recently imported)')
    .option('--json', 'print one JSON document')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { portfolio?: string; spot?: Range; vol?: Range; workers?: number }>()
      await withRuntime(
        o,
        async (rt) => {
          const result = await runStress(rt.db, rt.stressPool(), { portfolio: o.portfolio, spot: o.spot, vol: o.vol })
          if (o.json) printJson(result)
          else process.stdout.write(`${stressText(result)}\n`)
        },
        o.workers,
      )
    })

  program
    .command('serve')
    .description('serve the app and its API to a browser on 127.0.0.1, with a per-start token')
    .option('--port <n>', 'port (default: a free one)', parsePort)
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { port?: number }>()
      const rt = openRuntime({ dbPath: o.db })
      try {
        const host = await startWebHost({ api: rt.api, rendererDir: RENDERER_DIR, port: o.port })
        process.stdout.write(`Riskdesk is served at ${host.url}\n(database: ${rt.dbPath}; Ctrl+C stops)\n`)
        const stop = async () => {
          await host.close()
          await rt.close()
          process.exit(0)
        }
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
      } catch (e) {
        process.stderr.write(`riskdesk: ${(e as Error).message}\n`)
        await rt.close()
        process.exitCode = 1
      }
    })

  program
    .command('demo')
    .description('import the sample book and the real Deribit 2020-05-14 chain, show Greeks and the stress grid')
    .option('--json', 'print one JSON document')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions>()
      await withRuntime(o, async (rt) => {
        const demo = await runDemo(rt.db, rt.stressPool(), RESOURCES_DIR)
        if (o.json) {
          printJson({ database: rt.dbPath, ...demo })
          return
        }
        const out = [
          ...demo.imports.map(importText),
          '',
          `Greeks by underlying (portfolio "${demo.positions.portfolio}", valued at ${demo.positions.valuationTime}):`,
          totalsText(demo.positions.totals),
          '',
          stressText(demo.stress),
          '',
          `Database: ${rt.dbPath}`,
          'See it in the app: npm start (desktop) or npm run riskdesk -- serve (browser).',
        ]
        process.stdout.write(`${out.join('\n')}\n`)
      })
    })
  return program
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv)
}
