/** `riskdesk positions` and `riskdesk greeks`: the current book, valued. */
import { Option, type Command } from 'commander'
import { AS_OF_HELP, call, parseAsOfOption, parsePortfolioName, printJson, printText, withRuntime, type GlobalOptions } from '../cliSupport'
import { GREEKS_BUCKET_BYS, type GreeksBucketBy } from '../../../../shared/greeksApi'
import { printCsv } from '../csvOutput'
import { BUCKET_CSV, POSITION_CSV, TOTALS_CSV } from '../csvTables'
import { bookValueText, bucketsText, positionsText, totalsText, valuationHeader } from '../textOutput'

export function registerBookCommands(program: Command): void {
  program
    .command('positions')
    .description('the current book with marks, values and unrealized P&L')
    .option('--portfolio <name>', 'portfolio (default: the most recently imported)', parsePortfolioName)
    .option('--as-of <when>', AS_OF_HELP, parseAsOfOption)
    .option('--json', 'print one JSON document')
    .option('--csv', 'print the positions as CSV (units in the header, plain decimals, ISO-8601 UTC)')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { portfolio?: string; asOf?: string; csv?: boolean }>()
      await withRuntime(o, async (rt) => {
        const report = await call(rt, 'getPositions', { portfolio: o.portfolio, asOf: o.asOf })
        // JSON: the API's document (`instrument` the venue's own name, `symbol` the canonical unified symbol).
        if (o.json) printJson(report)
        else if (o.csv) printCsv(POSITION_CSV, report.positions)
        else
          printText(`${valuationHeader(report)}\n${positionsText(report.positions, false)}\n${bookValueText(report.book)}\n`)
      })
    })

  program
    .command('greeks')
    .description('Greeks per underlying (default), per position, or per underlying × expiry, tenor bucket (<7d, 7–30d, 30–90d, >90d) or strike')
    .addOption(new Option('--by <level>', 'aggregation').choices(['underlying', 'position', ...GREEKS_BUCKET_BYS]).default('underlying'))
    .option('--portfolio <name>', 'portfolio (default: the most recently imported)', parsePortfolioName)
    .option('--as-of <when>', AS_OF_HELP, parseAsOfOption)
    .option('--json', 'print one JSON document')
    .option('--csv', 'print the table as CSV (units in the header, plain decimals)')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { portfolio?: string; asOf?: string; csv?: boolean; by: 'underlying' | 'position' | GreeksBucketBy }>()
      await withRuntime(o, async (rt) => {
        if (o.by !== 'underlying' && o.by !== 'position') {
          const buckets = await call(rt, 'getGreeksBuckets', { portfolio: o.portfolio, asOf: o.asOf, by: o.by })
          if (o.json) printJson(buckets)
          else if (o.csv) printCsv(BUCKET_CSV, buckets.buckets)
          else printText(`${valuationHeader(buckets)}\n${bucketsText(buckets)}\n`)
          return
        }
        const report = await call(rt, 'getPositions', { portfolio: o.portfolio, asOf: o.asOf })
        const { portfolio, valuationTime, market, positions, totals, book } = report
        if (o.json) {
          printJson(o.by === 'position' ? { portfolio, valuationTime, market, positions } : { portfolio, valuationTime, market, totals, book })
          return
        }
        if (o.csv) {
          if (o.by === 'position') printCsv(POSITION_CSV, positions)
          else printCsv(TOTALS_CSV, totals)
          return
        }
        printText(`${valuationHeader(report)}\n`)
        printText(`${o.by === 'position' ? positionsText(positions, true) : `${totalsText(totals)}\n${bookValueText(book)}`}\n`)
      })
    })
}
