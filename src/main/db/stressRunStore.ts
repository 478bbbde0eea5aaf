/**
 * Stress runs: the request (parameters) and the result, as JSON, per portfolio.
 */
import type { Db } from './database'

export interface StressRunRecord {
  portfolioId: number
  /** ms since epoch UTC. */
  createdAt: number
  /** Market time the run valued at, ms since epoch UTC. */
  valuationTime: number | null
  params: unknown
  result: unknown
  /** Worst cell's P&L, USD. */
  worstPnlUsd: number | null
}

/** Stores a run and returns its id. */
export function saveStressRun(db: Db, run: StressRunRecord): number {
  return Number(
    db
      .prepare(
        `INSERT INTO stress_runs (portfolio_id, created_at, valuation_time, params, result, worst_pnl_usd)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(run.portfolioId, run.createdAt, run.valuationTime, JSON.stringify(run.params), JSON.stringify(run.result),
        run.worstPnlUsd).lastInsertRowid,
  )
}
