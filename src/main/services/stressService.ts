/**
 * runStress: value the book, pack it, revalue it on the worker pool over the spot × vol grid, store the run.
 */
import {
  DEFAULT_SPOT_RANGE,
  DEFAULT_VOL_RANGE,
  VOL_FLOOR_POINTS,
  type StressRequest,
  type StressResult,
} from '../../shared/api'
import type { Db } from '../db/database'
import { saveStressRun } from '../db/stressRunStore'
import { scenarioGrid } from '../domain/stress/scenarioGrid'
import { packBook } from '../engine/packBook'
import type { StressPool, StressRunOptions } from '../engine/stressPool'
import { valueBook } from './valuationService'

/** Row-major matrix [row][column] from a flat array with `stride` entries per scenario. */
function toMatrix(flat: Float64Array, rows: number, cols: number, stride = 1, offset = 0): number[][] {
  return Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => flat[(i * cols + j) * stride + offset]!),
  )
}

/**
 * @throws PortfolioNotFoundError; RangeError for an invalid grid; the pool's AbortError when cancelled.
 */
export async function runStress(
  db: Db,
  pool: StressPool,
  request: StressRequest,
  options: StressRunOptions & { now?: number } = {},
): Promise<StressResult> {
  const started = performance.now()
  const spot = request.spot ?? DEFAULT_SPOT_RANGE
  const vol = request.vol ?? DEFAULT_VOL_RANGE
  const valued = valueBook(db, request.portfolio)
  const grid = scenarioGrid(spot, vol)
  const { book, underlyings } = packBook(valued.engine)
  const totals = await pool.run(book, grid.scenarios, VOL_FLOOR_POINTS / 100, options)
  const rows = grid.spotShocks.length
  const cols = grid.volShocks.length
  const pnlUsd = toMatrix(totals.pnlUsd, rows, cols)
  const pnlCoin = Object.fromEntries(
    underlyings.map((u, k) => [u, toMatrix(totals.pnlCoin, rows, cols, underlyings.length, k)]),
  )
  let worst: StressResult['worst'] = null
  pnlUsd.forEach((row, i) =>
    row.forEach((v, j) => {
      if (worst === null || v < worst.pnlUsd) worst = { pnlUsd: v, spotShock: grid.spotShocks[i]!, volShock: grid.volShocks[j]! }
    }),
  )
  const result: Omit<StressResult, 'runId'> = {
    portfolio: valued.portfolio.name,
    valuationTime: valued.report.valuationTime,
    spotShocks: grid.spotShocks,
    volShocks: grid.volShocks,
    pnlUsd,
    pnlCoin,
    worst,
    positions: valued.engine.length,
    scenarios: grid.scenarios.n,
    workers: pool.workers,
    elapsedMs: performance.now() - started,
    excluded: valued.excluded,
  }
  const runId = saveStressRun(db, {
    portfolioId: valued.portfolio.id,
    createdAt: options.now ?? Date.now(),
    valuationTime: valued.report.valuationTime === null ? null : Date.parse(valued.report.valuationTime),
    params: { spot, vol, volFloorPoints: VOL_FLOOR_POINTS, workers: pool.workers },
    result,
    worstPnlUsd: (worst as StressResult['worst'])?.pnlUsd ?? null,
  })
  return { runId, ...result }
}
