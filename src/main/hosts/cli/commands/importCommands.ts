/**
 * `riskdesk import`, `riskdesk formats`, `riskdesk imports` (history) and `riskdesk mapping …`.
 *
 * import FILE... [--format ID] [--map NAME|FILE] [--portfolio NAME] [--account NAME] [--utc-offset OFFSET]
 *   [--underlying COIN] [--quote CCY] [--venue ID] [--currency CCY] [--specs FILE] [--dry-run] [--json]
 * prints per file {file, format, status, rows, positions, skipped, errors:[{line, column, value, message}], …}
 * and exits 1 when any file failed. Each file is all-or-nothing.
 */
import { readJsonFile } from '../../../services/localFiles'
import { basename } from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import type { ApiInput } from '../../../../shared/api'
import type { ImportResult } from '../../../../shared/importApi'
import type { ImportOptions } from '../../../services/importService'
import { call, parsePortfolioName, printError, printJson, printText, withRuntime, type GlobalOptions } from '../cliSupport'
import { importHistoryText, importReportText } from '../textOutput'

interface ImportCliOptions extends GlobalOptions {
  portfolio: string
  format?: string
  map?: string
  account?: string
  utcOffset?: string
  underlying?: string
  quote?: string
  venue?: string
  currency?: string
  snapshotTime?: string
  dateOrder?: string
  specs?: string
  dryRun?: boolean
}

/** `--date-order`: day-first or month-first (dmy / mdy accepted). @throws InvalidArgumentError otherwise. */
function dateOrderOption(v: string | undefined): 'day-first' | 'month-first' | undefined {
  if (v === undefined) return undefined
  const x = v.toLowerCase()
  if (x === 'day-first' || x === 'dmy') return 'day-first'
  if (x === 'month-first' || x === 'mdy') return 'month-first'
  throw new InvalidArgumentError(`--date-order: expected day-first or month-first, got "${v}"`)
}

/** What these commands run on, imported when one of them runs: `riskdesk --help` does not load the importers. */
async function services() {
  const modules = await Promise.all([
    import('../../../services/contractSpecService'),
    import('../../../services/importResult'),
    import('../../../services/importService'),
    import('../../../services/mappingService'),
  ])
  return Object.assign({}, ...modules) as (typeof modules)[0] & (typeof modules)[1] & (typeof modules)[2] & (typeof modules)[3]
}

/**
 * The CLI's JSON for one file: the import's record (shared/importApi.ts `importResult`) under the names the
 * command has always printed (README "CLI reference"): {file, format, status, rows, positions, skipped,
 * errors} first, counts where the record has lists, the lists after them (skippedRows, positionList, balanceList).
 */
function cliJson(r: ImportResult) {
  return {
    file: r.fileName,
    format: r.format,
    status: r.status,
    rows: r.rows,
    positions: r.positions.length,
    skipped: r.skippedCount,
    errors: r.errors.map((e) => ({ line: e.line, column: e.column, value: e.value, message: e.message })),
    errorCount: r.errorCount,
    content: r.content,
    importId: r.importId,
    fills: r.fills,
    ledgerEntries: r.ledgerEntries,
    balances: r.balances.length,
    quotes: r.quotes,
    closes: r.closes,
    duplicateRows: r.duplicateRows,
    duplicateOf: r.duplicateOf,
    encoding: r.encoding,
    delimiter: r.delimiter,
    asOf: r.asOf,
    notes: r.notes,
    skippedRows: r.skipped,
    positionList: r.positions,
    balanceList: r.balances,
  }
}

/** Registers `import`, `formats`, `imports` and `mapping list|save|delete` (README "CLI reference", docs/importers.md). */
export function registerImportCommands(program: Command): void {
  program
    .command('import')
    .description('import positions, trade logs, balances or market data (format detected from the content)')
    .argument('<files...>', 'files to import; each is all-or-nothing')
    .option('--portfolio <name>', 'portfolio for positions, trades and balances', parsePortfolioName, 'default')
    .option('--format <id>', 'skip detection (see riskdesk formats)')
    .option('--map <name|file>', 'read the file through a column mapping (saved name, or a JSON file)')
    .option('--account <name>', 'account for files that name none (API dumps, logs); default main')
    .option('--utc-offset <offset>', 'UTC offset of times written without a zone, e.g. +08:00, UTC-6, Z')
    .option('--underlying <coin>', 'underlying of a price file without a symbol column, e.g. BTC')
    .option('--quote <ccy>', 'quote currency of such a price file (default USD)')
    .option('--venue <id>', 'venue of a ccxt positions dump (deribit, binance, bybit, okx, bitmex)')
    .option('--currency <ccy>', 'currency of a Deribit transaction log whose file name does not say it')
    .option('--snapshot-time <iso>', 'instant a snapshot without its own time stands for (Hyperliquid 2023 clearinghouseState; dYdX indexer address, positions and markets responses), e.g. 2023-03-27T12:00:00Z')
    .option('--date-order <order>', 'day/month order of locale dates (Hyperliquid UI CSV exports): day-first or month-first')
    .option('--specs <file>', 'your contract-spec table (default: contract-specs.json beside the database)')
    .option('--dry-run', 'read and check everything, write nothing')
    .option('--json', 'print one JSON document')
    .action(async (files: string[], _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<ImportCliOptions>()
      await withRuntime(o, async (rt) => {
        const { loadContractSpecs, ContractSpecTableError, resolveMapping, formatOfMapping, MappingError, ImportFailedError, failedResult, importSourceAsync } =
          await services()
        let specs
        try {
          specs = loadContractSpecs(o.specs, rt.dbPath)
        } catch (e) {
          if (e instanceof ContractSpecTableError) throw new InvalidArgumentError(e.message)
          throw e
        }
        const base: ImportOptions = {
          portfolio: o.portfolio, format: o.format, account: o.account, utcOffset: o.utcOffset, underlying: o.underlying,
          quoteCurrency: o.quote, venue: o.venue, currency: o.currency, snapshotTime: o.snapshotTime, dateOrder: dateOrderOption(o.dateOrder), specs, host: 'cli',
        }
        const reports: ImportResult[] = []
        for (const path of files) {
          let options = base
          if (o.map) {
            try {
              const { name, mapping } = resolveMapping(rt.db, o.map)
              formatOfMapping(name, mapping, path)
              options = { ...base, format: undefined, mapping: { name, mapping } }
            } catch (e) {
              if (!(e instanceof MappingError) && !(e instanceof ImportFailedError)) throw e
              const message = e instanceof ImportFailedError ? e.issues.map((i) => i.message).join('; ') : e.message
              reports.push(failedResult(path, [{ file: path, line: null, column: null, message }]))
              printError(`${message}\n`)
              continue
            }
          }
          // Files of 16 MB or more are read on the import thread, written from this thread's event loop.
          const r = await importSourceAsync(rt.db, { path, fileName: basename(path) }, options, o.dryRun === true)
          reports.push(r)
          if (!o.json) printText(`${importReportText(r)}\n`)
          if (!r.ok) printError(`${r.errors.slice(0, 20).map((e) => `${e.file}${e.line !== null ? `, line ${e.line}` : ''}${e.column !== null ? `, column ${e.column}` : ''}: ${e.message}${e.value !== undefined ? ` (found "${e.value}")` : ''}`).join('\n')}\n`)
        }
        if (reports.some((r) => !r.ok)) process.exitCode = 1
        if (o.json) printJson(reports.map(cliJson))
      })
    })

  program
    .command('formats')
    .description('list the file formats riskdesk import reads')
    .option('--json', 'print one JSON document')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions>()
      const { listFormats } = await services()
      if (o.json) printJson(listFormats())
      else for (const f of listFormats()) printText(`${f.id.padEnd(30)} ${f.description}\n`)
    })

  program
    .command('imports')
    .description('the import history: who imported what, when, with which options, and what came of it')
    .option('--portfolio <name>', 'only this portfolio', parsePortfolioName)
    .option('--limit <n>', 'at most this many (newest first)', (s) => Number(s), 50)
    .option('--json', 'print one JSON document')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { portfolio?: string; limit: number }>()
      await withRuntime(o, async (rt) => {
        const list = await call(rt, 'listImports', { portfolio: o.portfolio, limit: o.limit })
        if (o.json) printJson(list)
        else printText(`${importHistoryText(list)}\n`)
      })
    })

  const mapping = program.command('mapping').description('saved column mappings for generic CSVs')
  mapping
    .command('list')
    .option('--json', 'print one JSON document')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions>()
      await withRuntime(o, async (rt) => {
        const list = await call(rt, 'listMappings', {})
        if (o.json) printJson(list)
        else for (const m of list) printText(`${m.name.padEnd(24)} ${m.mapping.target}: ${Object.entries(m.mapping.columns).map(([k, v]) => `${k}←${v}`).join(', ')}\n`)
      })
    })
  mapping
    .command('save')
    .argument('<name>', 'name to save it under')
    .argument('<file>', 'the mapping as JSON (docs/importers.md, "Column mappings")')
    .action(async (name: string, file: string, _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions>()
      await withRuntime(o, async (rt) => {
        const saved = await call(rt, 'saveMapping', { name, mapping: readJsonFile(file, { allowTrailingComma: true }) as ApiInput<'saveMapping'>['mapping'] })
        printText(`saved mapping "${saved.name}" (${saved.mapping.target})\n`)
      })
    })
  mapping
    .command('delete')
    .argument('<name>')
    .action(async (name: string, _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions>()
      await withRuntime(o, async (rt) => {
        printText((await call(rt, 'deleteMapping', { name })).deleted ? `deleted "${name}"\n` : `no mapping "${name}"\n`)
      })
    })
}
