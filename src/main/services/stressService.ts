/**
 * runStress: value the book, resolve the scenario set, pack both once, revalue on the worker pool, assemble
 * per-scenario rows, per-group series, grid matrices or horizon curves, the worst scenario and its driver,
 * and store the run. Also the single-scenario drill-down, which runs the same kernel on the main thread.
 */
import type { PositionRow } from '../../shared/api'
import type { Scenario, ScenarioSet } from '../../shared/scenario'
import {
  DEFAULT_SPOT_RANGE,
  DEFAULT_VOL_RANGE,
  VOL_FLOOR_POINTS,
  type Aggregation,
  type DrillDownResult,
  type Range,
  type StressRequestParsed,
  type StressResult,
  type StressSettings,
} from '../../shared/stressApi'
import { isUsdLike } from '../../shared/currencies'
import { isBalanceOrigin } from '../../shared/positionOrigin'
import type { Db } from '../db/database'
import { getScenarioSet, readSetting } from '../db/scenarioStore'
import { saveStressRun } from '../db/stressRunStore'
import { inWriteTransaction } from '../db/writeGate'
import { deribitPmBtcParams } from '../domain/margin/params/deribit'
import { DEFAULT_BETAS, type BetaTable } from '../domain/stress/betaTable'
import { DEFAULT_LIQUIDITY, type LiquidityTable } from '../domain/stress/liquidityTable'
import { revalueScenarios, type KernelOutput } from '../domain/stress/revaluationKernel'
import { gridSet, historicalSet, horizonsSet, oracleLagSet, pmSet, span16Set, stablecoinDepegSet } from '../domain/stress/scenarioSets'
import { packBook, type PackedBookWithUnderlyings, type PackOptions, type SmileSlice } from '../engine/packBook'
import { packScenarios } from '../engine/packScenarios'
import { sharedFrom } from '../engine/sharedArrays'
import { allocateOutput, type StressPool, type StressRunOptions } from '../engine/stressPool'
import { fitSurface } from './surfaceService'
import { valueBook, type ValuedBook } from './valuationService'

/** Thrown when `set` names neither a built-in set nor a saved one. */
export class UnknownScenarioSetError extends Error {
  constructor(name: string) {
    super(`no scenario set named "${name}": use grid, span16, pm, historical, horizons, oracle-lag, stablecoin-depeg, or a saved set (riskdesk scenarios list)`)
    this.name = 'UnknownScenarioSetError'
  }
}

/** Most scenarios one run may hold: beyond this a heatmap is unreadable and the result too large to ship. */
export const MAX_SCENARIOS = 20_000

/** Thrown when a request would build more than MAX_SCENARIOS scenarios. */
export class TooManyScenariosError extends RangeError {
  constructor(count: number) {
    super(`the request would build ${count.toLocaleString('en-US')} scenarios; at most ${MAX_SCENARIOS.toLocaleString('en-US')} per run (use coarser steps)`)
    this.name = 'TooManyScenariosError'
  }
}

const points = (r: Range) => Math.floor((r.to - r.from) / r.step + 1e-9) + 1

/** The stress settings in force: stored overrides over the dated defaults. */
export function loadStressSettings(db: Db): StressSettings {
  return {
    betas: (readSetting(db, 'betas') as BetaTable | null) ?? DEFAULT_BETAS,
    liquidity: (readSetting(db, 'liquidity') as LiquidityTable | null) ?? DEFAULT_LIQUIDITY,
  }
}

/**
 * The scenario set a request asks for, with the request's overrides applied.
 * @throws UnknownScenarioSetError; TooManyScenariosError; RangeError for an invalid range
 */
export function resolveScenarioSet(db: Db, r: Pick<StressRequestParsed, 'set' | 'spot' | 'vol' | 'horizonDays' | 'horizons' | 'volRule'>): ScenarioSet {
  const spotPoints = points(r.spot ?? DEFAULT_SPOT_RANGE)
  const planned = r.set === 'grid' ? spotPoints * points(r.vol ?? DEFAULT_VOL_RANGE) : r.set === 'horizons' ? spotPoints * (r.horizons?.length ?? 4) : 0
  if (planned > MAX_SCENARIOS) throw new TooManyScenariosError(planned)
  let set: ScenarioSet
  switch (r.set) {
    case 'grid':
      set = gridSet(r.spot ?? DEFAULT_SPOT_RANGE, r.vol ?? DEFAULT_VOL_RANGE, { vol: { floor: VOL_FLOOR_POINTS } })
      break
    case 'span16':
      set = span16Set()
      break
    case 'pm':
      set = pmSet(deribitPmBtcParams())
      break
    case 'historical':
      set = historicalSet()
      break
    case 'horizons':
      set = horizonsSet(r.spot ?? DEFAULT_SPOT_RANGE, r.horizons ?? undefined)
      break
    case 'oracle-lag':
      set = oracleLagSet()
      break
    case 'stablecoin-depeg':
      set = stablecoinDepegSet()
      break
    default: {
      const saved = getScenarioSet(db, r.set)
      if (!saved) throw new UnknownScenarioSetError(r.set)
      set = { ...saved, kind: 'custom', grid: null, curves: null }
    }
  }
  if ((r.horizonDays && set.kind !== 'horizons') || r.volRule) {
    const extra = set.kind === 'horizons' ? 0 : (r.horizonDays ?? 0)
    set = {
      ...set,
      scenarios: set.scenarios.map((s) => ({
        ...s,
        timeShiftDays: s.timeShiftDays + extra,
        vol: r.volRule ? { ...s.vol, rule: r.volRule } : s.vol,
      })),
    }
  }
  return set
}

function expiryKey(row: PositionRow): string {
  return row.expiry === null ? (row.kind === 'perpetual' ? 'perpetual' : row.kind) : row.expiry.slice(0, 10)
}

/** Group key of a position for an aggregation. */
function groupKey(row: PositionRow, by: Aggregation, index: number): string {
  switch (by) {
    case 'position':
      return `${row.venue}/${row.account}/${row.instrument}#${index}`
    case 'instrument':
      return `${row.venue}:${row.instrument}`
    case 'underlying':
      return row.underlying
    case 'expiry':
      return `${row.underlying} ${expiryKey(row)}`
    case 'account':
      return `${row.venue}/${row.account}`
    case 'venue':
      return row.venue
  }
}

interface Prepared {
  request: StressRequestParsed
  valued: ValuedBook
  set: ScenarioSet
  packed: PackedBookWithUnderlyings
  scenarios: ReturnType<typeof packScenarios>
  settings: StressSettings
  groupKeys: string[]
  groupId: Float64Array
}

/**
 * For sticky-moneyness: the fitted smile (volSurface) of each option's expiry, from the latest option chain
 * of its venue and underlying in the book's market scope (the chain its options were valued with). Options whose expiry has no fitted slice keep sticky-strike vols, and the run
 * says so. Also used by margin under stress (marginService.ts), so both move vols the same way.
 * @returns `smile(instrument)` giving the slice or null (recording the instrument in `missing`); a surface
 *   that cannot be fitted adds a sentence to `notes`
 */
export function smileProvider(db: Db, valued: ValuedBook, notes: string[]): { smile: NonNullable<PackOptions['smile']>; missing: Set<string> } {
  const slices = new Map<string, Map<number, SmileSlice>>()
  for (const { instrument } of valued.engine) {
    if (instrument.kind !== 'option') continue
    const key = `${instrument.venue}:${instrument.underlying}`
    if (slices.has(key)) continue
    const bySlice = new Map<number, SmileSlice>()
    slices.set(key, bySlice)
    try {
      const surface = fitSurface(db, instrument.venue, instrument.underlying, valued.scope)
      if (!surface) continue
      for (const sl of surface.slices)
        bySlice.set(sl.expiryMs, { a: sl.params.a, b: sl.params.b, rho: sl.params.rho, m: sl.params.m, sigma: sl.params.s, T: sl.T, kLo: sl.kMin, kHi: sl.kMax })
    } catch (e) {
      notes.push(`no volatility surface for ${key}: ${(e as Error).message}`)
    }
  }
  const missing = new Set<string>()
  const smile: NonNullable<PackOptions['smile']> = (instrument) => {
    const slice = slices.get(`${instrument.venue}:${instrument.underlying}`)?.get(instrument.expiryMs!) ?? null
    if (!slice) missing.add(instrument.name)
    return slice
  }
  return { smile, missing }
}

function prepare(db: Db, request: StressRequestParsed, valued: ValuedBook = valueBook(db, { portfolio: request.portfolio, asOf: request.asOf })): Prepared {
  const set = resolveScenarioSet(db, request)
  const settings = loadStressSettings(db)
  const smileNotes: string[] = []
  const needsSmile = set.scenarios.some((s) => s.vol.rule === 'sticky-moneyness')
  const provider = needsSmile ? smileProvider(db, valued, smileNotes) : null
  const packed = packBook(valued.engine, { liquidity: settings.liquidity, smile: provider?.smile })
  const missing = provider?.missing
  if (missing && missing.size > 0)
    smileNotes.push(`sticky-moneyness: no fitted smile for ${[...missing].join(', ')}; their vols stayed sticky-strike`)
  packed.assumptions.push(...smileNotes)
  const scenarios = packScenarios(set.scenarios, packed.underlyings, settings.betas)
  const keys = valued.engineRows.map((row, i) => groupKey(row, request.by, i))
  const groupKeys = [...new Set(keys)]
  const groupId = sharedFrom(keys.map((k) => groupKeys.indexOf(k)))
  return { request, valued, set, packed, scenarios, settings, groupKeys, groupId }
}

/** Per-position net P&L, Taylor estimate and liquidity cost in one scenario, on the main thread. */
function revalueOne(p: Prepared, scenario: number): NonNullable<KernelOutput['detail']> {
  const n = p.packed.book.n
  const out = allocateOutput(p.scenarios.scenarios.n, p.packed.book.nUnderlyings, p.groupKeys.length, n)
  out.detail = { pnlUsd: new Float64Array(n), taylorUsd: new Float64Array(n), liquidityUsd: new Float64Array(n) }
  revalueScenarios(
    p.packed.book,
    p.scenarios.scenarios,
    scenario,
    scenario + 1,
    { liquidity: p.request.liquidity, impactY: p.settings.liquidity.impactY, groupId: p.groupId, nGroups: p.groupKeys.length },
    out,
  )
  return out.detail
}

/**
 * Runs a stress request on the pool and stores the run.
 * @param request as the API's schema parses it (stressRequest: defaults filled in)
 * @throws PortfolioNotFoundError, UnknownScenarioSetError, ValuationAsOfError, RangeError for a move ≤ −100 %,
 *   the pool's AbortError when cancelled.
 */
export async function runStress(
  db: Db,
  pool: StressPool,
  request: StressRequestParsed,
  options: StressRunOptions & { now?: number } = {},
): Promise<StressResult> {
  const started = performance.now()
  const p = prepare(db, request)
  const { valued, set, packed } = p
  const sc = p.scenarios.scenarios
  const ng = p.groupKeys.length
  const out = await pool.run(
    packed.book,
    sc,
    { liquidity: request.liquidity, impactY: p.settings.liquidity.impactY, groupId: p.groupId, nGroups: ng },
    options,
  )
  const nu = packed.underlyings.length
  // The book's value now, USD (valued lines, cash included), and each coin's index: the whole book's P&L
  // measured in coin c is (V₀ + P&L)/S₁ − V₀/S₀ (stressApi.ts `bookPnlInCoin`).
  const value0 = valued.report.positions.reduce((a, r) => a + (r.valueUsd ?? 0), 0)
  const derivativesValue0 = valued.report.positions.reduce((a, r) => a + (!isBalanceOrigin(r.origin) ? (r.valueUsd ?? 0) : 0), 0)
  const coins = packed.underlyings.map((u, j) => ({ u, j, S0: valued.indices.get(u)?.price ?? NaN })).filter((c) => !isUsdLike(c.u) && c.S0 > 0)
  const scenarios = set.scenarios.map((s: Scenario, k) => {
    const total = out.pnlUsd[k]!
    return {
      name: s.name,
      description: s.description,
      source: s.source,
      weight: s.weight,
      pnlUsd: total,
      derivativesPnlUsd: total - out.balancePnlUsd[k]!,
      pnlCoin: Object.fromEntries(packed.underlyings.map((u, j) => [u, out.pnlCoin[k * nu + j]!])),
      bookPnlInCoin: Object.fromEntries(
        coins.map(({ u, j, S0 }) => {
          const S1 = S0 * (1 + sc.spotShock[k * nu + j]!)
          return [u, (value0 + total) / S1 - value0 / S0]
        }),
      ),
      taylorUsd: out.taylorUsd[k]!,
      liquidityUsd: out.liquidityUsd[k]!,
      spotShocks: Object.fromEntries(packed.underlyings.map((u, j) => [u, sc.spotShock[k * Math.max(nu, 1) + j]!])),
    }
  })
  const balances = valued.engine.filter((e) => e.isBalance).length
  let worst: StressResult['worst'] = null
  let worstDerivatives: StressResult['worstDerivatives'] = null
  scenarios.forEach((s, k) => {
    const weighted = s.pnlUsd * s.weight
    if (valued.engine.length > 0 && (worst === null || weighted < worst.weightedPnlUsd))
      worst = { index: k, name: s.name, pnlUsd: s.pnlUsd, weightedPnlUsd: weighted, driver: null }
    const weightedDerivatives = s.derivativesPnlUsd * s.weight
    if (valued.engine.length > balances && (worstDerivatives === null || weightedDerivatives < worstDerivatives.weightedPnlUsd))
      worstDerivatives = { index: k, name: s.name, pnlUsd: s.derivativesPnlUsd, weightedPnlUsd: weightedDerivatives }
  })
  if (worst !== null) {
    const w = worst as NonNullable<StressResult['worst']>
    const detail = revalueOne(p, w.index)
    let at = -1
    detail.pnlUsd.forEach((v, i) => {
      if (Number.isFinite(v) && (at < 0 || v < detail.pnlUsd[at]!)) at = i
    })
    if (at >= 0) w.driver = { instrument: valued.engineRows[at]!.instrument, account: valued.engineRows[at]!.account, pnlUsd: detail.pnlUsd[at]! }
  }
  const groups = p.groupKeys.map((key, g) => ({ key, pnlUsd: scenarios.map((_, k) => out.groupPnlUsd[k * ng + g]!) }))
  const matrix = (values: (k: number) => number, rows: number, cols: number) =>
    Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => values(i * cols + j)))
  const grid = set.grid
  const curves = set.curves
  const badPositions = valued.engineRows
    .map((row, i) => ({ instrument: row.instrument, account: row.account, scenarios: out.badScenarios[i]! }))
    .filter((b) => b.scenarios > 0)
  const result: Omit<StressResult, 'runId'> = {
    portfolio: valued.portfolio.name,
    valuationTime: valued.report.valuationTime,
    set: { name: set.name, kind: set.kind, description: set.description },
    liquidity: request.liquidity,
    by: request.by,
    scenarios,
    worst,
    worstDerivatives,
    groups,
    spotShocks: grid?.spotShocks ?? null,
    volShocks: grid?.volShocks ?? null,
    pnlUsd: grid ? matrix((k) => out.pnlUsd[k]!, grid.spotShocks.length, grid.volShocks.length) : null,
    derivativesPnlUsd: grid ? matrix((k) => scenarios[k]!.derivativesPnlUsd, grid.spotShocks.length, grid.volShocks.length) : null,
    pnlCoin: grid
      ? Object.fromEntries(
          packed.underlyings.map((u, j) => [u, matrix((k) => out.pnlCoin[k * nu + j]!, grid.spotShocks.length, grid.volShocks.length)]),
        )
      : null,
    curves: curves
      ? {
          ...curves,
          pnlUsd: matrix((k) => out.pnlUsd[k]!, curves.horizons.length, curves.spotShocks.length),
          derivativesPnlUsd: matrix((k) => scenarios[k]!.derivativesPnlUsd, curves.horizons.length, curves.spotShocks.length),
        }
      : null,
    positions: valued.engine.length,
    balances,
    valueUsd: value0,
    derivativesValueUsd: derivativesValue0,
    market: valued.report.market,
    scenarioCount: sc.n,
    workers: pool.workers,
    elapsedMs: performance.now() - started,
    excluded: valued.excluded,
    badPositions,
    assumptions: [...packed.assumptions, ...p.scenarios.assumptions],
  }
  // The run is stored once the write gate lets it (an import into the same file may hold the write lock).
  const runId = await inWriteTransaction(db, () => saveStressRun(db, {
    portfolioId: valued.portfolio.id,
    createdAt: options.now ?? Date.now(),
    valuationTime: valued.report.valuationTime === null ? null : Date.parse(valued.report.valuationTime),
    params: request,
    // Per-group series can be large; the stored run keeps the scenario rows and the worst case.
    result: { ...result, groups: undefined },
    worstPnlUsd: (worst as StressResult['worst'])?.pnlUsd ?? null,
  }))
  return { runId, ...result }
}

/** The worst scenario of a set for one valued book (stressWorstOf). */
export interface StressWorst {
  set: string
  scenarios: number
  /** The scenario of the lowest weighted P&L of the whole book (null for an empty book). */
  worst: { index: number; name: string; pnlUsd: number; weightedPnlUsd: number } | null
  /** The whole book's net P&L per scenario, USD (after liquidity cost when the request asks for it). */
  pnlUsd: number[]
}

/**
 * The whole book's P&L in every scenario of a request and the worst one, for a book valued by the caller
 * (a what-if book: valueBook with extra lines), on the main thread with the same kernel as runStress; nothing
 * is stored. Meant for sets of a few thousand scenarios (a 41 × 21 grid is 861).
 * @param basePnlUsd the P&L per scenario of lines valued before (the what-if's book, when `valued` holds only its
 *   legs): added to these lines' P&L — a line's scenario P&L does not depend on the others, so the book's is
 *   computed once
 * @throws UnknownScenarioSetError, TooManyScenariosError, RangeError for a move ≤ −100 %
 */
export function stressWorstOf(db: Db, request: StressRequestParsed, valued: ValuedBook, basePnlUsd?: readonly number[]): StressWorst {
  const p = prepare(db, request, valued)
  const sc = p.scenarios.scenarios
  if (basePnlUsd !== undefined && basePnlUsd.length !== sc.n) throw new RangeError(`basePnlUsd holds ${basePnlUsd.length} scenarios, the set ${sc.n}`)
  const out = allocateOutput(sc.n, p.packed.book.nUnderlyings, p.groupKeys.length, p.packed.book.n)
  revalueScenarios(p.packed.book, sc, 0, sc.n, { liquidity: request.liquidity, impactY: p.settings.liquidity.impactY, groupId: p.groupId, nGroups: p.groupKeys.length }, out)
  const pnlUsd = Array.from(out.pnlUsd.subarray(0, sc.n), (v, k) => (basePnlUsd === undefined ? v : basePnlUsd[k]! + v))
  let worst: StressWorst['worst'] = null
  p.set.scenarios.forEach((s, k) => {
    const weighted = pnlUsd[k]! * s.weight
    if ((valued.engine.length > 0 || basePnlUsd !== undefined) && (worst === null || weighted < worst.weightedPnlUsd)) worst = { index: k, name: s.name, pnlUsd: pnlUsd[k]!, weightedPnlUsd: weighted }
  })
  return { set: p.set.name, scenarios: sc.n, worst, pnlUsd }
}

/**
 * Per-position P&L of one scenario of a request (same kernel, main thread).
 * @throws as runStress; RangeError for a scenario index out of range
 */
export function stressDrillDown(db: Db, request: StressRequestParsed, scenario: number): DrillDownResult {
  const p = prepare(db, request)
  if (scenario >= p.scenarios.scenarios.n)
    throw new RangeError(`scenario ${scenario} is out of range: the set has ${p.scenarios.scenarios.n} scenarios`)
  const d = revalueOne(p, scenario)
  return {
    scenario: p.set.scenarios[scenario]!.name,
    positions: p.valued.engineRows.map((row, i) => ({
      instrument: row.instrument,
      account: row.account,
      venue: row.venue,
      underlying: row.underlying,
      origin: row.origin,
      pnlUsd: d.pnlUsd[i]!,
      taylorUsd: d.taylorUsd[i]!,
      liquidityUsd: d.liquidityUsd[i]!,
    })),
  }
}
