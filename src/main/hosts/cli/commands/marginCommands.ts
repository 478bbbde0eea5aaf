/**
 * `riskdesk margin` (account view, optionally under a stress set), `riskdesk margin-settings` (rule, mode,
 * leverage, isolated margin, fees, cross-collateral per margin account) and `riskdesk cascade` (liquidation
 * cascade along a price path).
 */
import { readJsonFile } from '../../../services/localFiles'
import { InvalidArgumentError, Option, type Command } from 'commander'
import { cascadeDefaults, MARGIN_RULES, SIGMA_SOURCES, type MarginAccountSettings, type MarginRuleId } from '../../../../shared/marginApi'
import type { Range } from '../../../../shared/stressApi'
import type { Runtime } from '../../../services/runtime'
import { AS_OF_HELP, call, numberOption, parseAsOfOption, parsePortfolioName, parsePositiveInt, parseSpotRange, parseVolRange, printJson, printText, withRuntime, type GlobalOptions } from '../cliSupport'
import { decimalTextProblem, RANGES, shorten } from '../../../../shared/ranges'
import { printCsv } from '../csvOutput'
import { MARGIN_CSV } from '../csvTables'
import { cascadeText, marginSettingsText, marginStressText, marginText } from '../marginText'

/** Reads a JSON file, naming the file in the error. */
function readJson(path: string): unknown {
  return readJsonFile(path)
}

function parseNonNegative(text: string): number {
  const n = Number(text)
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number ≥ 0, got "${text}"`)
  return n
}


function parseDecimalText(text: string): string {
  if (!/^\d+(\.\d+)?$/.test(text)) throw new InvalidArgumentError(`expected a decimal amount such as 1.5, got "${shorten(text, 40)}"`)
  const problem = decimalTextProblem(text, RANGES.amount)
  if (problem !== null) throw new InvalidArgumentError(problem)
  return text
}

/** `CCY:HAIRCUT,…` → collateral settings. */
function parseCollateral(text: string): Record<string, { haircut: number }> {
  const out: Record<string, { haircut: number }> = {}
  for (const part of text.split(',').filter((p) => p.trim() !== '')) {
    const [ccy, h] = part.split(':')
    const haircut = h === undefined ? 0 : Number(h)
    if (!/^[A-Za-z0-9]{2,12}$/.test(ccy ?? '') || !(haircut >= 0 && haircut <= 1))
      throw new InvalidArgumentError(`expected CURRENCY[:HAIRCUT] items such as ETH:0.05, got "${part}"`)
    out[ccy!.toUpperCase()] = { haircut }
  }
  return out
}

/** `venue/account/CURRENCY` (the account name may itself contain "/"). */
function parseKey(text: string): { venue: string; account: string; marginCurrency: string } {
  const parts = text.split('/')
  if (parts.length < 3 || parts.some((p) => p === ''))
    throw new InvalidArgumentError(`expected an account key VENUE/ACCOUNT/CURRENCY such as deribit/main/BTC (riskdesk margin-settings show lists them), got "${text}"`)
  return { venue: parts[0]!, account: parts.slice(1, -1).join('/'), marginCurrency: parts.at(-1)!.toUpperCase() }
}

/** The stored settings of one margin account (empty when none), read through the API. */
async function settingsOf(rt: Runtime, portfolio: string | undefined, ref: { venue: string; account: string; marginCurrency: string }): Promise<MarginAccountSettings> {
  const key = `${ref.venue.toLowerCase()}/${ref.account}/${ref.marginCurrency.toUpperCase()}`
  const listed = (await call(rt, 'listMarginSettings', { portfolio })).accounts.find((a) => a.key === key)
  return structuredClone(listed?.settings ?? { positions: {} })
}

interface MarginOptions extends GlobalOptions {
  portfolio?: string
  asOf?: string
  venueRules?: string
  dumpVenueRules?: boolean
  sigma: (typeof SIGMA_SOURCES)[number]
  stress?: string
  spot?: Range
  vol?: Range
  horizon?: number
  volRule?: 'sticky-strike' | 'sticky-moneyness'
  csv?: boolean
}

interface SetOptions extends GlobalOptions {
  portfolio?: string
  rule?: MarginRuleId | 'default'
  position?: string
  leverage?: number
  isolatedMargin?: string
  takerFee?: number
  liquidationFee?: number
  inverseFormula?: 'v2024-entry-mm' | 'v2026-mark-mm'
  collateral?: Record<string, { haircut: number }>
}

export function registerMarginCommands(program: Command): void {
  program
    .command('margin')
    .description('margin per account: equity, IM, MM, margin ratio, available, liquidation and bankruptcy prices; --stress SET for every scenario of a set')
    .option('--as-of <when>', `${AS_OF_HELP}; venue tables in force on that date (default: on the valuation date)`, parseAsOfOption)
    .option('--venue-rules <file>', 'venue-rules JSON overriding or adding dated tables (docs/margin.md)')
    .option('--dump-venue-rules', 'print the built-in venue tables as an editable venue-rules document and exit')
    .addOption(new Option('--sigma <source>', 'daily σ for distances: price history, liquidity table, or auto').choices([...SIGMA_SOURCES]).default('auto'))
    .option('--stress <set>', 'also value every account under a scenario set (grid | span16 | pm | historical | horizons | oracle-lag | stablecoin-depeg | a saved set)')
    .option('--spot <from:to:step>', 'with --stress grid/horizons: spot shocks in percent', parseSpotRange)
    .option('--vol <from:to:step>', 'with --stress grid: vol shocks in vol points', parseVolRange)
    .option('--horizon <days>', 'with --stress: days that pass in every scenario', numberOption(RANGES.horizonDays))
    .addOption(new Option('--vol-rule <rule>', 'with --stress: vol rule for every scenario').choices(['sticky-strike', 'sticky-moneyness']))
    .option('--portfolio <name>', 'portfolio (default: the most recently imported)', parsePortfolioName)
    .option('--json', 'print one JSON document')
    .option('--csv', 'print one CSV row per margin account (units in the header)')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<MarginOptions>()
      await withRuntime(o, async (rt) => {
        if (o.dumpVenueRules) {
          printJson(await call(rt, 'getMarginParams', {}))
          return
        }
        const base = { portfolio: o.portfolio, asOf: o.asOf, venueRules: o.venueRules === undefined ? undefined : readJson(o.venueRules) }
        const report = await call(rt, 'getMargin', { ...base, sigma: o.sigma })
        const stress =
          o.stress === undefined
            ? null
            : await call(rt, 'getMarginStress', { ...base, set: o.stress, spot: o.spot, vol: o.vol, horizonDays: o.horizon, volRule: o.volRule })
        if (o.json) printJson(stress ? { ...report, stress } : report)
        else if (o.csv) printCsv(MARGIN_CSV, report.accounts)
        else printText(`${marginText(report)}\n${stress ? `\n${marginStressText(stress)}\n` : ''}`)
      })
    })

  const settings = program.command('margin-settings').description('per margin account (VENUE/ACCOUNT/CURRENCY): rule or mode, leverage, isolated margin, fees, cross-collateral')
  settings
    .command('show')
    .option('--portfolio <name>', 'portfolio (default: the most recently imported)', parsePortfolioName)
    .option('--json', 'print one JSON document')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { portfolio?: string }>()
      await withRuntime(o, async (rt) => {
        const list = await call(rt, 'listMarginSettings', { portfolio: o.portfolio })
        if (o.json) printJson(list)
        else printText(`${marginSettingsText(list)}\n`)
      })
    })
  settings
    .command('set')
    .description('change settings of one margin account; with --position, --leverage and --isolated-margin apply to that position')
    .argument('<account>', 'VENUE/ACCOUNT/CURRENCY, e.g. binance/main/USDT (margin-settings show lists them)', parseKey)
    .addOption(new Option('--rule <rule>', 'margin rule or mode instead of the venue default ("default" to go back)').choices([...MARGIN_RULES, 'default']))
    .option('--position <id>', 'the position the --leverage / --isolated-margin apply to (instrument name; hedge mode NAME:long)')
    .option('--leverage <n>', 'leverage (IM = notional ÷ leverage at Binance, Bybit, OKX), above 0 and at most 1000', numberOption(RANGES.leverage))
    .option('--isolated-margin <amount>', 'with --position: isolated margin in the margin currency (the position becomes isolated)', parseDecimalText)
    .option('--taker-fee <rate>', 'OKX: taker fee rate reserved as liquidation fee, e.g. 0.0005', parseNonNegative)
    .option('--liquidation-fee <rate>', 'cascade: liquidation fee on the closed notional, e.g. 0.0075', parseNonNegative)
    .addOption(new Option('--inverse-formula <version>', 'Bybit inverse liquidation formula version').choices(['v2024-entry-mm', 'v2026-mark-mm']))
    .option('--collateral <list>', 'other currencies counted as collateral with haircuts, e.g. ETH:0.05,USDC:0', parseCollateral)
    .option('--portfolio <name>', 'portfolio (default: the most recently imported)', parsePortfolioName)
    .option('--json', 'print one JSON document')
    .action(async (ref: ReturnType<typeof parseKey>, _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<SetOptions>()
      await withRuntime(o, async (rt) => {
        if (o.isolatedMargin !== undefined && o.position === undefined) throw new Error('--isolated-margin needs --position')
        const s: MarginAccountSettings = await settingsOf(rt, o.portfolio, ref)
        if (o.rule === 'default') delete s.rule
        else if (o.rule !== undefined) s.rule = o.rule
        if (o.position !== undefined) {
          const p = { ...(s.positions[o.position] ?? {}) }
          if (o.leverage !== undefined) p.leverage = o.leverage
          if (o.isolatedMargin !== undefined) p.isolatedMargin = o.isolatedMargin
          s.positions[o.position] = p
        } else if (o.leverage !== undefined) s.leverage = o.leverage
        if (o.takerFee !== undefined) s.takerFeeRate = o.takerFee
        if (o.liquidationFee !== undefined) s.liquidationFeeRate = o.liquidationFee
        if (o.inverseFormula !== undefined) s.bybitInverseFormula = o.inverseFormula
        if (o.collateral !== undefined) s.collateral = o.collateral
        const entry = await call(rt, 'saveMarginSettings', { portfolio: o.portfolio, ...ref, settings: s })
        if (o.json) printJson(entry)
        else printText(`saved margin settings of ${entry.key}: ${JSON.stringify(entry.settings)}\n`)
      })
    })
  settings
    .command('clear')
    .description('remove the settings of one margin account, or of one of its positions (back to cross and the account leverage)')
    .argument('<account>', 'VENUE/ACCOUNT/CURRENCY', parseKey)
    .option('--position <id>', 'clear only this position')
    .option('--portfolio <name>', 'portfolio (default: the most recently imported)', parsePortfolioName)
    .action(async (ref: ReturnType<typeof parseKey>, _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { portfolio?: string; position?: string }>()
      await withRuntime(o, async (rt) => {
        let s: MarginAccountSettings = { positions: {} }
        if (o.position !== undefined) {
          s = await settingsOf(rt, o.portfolio, ref)
          delete s.positions[o.position]
        }
        const entry = await call(rt, 'saveMarginSettings', { portfolio: o.portfolio, ...ref, settings: s })
        printText(`cleared ${o.position === undefined ? 'the settings' : `the settings of ${o.position}`} of ${entry.key}\n`)
      })
    })

  // Defaults are the request schema's (cascadeDefaults), shared with the web host and the Margin view.
  program
    .command('cascade')
    .description('liquidation cascade: walk a price path; accounts are closed out where their margin ratio reaches 100 % and push the price further (square-root impact)')
    .option('--path <spec>', 'crash:MOVE%[:STEPS] | gap:MOVE% (one jump, no trading in between) | historical:NAME[:STEPS] (a stress-engine episode) | history:FROM:TO (stored daily closes)', cascadeDefaults.path)
    .option('--steps <n>', 'steps of a crash or historical path that names none', parsePositiveInt, cascadeDefaults.steps)
    .addOption(
      new Option('--market <on|off>', 'include the documented default leveraged market (cascade.market table)').choices(['on', 'off']).default(cascadeDefaults.market ? 'on' : 'off'),
    )
    .option('--underlying <coin>', 'underlying whose path is walked', cascadeDefaults.underlying)
    .option('--impact-y <y>', 'impact coefficient Y, 0–10 (default: the liquidity table’s)', numberOption(RANGES.impactY))
    .option('--daily-vol <sigma>', 'daily σ as a decimal, above 0 and at most 1 (default: the liquidity table’s)', numberOption(RANGES.dailyVol))
    .option('--depth <coin>', 'daily volume the forced flow meets, in coin (default: the market table’s)', numberOption(RANGES.dailyVolumeCoin))
    .option('--as-of <when>', `${AS_OF_HELP}; venue tables in force on that date (default: on the valuation date)`, parseAsOfOption)
    .option('--venue-rules <file>', 'venue-rules JSON overriding or adding dated tables (docs/margin.md)')
    .option('--portfolio <name>', 'portfolio (default: the most recently imported)', parsePortfolioName)
    .option('--json', 'print one JSON document')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<
        GlobalOptions & {
          path: string
          steps: number
          market: 'on' | 'off'
          underlying: string
          impactY?: number
          dailyVol?: number
          depth?: number
          asOf?: string
          venueRules?: string
          portfolio?: string
        }
      >()
      await withRuntime(o, async (rt) => {
        const result = await call(rt, 'runCascade', {
          portfolio: o.portfolio,
          underlying: o.underlying,
          path: o.path,
          steps: o.steps,
          market: o.market === 'on',
          asOf: o.asOf,
          venueRules: o.venueRules === undefined ? undefined : readJson(o.venueRules),
          impactY: o.impactY,
          dailyVol: o.dailyVol,
          dailyVolumeCoin: o.depth,
        })
        if (o.json) printJson(result)
        else printText(`${cascadeText(result)}\n`)
      })
    })
}
