/**
 * `riskdesk stress` (full revaluation over a scenario set on worker threads), `riskdesk scenarios`
 * (saved scenario sets) and `riskdesk stress-settings` (beta and liquidity tables).
 */
import { Option, type Command } from 'commander'
import { z } from 'zod'
import { scenarioSchema } from '../../../../shared/scenario'
import type { ApiInput } from '../../../../shared/api'
import { AGGREGATIONS, BUILTIN_SET_LABELS, BUILTIN_SETS, savedSet, type Range, type StressRequest, type StressResult } from '../../../../shared/stressApi'
import { AS_OF_HELP, call, numberOption, parseAsOfOption, parsePortfolioName, parsePositiveInt, parseSpotRange, parseVolRange, printJson, printText, withRuntime, type GlobalOptions } from '../cliSupport'
import { RANGES } from '../../../../shared/ranges'
import { followJob, STRESS_JOB } from '../followJob'
import { readJsonFile } from '../../../services/localFiles'
import { printCsv } from '../csvOutput'
import { stressCurvesCsv, stressGridCsv, stressScenariosCsv } from '../csvTables'
import { stressText } from '../textOutput'

interface StressOptions extends GlobalOptions {
  portfolio?: string
  asOf?: string
  set: string
  spot?: Range
  vol?: Range
  horizon?: number
  horizons?: Array<number | null>
  liquidity: 'on' | 'off'
  by: (typeof AGGREGATIONS)[number]
  volRule?: 'sticky-strike' | 'sticky-moneyness'
  workers?: number
  csv?: boolean
}

const parseDays = numberOption(RANGES.horizonDays)

function parseHorizons(text: string): Array<number | null> {
  return text.split(',').map((h) => (h.trim() === 'expiry' ? null : parseDays(h.trim())))
}

/** A JSON file holding one scenario or a scenario set. @throws Error naming the file and what is wrong */
function readScenarioFile(path: string): z.infer<typeof savedSet> {
  const json = readJsonFile(path)
  // A file with a `scenarios` array is a set; anything else must be one scenario.
  const isSet = typeof json === 'object' && json !== null && 'scenarios' in json
  const parsed = isSet ? savedSet.safeParse(json) : scenarioSchema.safeParse(json)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
    throw new Error(`${path}: not a valid ${isSet ? 'scenario set' : 'scenario'}: ${issues}`)
  }
  if (isSet) return parsed.data as z.infer<typeof savedSet>
  const scenario = parsed.data as z.infer<typeof scenarioSchema>
  return { name: scenario.name, description: scenario.description, scenarios: [scenario] }
}

/** The run as CSV: its grid, its curves, or its scenarios. */
function stressCsv(s: StressResult): void {
  if (s.pnlUsd && s.spotShocks && s.volShocks) {
    const g = stressGridCsv(s)
    printCsv(g.columns, g.rows)
  } else if (s.curves) {
    const c = stressCurvesCsv(s)
    printCsv(c.columns, c.rows)
  } else printCsv(stressScenariosCsv(s), s.scenarios)
}

export function registerStressCommands(program: Command): void {
  program
    .command('stress')
    .description('full revaluation of the book over a scenario set, on worker threads')
    .option('--set <name>', 'grid | span16 | pm | historical | horizons | oracle-lag | stablecoin-depeg | a saved set (riskdesk scenarios list)', 'grid')
    .option('--spot <from:to:step>', 'grid and horizons: spot shocks in percent (default -50:50:5)', parseSpotRange)
    .option('--vol <from:to:step>', 'grid: vol shocks in vol points (default -30:50:10)', parseVolRange)
    .option('--horizon <days>', 'days that pass in every scenario', parseDays)
    .option('--horizons <list>', 'horizons set: days per curve, "expiry" for each option at its expiry (default 0,1,7,expiry)', parseHorizons)
    .addOption(new Option('--liquidity <on|off>', 'subtract close-out costs (liquidity gap)').choices(['on', 'off']).default('off'))
    .addOption(new Option('--by <level>', 'aggregation of the per-group series').choices([...AGGREGATIONS]).default('underlying'))
    .addOption(new Option('--vol-rule <rule>', 'vol rule for every scenario').choices(['sticky-strike', 'sticky-moneyness']))
    .option('--workers <n>', 'worker threads (default: one per core, at least 2)', parsePositiveInt)
    .option('--portfolio <name>', 'portfolio (default: the most recently imported)', parsePortfolioName)
    .option('--as-of <when>', AS_OF_HELP, parseAsOfOption)
    .option('--json', 'print one JSON document')
    .option('--csv', 'print CSV: the spot × vol grid (grid set), the P&L curves (horizons) or one row per scenario')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<StressOptions>()
      const request: StressRequest = {
        portfolio: o.portfolio,
        asOf: o.asOf,
        set: o.set,
        spot: o.spot,
        vol: o.vol,
        horizonDays: o.horizon,
        horizons: o.horizons,
        liquidity: o.liquidity === 'on',
        by: o.by,
        volRule: o.volRule,
        workers: o.workers,
      }
      await withRuntime(
        o,
        async (rt) => {
          // As the app does: start a job, follow its progress, cancel it on Ctrl+C (API startStress,
          // getStressJob, cancelStress).
          const result = await followJob(rt, STRESS_JOB, request, 'stress', !o.json && process.stderr.isTTY)
          if (o.json) printJson(result)
          else if (o.csv) stressCsv(result)
          else printText(`${stressText(result)}\n`)
        },
        o.workers,
      )
    })

  const scenarios = program.command('scenarios').description('saved scenario sets: list, show, save, delete')
  scenarios
    .command('list')
    .option('--json', 'print one JSON document')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions>()
      await withRuntime(o, async (rt) => {
        const list = await call(rt, 'listScenarioSets', {})
        if (o.json) printJson(list)
        else {
          printText(`Built-in sets (--set NAME):\n${BUILTIN_SETS.map((id) => `  ${id}: ${BUILTIN_SET_LABELS[id]}\n`).join('')}`)
          if (list.length === 0) printText('No saved scenario sets.\n')
          else {
            printText('Saved sets:\n')
            for (const s of list) printText(`  ${s.name} (${s.scenarios} scenarios, ${s.updatedAt}) ${s.description}\n`)
          }
        }
      })
    })
  scenarios
    .command('show')
    .argument('<name>', 'saved set')
    .action(async (name: string, _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions>()
      await withRuntime(o, async (rt) => {
        printJson(await call(rt, 'getScenarioSet', { name }))
      })
    })
  scenarios
    .command('save')
    .description('save a JSON file holding one scenario or a set {name, description, scenarios: [...]}; replaces a set of the same name')
    .argument('<file>', 'JSON file')
    .option('--name <name>', 'save under this name instead of the file’s own')
    .option('--json', 'print one JSON document')
    .action(async (file: string, _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { name?: string }>()
      await withRuntime(o, async (rt) => {
        const set = readScenarioFile(file)
        const summary = await call(rt, 'saveScenarioSet', { set: { ...set, name: o.name ?? set.name } })
        if (o.json) printJson(summary)
        else printText(`saved "${summary.name}" (${summary.scenarios} scenarios)\n`)
      })
    })
  scenarios
    .command('delete')
    .argument('<name>', 'saved set')
    .action(async (name: string, _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions>()
      await withRuntime(o, async (rt) => {
        if (!(await call(rt, 'deleteScenarioSet', { name })).deleted) throw new Error(`no saved scenario set named "${name}"`)
        printText(`deleted "${name}"\n`)
      })
    })

  const settings = program.command('stress-settings').description('the beta table and the liquidity table used by stress runs')
  settings.command('show').action(async (_o, cmd: Command) => {
    const o = cmd.optsWithGlobals<GlobalOptions>()
    await withRuntime(o, async (rt) => printJson(await call(rt, 'getStressSettings', {})))
  })
  settings
    .command('save')
    .description('replace the settings with a JSON file shaped like `stress-settings show`')
    .argument('<file>', 'JSON file')
    .action(async (file: string, _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions>()
      await withRuntime(o, async (rt) => {
        await call(rt, 'saveStressSettings', readJsonFile(file) as ApiInput<'saveStressSettings'>)
        printText('stress settings saved\n')
      })
    })
}
