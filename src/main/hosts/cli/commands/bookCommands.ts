/** `riskdesk positions` and `riskdesk greeks`: the current book, valued. */
import { Option, type Command } from 'commander'
import { AS_OF_HELP, call, parseAsOfOption, parsePortfolioName, printJson, printText, withRuntime, type GlobalOptions } from '../cliSupport'
import { bookValueText, positionsText, totalsText, valuationHeader } from '../textOutput'

export function registerBookCommands(program: Command): void {
  program
    .command('positions')
    .description('the current book with marks, values and unrealized P&L')
    .option('--portfolio <name>', 'portfolio (default: the most recently imported)', parsePortfolioName)
    .option('--as-of <when>', AS_OF_HELP, parseAsOfOption)
    .option('--json', 'print one JSON document')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { portfolio?: string; asOf?: string }>()
      await withRuntime(o, async (rt) => {
        const report = await call(rt, 'getPositions', { portfolio: o.portfolio, asOf: o.asOf })
        // JSON: the API's document (`instrument` the venue's own name, `symbol` the canonical unified symbol).
        if (o.json) printJson(report)
        else
          printText(`${valuationHeader(report)}\n${positionsText(report.positions, false)}\n${bookValueText(report.book)}\n`)
      })
    })

  program
    .command('greeks')
    .description('Greeks per underlying (default) or per position')
    .addOption(new Option('--by <level>', 'aggregation').choices(['underlying', 'position']).default('underlying'))
    .option('--portfolio <name>', 'portfolio (default: the most recently imported)', parsePortfolioName)
    .option('--as-of <when>', AS_OF_HELP, parseAsOfOption)
    .option('--json', 'print one JSON document')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { portfolio?: string; asOf?: string; by: 'underlying' | 'position' }>()
      await withRuntime(o, async (rt) => {
        const report = await call(rt, 'getPositions', { portfolio: o.portfolio, asOf: o.asOf })
        const { portfolio, valuationTime, market, positions, totals, book } = report
        if (o.json) {
          printJson(o.by === 'position' ? { portfolio, valuationTime, market, positions } : { portfolio, valuationTime, market, totals, book })
          return
        }
        printText(`${valuationHeader(report)}\n`)
        printText(`${o.by === 'position' ? positionsText(positions, true) : `${totalsText(totals)}\n${bookValueText(book)}`}\n`)
      })
    })
}
