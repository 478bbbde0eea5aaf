/**
 * VaR before / after a what-if (issue 13 item 2), on a real SQLite file, real worker threads, the real Deribit
 * BTC chain of 2020-05-14 and the real BTC daily closes (shared/data/real/market, SOURCES.md), the demo book.
 *
 * Independent figures:
 *  - before: runVar of the portfolio itself (the VaR service the what-if reuses, on the book alone) — the same
 *    window and scenarios, so equal to the last bit;
 *  - after, for a leg that exactly offsets a position: runVar of a SECOND database file, a copy of the first
 *    (VACUUM INTO) with that position removed through the store (portfolioService.removePositions) — the book
 *    without the position, valued and simulated on its own;
 *  - a zero-size change (no legs; or +q and −q of one instrument) changes VaR and ES by exactly 0.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../src/main/db/database'
import { StressPool } from '../../src/main/engine/stressPool'
import { importFile } from '../../src/main/services/importService'
import { removePositions } from '../../src/main/services/portfolioService'
import { createRiskdeskHandlers, dispatch } from '../../src/main/services/riskdeskApi'
import { runVar } from '../../src/main/services/varService'
import { varRequest, type VarRequest } from '../../src/shared/varApi'
import { removePositionsRequest } from '../../src/shared/portfolioApi'
import type { WhatIfVarResult } from '../../src/shared/whatifApi'
import { BTC_DAILY } from '../support/dailyCloses'
import { runRiskdesk } from '../support/cli'
import { CHAIN_2020_05_14, REPO, tempDir } from '../support/paths'

const DEMO = join(REPO, 'resources', 'demo')
/** The price (BTC) the offsetting leg sells the 15 puts at. */
const OFFSET_PRICE = '0.0905'
let db: Db
let without: Db
let dbPath: string
let pool: StressPool
let api: ReturnType<typeof createRiskdeskHandlers>
const call = async <T = unknown>(name: string, input: unknown) => (await dispatch(api, name, input)) as T
const whatIfVar = (input: Record<string, unknown>) => call<WhatIfVarResult>('getWhatIfVar', { workers: 2, ...input })

beforeAll(() => {
  const dir = tempDir()
  dbPath = join(dir, 'whatif-var.db')
  db = openDatabase(dbPath)
  importFile(db, CHAIN_2020_05_14)
  importFile(db, BTC_DAILY, { underlying: 'BTC' })
  for (const f of ['demo-portfolio.csv', 'demo-balances.csv']) importFile(db, join(DEMO, f), { portfolio: 'demo' })
  // The second file: the same data, then the 15 BTC-26JUN20-9000-P of account "options" removed from its book and
  // sold for the premium the offsetting leg receives (15 × OFFSET_PRICE BTC, Deribit pays premiums in BTC): the
  // account's BTC balance becomes 45 + 15 × 0.0905 = 46.3575 BTC (a variant of demo-balances.csv, written here).
  const copy = join(dir, 'whatif-var-without.db')
  db.exec(`VACUUM INTO '${copy.replaceAll("'", "''")}'`)
  without = openDatabase(copy)
  const removed = removePositions(without, removePositionsRequest.parse({ portfolio: 'demo', instrument: 'BTC-26JUN20-9000-P', account: 'options' }))
  expect(removed.positions.map((p) => p.quantity)).toEqual(['15'])
  const sold = join(dir, 'demo-balances-after-selling-the-puts.csv')
  writeFileSync(sold, 'venue,account,currency,amount,as_of\nderibit,options,BTC,46.3575,2020-05-14T05:40:00Z\nderibit,hedge,BTC,4,2020-05-14T05:40:00Z\n')
  importFile(without, sold, { portfolio: 'demo' })
  pool = new StressPool({ workers: 2 })
  api = createRiskdeskHandlers({ db, stressPool: () => pool })
}, 180_000)
afterAll(async () => {
  await pool.close()
  db.close()
  without.close()
})

const runOn = (d: Db, r: VarRequest) => runVar(d, pool, varRequest.parse({ portfolio: 'demo', ...r }))

describe('what-if VaR before / after', () => {
  it('historical: before is the book\'s VaR; a leg offsetting a position gives the VaR of the book without it', async () => {
    await call('createWhatIf', { name: 'offset', portfolio: 'demo' })
    await call('addWhatIfLeg', { whatIf: 'offset', instrument: 'BTC-26JUN20-9000-P', quantity: '-15', account: 'options', price: OFFSET_PRICE })
    const r = await whatIfVar({ name: 'offset', method: 'historical' })
    const book = await runOn(db, { method: 'historical' })
    const reference = await runOn(without, { method: 'historical' })
    expect(r.scenarios).toBe(365)
    expect(r.window).toEqual(book.window)
    expect(r.before.var).toBe(book.var)
    expect(r.before.es).toBe(book.es)
    // After = (book's lines) + (−position) + premium received: the same P&L as the book without the position and
    // with the premium in its balance, up to the rounding of one sum.
    expect(r.after.var).toBeCloseTo(reference.var, 6)
    expect(r.after.es).toBeCloseTo(reference.es, 6)
    expect(r.change.var).toBeCloseTo(reference.var - book.var, 6)
    // One leg: its incremental VaR alone is the change.
    expect(r.legs).toHaveLength(1)
    expect(r.legs[0]!.incrementalVar).toBe(r.change.var)
    expect(r.legs[0]!.incrementalEs).toBe(r.change.es)
    expect(r.before.positions).toBe(book.positions)
    expect(r.after.positions).toBe(book.positions + 1)
    expect(r.notes.some((n) => n.startsWith('before and after are revalued together on the same scenarios'))).toBe(true)
  }, 180_000)

  it('Monte Carlo: the same seed\'s paths on both sides; offset leg = the book without the position (same seed)', async () => {
    const req = { method: 'montecarlo', paths: 4000, seed: 7, distribution: 'normal' } as const
    const r = await whatIfVar({ name: 'offset', ...req })
    const book = await runOn(db, req)
    const reference = await runOn(without, req)
    expect(r.scenarios).toBe(4000)
    expect(r.seed).toBe(7)
    expect(r.before.var).toBe(book.var)
    expect(r.after.var).toBeCloseTo(reference.var, 6)
    expect(r.after.es).toBeCloseTo(reference.es, 6)
  }, 180_000)

  it('a zero-size change gives change 0 exactly: no legs, and +q / −q of one instrument (historical, Monte Carlo, parametric)', async () => {
    await call('createWhatIf', { name: 'nothing', portfolio: 'demo' })
    const none = await whatIfVar({ name: 'nothing' })
    expect(none.change).toEqual({ var: 0, es: 0 })
    expect(none.legs).toEqual([])
    await call('createWhatIf', { name: 'zero', portfolio: 'demo' })
    // One price for both: the premium paid and received cancel too (at the ask and bid they would not).
    await call('addWhatIfLeg', { whatIf: 'zero', instrument: 'BTC-25SEP20-12000-C', quantity: '7.3', account: 'options', price: '0.0125' })
    await call('addWhatIfLeg', { whatIf: 'zero', instrument: 'BTC-25SEP20-12000-C', quantity: '-7.3', account: 'options', price: '0.0125' })
    for (const method of ['historical', 'montecarlo', 'parametric'] as const) {
      const r = await whatIfVar({ name: 'zero', method, paths: 2000 })
      expect(r.change, method).toEqual({ var: 0, es: 0 })
      expect(r.after.var, method).toBe(r.before.var)
      // Each leg alone does move the VaR (the two are not each zero): long vs short the same call.
      expect(r.legs[0]!.incrementalVar, method).not.toBe(0)
      expect(Math.sign(r.legs[0]!.componentVar!), method).toBe(-Math.sign(r.legs[1]!.componentVar!))
    }
  }, 300_000)

  it('CLI: whatif show NAME --var prints before, after and the change', async () => {
    await call('createWhatIf', { name: 'cli-var', portfolio: 'demo' })
    await call('addWhatIfLeg', { whatIf: 'cli-var', instrument: 'BTC-26JUN20-9000-P', quantity: '-15', account: 'options' })
    const shown = await runRiskdesk(dbPath, 'whatif', 'show', 'cli-var', '--var', '--json')
    expect(shown.code, shown.stderr).toBe(0)
    const r = JSON.parse(shown.stdout) as WhatIfVarResult
    const book = await runOn(db, { method: 'historical' })
    expect(r.before.var).toBe(book.var)
    const text = await runRiskdesk(dbPath, 'whatif', 'show', 'cli-var', '--var')
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/USD.*before.*after.*change/)
    expect(text.stdout).toMatch(/leg \d+ .*deribit\/options.*BTC-26JUN20-9000-P/)
    // The model options reach the call: delta-normal differs from the default delta-gamma, and the before side is
    // the plain book's VaR by the same model (runVar, not the CLI under test).
    const dn = await runRiskdesk(dbPath, 'whatif', 'show', 'cli-var', '--var', '--method', 'parametric', '--parametric', 'delta-normal', '--json')
    expect(dn.code, dn.stderr).toBe(0)
    const normal = await runOn(db, { method: 'parametric', parametric: 'delta-normal' })
    expect((JSON.parse(dn.stdout) as WhatIfVarResult).before.var).toBe(normal.var)
    expect(normal.var).not.toBe((await runOn(db, { method: 'parametric' })).var)
  }, 300_000)
})
