/**
 * The demo: a sample book of real Deribit instruments (resources/demo/demo-portfolio.csv), its BTC collateral
 * (resources/demo/demo-balances.csv) and the real Deribit BTC option chain of 2020-05-14 (resources/demo/,
 * provenance in its SOURCES.md), imported into the portfolio `demo`, valued, stressed on the default grid and
 * margined by Deribit's standard margin. Running it again re-uses the earlier import (same file hashes) and
 * stresses again.
 */
import { join } from 'node:path'
import type { MarginReport, PositionsReport, StressResult } from '../../shared/api'
import { marginRequest } from '../../shared/marginApi'
import { stressRequest } from '../../shared/stressApi'
import type { Db } from '../db/database'
import { inWriteTransaction } from '../db/writeGate'
import type { StressPool } from '../engine/stressPool'
import { importFile, type ImportOutcome } from './importService'
import { marginReport } from './marginService'
import { runStress } from './stressService'
import { valueBook } from './valuationService'

export const DEMO_PORTFOLIO = 'demo'
export const DEMO_FILES = ['deribit_btc_option_chain_2020-05-14.csv', 'demo-portfolio.csv', 'demo-balances.csv'] as const

export interface DemoOutcome {
  imports: ImportOutcome[]
  positions: PositionsReport
  stress: StressResult
  margin: MarginReport
}

/** @param resourcesDir the app's resources/ directory */
export async function runDemo(db: Db, pool: StressPool, resourcesDir: string): Promise<DemoOutcome> {
  const imports: ImportOutcome[] = []
  // Each file waits its turn at the write gate (another process may be writing to the same database).
  for (const f of DEMO_FILES) imports.push(await inWriteTransaction(db, () => importFile(db, join(resourcesDir, 'demo', f), { portfolio: DEMO_PORTFOLIO })))
  const positions = valueBook(db, { portfolio: DEMO_PORTFOLIO }).report
  const stress = await runStress(db, pool, stressRequest.parse({ portfolio: DEMO_PORTFOLIO }))
  const margin = marginReport(db, marginRequest.parse({ portfolio: DEMO_PORTFOLIO }))
  return { imports, positions, stress, margin }
}
