/**
 * API schemas of Value at Risk, Expected Shortfall and their backtest (docs/var.md).
 * Units: VaR and ES are positive USD losses of the whole book (positions and balances) over the horizon;
 * P&L in USD (gains positive); confidence as a fraction (0.99); dates YYYY-MM-DD (UTC days).
 */
import { z } from 'zod'
import { valuationAsOf } from './valuationAsOf'

export const VAR_METHODS = ['historical', 'fhs', 'parametric', 'montecarlo'] as const
export const varMethod = z.enum(VAR_METHODS)
export type VarMethod = z.infer<typeof varMethod>
export const VAR_METHOD_LABELS: Record<VarMethod, string> = {
  historical: 'Historical simulation',
  fhs: 'Filtered historical simulation',
  parametric: 'Parametric',
  montecarlo: 'Monte Carlo',
}
export const VAR_AGGREGATIONS = ['position', 'underlying', 'account'] as const

/** A window: a number of daily returns ending at the valuation date, or a calendar year ("2019"). */
export const varWindow = z.union([z.number().int().min(30).max(5000), z.string().regex(/^20\d\d$/, 'a year such as 2019')])

const common = {
  /** Portfolio name; omitted = the most recently imported portfolio. */
  portfolio: z.string().min(1).optional(),
  /** Which stored market data to value against (valuationAsOf.ts): omitted = the book's own time. */
  asOf: valuationAsOf.optional(),
  method: varMethod.default('historical'),
  /** Confidence level α in (0, 1). */
  confidence: z.number().gt(0).lt(1).default(0.99),
  /** Returns in the window (default 365), or a calendar year. */
  window: varWindow.default(365),
  /** fhs: the volatility filter. */
  filter: z.enum(['ewma', 'garch']).default('ewma'),
  /** parametric: delta-gamma with Cornish–Fisher (default) or delta-normal. */
  parametric: z.enum(['delta-gamma', 'delta-normal']).default('delta-gamma'),
}

export const varRequest = z.object({
  ...common,
  /** Horizon in days (1 or 10 are the usual; any whole number 1–30). */
  horizonDays: z.number().int().min(1).max(30).default(1),
  /** montecarlo: paths. */
  paths: z.number().int().min(100).max(1_000_000).default(10_000),
  /** montecarlo: seed (a whole number; same seed → same figures whatever the workers). */
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  /** montecarlo: Student-t with fitted degrees of freedom (default) or normal. */
  distribution: z.enum(['student-t', 'normal']).default('student-t'),
  /** Grouping of the contributions. */
  by: z.enum(VAR_AGGREGATIONS).default('position'),
  /** Worker threads for this run; default: the process's pool. */
  workers: z.number().int().min(1).max(64).optional(),
})
export type VarRequest = z.input<typeof varRequest>
export type VarRequestParsed = z.output<typeof varRequest>

export const varContribution = z.object({
  /** Position (`venue/account/instrument`), underlying or `venue/account`. */
  key: z.string(),
  /** Euler components, USD; they add up to `var` and `es`. */
  var: z.number(),
  es: z.number(),
  /** var ÷ total VaR. */
  share: z.number(),
})

export const varFactor = z.object({
  name: z.string(),
  kind: z.enum(['spot', 'vol']),
  /** True when the factor is a proxy (the vol factor from realised vol): said so wherever it is used. */
  proxy: z.boolean(),
  /** Daily standard deviation of its moves over the window (log return, or decimal vol). */
  dailySd: z.number(),
})

export const varResult = z.object({
  portfolio: z.string(),
  valuationTime: z.string().nullable(),
  method: varMethod,
  /** The variant: ewma / garch (fhs), delta-gamma / delta-normal (parametric), student-t / normal (montecarlo). */
  model: z.string().nullable(),
  confidence: z.number(),
  horizonDays: z.number().int(),
  /** Positive USD losses at the confidence level. */
  var: z.number(),
  es: z.number(),
  /** The book's value now (USD) and the lines revalued. */
  valueUsd: z.number(),
  positions: z.number().int(),
  window: z.object({ first: z.string(), last: z.string(), returns: z.number().int(), gaps: z.array(z.string()) }),
  factors: z.array(varFactor),
  by: z.enum(VAR_AGGREGATIONS),
  contributions: z.array(varContribution),
  distribution: z.object({
    /** P&L quantiles (USD) at these probabilities. */
    quantiles: z.array(z.object({ p: z.number(), pnlUsd: z.number() })),
    /** Histogram of the simulated or historical P&L; null for the parametric method. */
    histogram: z.array(z.object({ from: z.number(), to: z.number(), count: z.number().int() })).nullable(),
    mean: z.number(),
    sd: z.number(),
  }),
  /** Scenarios or paths revalued (0 for parametric). */
  scenarios: z.number().int(),
  seed: z.number().int().nullable(),
  /** Monte Carlo Student-t degrees of freedom; GARCH parameters; null otherwise. */
  fitted: z.record(z.string(), z.number()).nullable(),
  workers: z.number().int(),
  elapsedMs: z.number(),
  /** Positions left out of some scenarios (P&L not finite), with how many. */
  badPositions: z.array(z.object({ key: z.string(), scenarios: z.number().int() })),
  excluded: z.array(z.object({ instrument: z.string(), reason: z.string() })),
  /** Sources, proxies and assumptions, one sentence each. */
  notes: z.array(z.string()),
})
export type VarResult = z.infer<typeof varResult>

export const varJobStatus = z.object({
  jobId: z.string(),
  status: z.enum(['running', 'done', 'failed', 'cancelled']),
  /** Scenarios (paths) done and in all. */
  done: z.number().int(),
  total: z.number().int(),
  result: varResult.nullable(),
  error: z.string().nullable(),
})
export type VarJobStatus = z.infer<typeof varJobStatus>

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')

export const backtestRequest = z.object({
  ...common,
  method: z.enum(['historical', 'fhs', 'parametric']).default('historical'),
  /** First and last day tested (default: the 730 days before the valuation date). */
  from: isoDay.optional(),
  to: isoDay.optional(),
  window: z.number().int().min(30).max(5000).default(365),
})
export type BacktestRequest = z.input<typeof backtestRequest>
export type BacktestRequestParsed = z.output<typeof backtestRequest>

const lr = z.object({ lr: z.number(), pValue: z.number() })
export const backtestResult = z.object({
  portfolio: z.string(),
  valuationTime: z.string().nullable(),
  method: z.enum(['historical', 'fhs', 'parametric']),
  model: z.string().nullable(),
  confidence: z.number(),
  window: z.number().int(),
  from: z.string(),
  to: z.string(),
  days: z.number().int(),
  exceptions: z.number().int(),
  expectedExceptions: z.number(),
  transitions: z.object({ n00: z.number().int(), n01: z.number().int(), n10: z.number().int(), n11: z.number().int() }),
  kupiec: lr,
  christoffersen: lr,
  conditionalCoverage: lr,
  trafficLight: z.object({ zone: z.enum(['green', 'yellow', 'red']), cumulativeProbability: z.number() }),
  /** Per tested day: the VaR forecast from the window before it, the book's hypothetical P&L that day. */
  series: z.array(z.object({ date: z.string(), var: z.number(), pnlUsd: z.number(), exception: z.boolean() })),
  notes: z.array(z.string()),
})
export type BacktestResult = z.infer<typeof backtestResult>

/** The VaR calls of the API contract (api.ts spreads them in). */
export const varCalls = {
  runVar: { input: varRequest, output: varResult },
  /** Starts a VaR run in the background (Monte Carlo can take seconds): poll getVarJob, cancel with cancelVar. */
  startVar: { input: varRequest, output: z.object({ jobId: z.string() }) },
  getVarJob: { input: z.object({ jobId: z.string() }), output: varJobStatus },
  cancelVar: { input: z.object({ jobId: z.string() }), output: z.object({ cancelled: z.boolean() }) },
  runBacktest: { input: backtestRequest, output: backtestResult },
} as const
