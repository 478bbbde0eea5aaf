/** `riskdesk import` and `riskdesk formats`. */
import type { Command } from 'commander'
import { ImportFailedError, importFile, listFormats, type ImportOutcome } from '../../../services/importService'
import { printJson, withRuntime, type GlobalOptions } from '../cliSupport'
import { importText } from '../textOutput'

export function registerImportCommands(program: Command): void {
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
}
