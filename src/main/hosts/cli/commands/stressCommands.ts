/** `riskdesk stress`: full revaluation over a scenario grid on worker threads. */
import type { Command } from 'commander'
import type { Range } from '../../../../shared/api'
import { runStress } from '../../../services/stressService'
import { parsePositiveInt, parseRange, printJson, withRuntime, type GlobalOptions } from '../cliSupport'
import { stressText } from '../textOutput'

export function registerStressCommands(program: Command): void {
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
}
