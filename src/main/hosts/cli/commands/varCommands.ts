/**
 * `riskdesk var` (Value at Risk and Expected Shortfall of the whole book) and `riskdesk backtest` (the daily
 * VaR forecasts against the book's hypothetical P&L). docs/var.md.
 */
import { InvalidArgumentError, Option, type Command } from 'commander'
import { fmt } from '../../../../shared/format'
import { VAR_AGGREGATIONS, VAR_METHOD_LABELS, VAR_METHODS, type BacktestRequest, type BacktestResult, type VarRequest, type VarResult } from '../../../../shared/varApi'
import { AS_OF_HELP, call, parseAsOfOption, parsePositiveInt, printJson, withRuntime, type GlobalOptions } from '../cliSupport'
import { followJob, VAR_JOB } from '../followJob'

export function parseConfidence(text: string): number {
  const n = Number(text)
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError(`expected a level in (0, 1) such as 0.99, got "${text}"`)
  return n
}

export function parseWindow(text: string): number | string {
  if (/^20\d\d$/.test(text)) return text // a year 2000–2099; a window of that many returns is not offered
  const n = Number(text)
  if (!Number.isInteger(n) || n < 30) throw new InvalidArgumentError(`expected a number of daily returns ≥ 30 (365, 730) or a year such as 2019, got "${text}"`)
  return n
}

export function parseSeed(text: string): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new InvalidArgumentError(`expected a whole number in [0, 4294967295], got "${text}"`)
  return n
}

function parseDay(text: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) throw new InvalidArgumentError(`expected a date YYYY-MM-DD, got "${text}"`)
  return text
}

const usd = (x: number) => `${fmt(x)} USD`
const pctOf = (x: number) => `${fmt(x * 100, 1)}%`

export function varText(r: VarResult): string {
  const lines = [
    `${r.portfolio}: valued ${r.valuationTime ?? '—'}, value ${usd(r.valueUsd)}, ${r.positions} lines (positions and balances)`,
    `${VAR_METHOD_LABELS[r.method]}${r.model ? ` (${r.model})` : ''}, ${r.confidence * 100}% ${r.horizonDays}-day, window ${r.window.first} … ${r.window.last} (${r.window.returns} daily returns)`,
    `VaR ${usd(r.var)}   ES ${usd(r.es)}${r.scenarios > 0 ? `   (${fmt(r.scenarios)} scenarios)` : ''}`,
    `factors: ${r.factors.map((f) => `${f.name}${f.proxy ? ' [proxy]' : ''} σ ${fmt(f.dailySd * 100, 2)}%/day`).join(', ')}`,
    '',
    `contributions by ${r.by}:`,
    ...[...r.contributions].sort((a, b) => b.var - a.var).map((c) => `  ${c.key.padEnd(44)} VaR ${fmt(c.var).padStart(12)}  ES ${fmt(c.es).padStart(12)}  ${pctOf(c.share).padStart(7)}`),
    '',
    `P&L quantiles: ${r.distribution.quantiles.filter((q) => [0.01, 0.05, 0.5, 0.95, 0.99].includes(q.p)).map((q) => `${q.p * 100}% ${fmt(q.pnlUsd)}`).join(', ')}`,
    ...r.notes.map((n) => `note: ${n}`),
  ]
  return lines.join('\n')
}

export function backtestText(r: BacktestResult): string {
  return [
    `${r.portfolio}: ${VAR_METHOD_LABELS[r.method]}${r.model ? ` (${r.model})` : ''} ${r.confidence * 100}% 1-day VaR, window ${r.window} days, tested ${r.from} … ${r.to}`,
    `days ${r.days}, exceptions ${r.exceptions} (expected ${fmt(r.expectedExceptions, 1)})`,
    `Kupiec POF LR ${r.kupiec.lr.toFixed(4)} p ${r.kupiec.pValue.toFixed(4)}; Christoffersen independence LR ${r.christoffersen.lr.toFixed(4)} p ${r.christoffersen.pValue.toFixed(4)}; conditional coverage LR ${r.conditionalCoverage.lr.toFixed(4)} p ${r.conditionalCoverage.pValue.toFixed(4)}`,
    `Basel traffic light: ${r.trafficLight.zone} (cumulative probability ${r.trafficLight.cumulativeProbability.toFixed(4)})`,
    `exceptions: ${r.series.filter((s) => s.exception).map((s) => `${s.date} (${fmt(s.pnlUsd)} vs VaR ${fmt(s.var)})`).join(', ') || 'none'}`,
    ...r.notes.map((n) => `note: ${n}`),
  ].join('\n')
}

/** The VaR model's options, shared by `var` and `whatif show --var` (their names and defaults are the same). */
export interface VarModelOptions {
  method: (typeof VAR_METHODS)[number]
  confidence: number
  horizon: number
  window: number | string
  paths: number
  seed: number
  filter: 'ewma' | 'garch'
  parametric: 'delta-gamma' | 'delta-normal'
  distribution: 'student-t' | 'normal'
}

/** The VaR model part of a request (varApi.ts varRequest) from the options. */
export const varModelRequest = (o: VarModelOptions) => ({
  method: o.method,
  confidence: o.confidence,
  horizonDays: o.horizon,
  window: o.window,
  paths: o.paths,
  seed: o.seed,
  filter: o.filter,
  parametric: o.parametric,
  distribution: o.distribution,
})

interface VarOptions extends GlobalOptions, VarModelOptions {
  portfolio?: string
  asOf?: string
  by: (typeof VAR_AGGREGATIONS)[number]
  workers?: number
  from?: string
  to?: string
}

const commonOptions = (c: Command) =>
  c
    .addOption(new Option('--confidence <level>', 'confidence level in (0, 1)').argParser(parseConfidence).default(0.99))
    .addOption(new Option('--filter <model>', 'fhs: volatility filter').choices(['ewma', 'garch']).default('ewma'))
    .addOption(new Option('--parametric <model>', 'parametric: delta-gamma (Cornish–Fisher) or delta-normal').choices(['delta-gamma', 'delta-normal']).default('delta-gamma'))
    .option('--portfolio <name>', 'portfolio (default: the most recently imported)')
    .option('--as-of <when>', AS_OF_HELP, parseAsOfOption)
    .option('--json', 'print one JSON document')

export function registerVarCommands(program: Command): void {
  commonOptions(
    program
      .command('var')
      .description('Value at Risk and Expected Shortfall of the whole book (positions and balances), with contributions')
      .addOption(new Option('--method <method>', 'VaR method').choices([...VAR_METHODS]).default('historical'))
      .addOption(new Option('--horizon <days>', 'horizon in days (1 or 10 usually; 1–30)').argParser(parsePositiveInt).default(1))
      .addOption(new Option('--window <n|year>', 'daily returns ending at the valuation date (365, 730) or a calendar year (2019)').argParser(parseWindow).default(365))
      .addOption(new Option('--paths <n>', 'montecarlo: paths').argParser(parsePositiveInt).default(10_000))
      .addOption(new Option('--seed <n>', 'montecarlo: seed').argParser(parseSeed).default(1))
      .addOption(new Option('--distribution <d>', 'montecarlo: daily moves').choices(['student-t', 'normal']).default('student-t'))
      .addOption(new Option('--by <level>', 'contributions by').choices([...VAR_AGGREGATIONS]).default('position'))
      .option('--workers <n>', 'worker threads (default: one per core, at least 2)', parsePositiveInt),
  ).action(async (_o, cmd: Command) => {
    const o = cmd.optsWithGlobals<VarOptions>()
    const request: VarRequest = { portfolio: o.portfolio, asOf: o.asOf, ...varModelRequest(o), by: o.by, workers: o.workers }
    await withRuntime(
      o,
      async (rt) => {
        // As the app does: start a job, follow its progress, cancel it on Ctrl+C (startVar, getVarJob, cancelVar).
        const result = await followJob(rt, VAR_JOB, request, 'var', !o.json && process.stderr.isTTY)
        if (o.json) printJson(result)
        else process.stdout.write(`${varText(result)}\n`)
      },
      o.workers,
    )
  })

  commonOptions(
    program
      .command('backtest')
      .description('daily VaR forecasts from the window before each day against the book\'s hypothetical P&L: exceptions, Kupiec, Christoffersen, Basel traffic light')
      .addOption(new Option('--method <method>', 'VaR method').choices(['historical', 'fhs', 'parametric']).default('historical'))
      .addOption(new Option('--window <n>', 'daily returns before each day').argParser(parsePositiveInt).default(365))
      .option('--from <date>', 'first day tested (default: 730 days before the valuation date)', parseDay)
      .option('--to <date>', 'last day tested (default: the last day before the valuation date)', parseDay),
  ).action(async (_o, cmd: Command) => {
    const o = cmd.optsWithGlobals<VarOptions>()
    const request: BacktestRequest = {
      portfolio: o.portfolio,
      asOf: o.asOf,
      method: o.method as BacktestRequest['method'],
      confidence: o.confidence,
      window: o.window as number,
      filter: o.filter,
      parametric: o.parametric,
      from: o.from,
      to: o.to,
    }
    await withRuntime(o, async (rt) => {
      const r = await call(rt, 'runBacktest', request)
      if (o.json) printJson(r)
      else process.stdout.write(`${backtestText(r)}\n`)
    })
  })
}
