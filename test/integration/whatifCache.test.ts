/**
 * getWhatIf's speed-ups keep its figures (issue 13, the what-if bench): the book's own side is computed once per
 * request and data version and reused while only legs change; margin after the legs is recomputed only for the
 * accounts they trade in. Real SQLite file, the real Deribit chain of 2020-05-14 (shared/data/real), the demo book.
 *
 * Independent figures: the margin service run from scratch on the book with the same legs (marginReport with
 * every account, no reuse), the stress service's worst case of the whole book with the legs (stressWorstOf on
 * valueBook with the legs, no reuse), and the demo balances file's own amounts (45 and 4 BTC, then 6 BTC re-imported for
 * "hedge"): the hedge account's equity moves by exactly the 2 BTC added.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Decimal from 'decimal.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WhatIfReport } from '../../src/shared/api'
import { marginRequest } from '../../src/shared/marginApi'
import { stressRequest } from '../../src/shared/stressApi'
import { openDatabase, type Db } from '../../src/main/db/database'
import { findWhatIfBook, whatIfLegs } from '../../src/main/db/whatifStore'
import { importFile } from '../../src/main/services/importService'
import { marginReport } from '../../src/main/services/marginService'
import { createRiskdeskHandlers, dispatch } from '../../src/main/services/riskdeskApi'
import { whatIfLegLines } from '../../src/main/services/whatifService'
import { stressWorstOf } from '../../src/main/services/stressService'
import { valueBook } from '../../src/main/services/valuationService'
import { CHAIN_2020_05_14, REPO, tempDir } from '../support/paths'

const DEMO = join(REPO, 'resources', 'demo')
let dir: string
let dbPath: string
let db: Db
let api: ReturnType<typeof createRiskdeskHandlers>
const call = async <T = unknown>(name: string, input: unknown) => (await dispatch(api, name, input)) as T
const marginOf = (r: WhatIfReport['after'], key: string) => r.margin.find((m) => m.key === key)!

beforeAll(() => {
  dir = tempDir()
  dbPath = join(dir, 'whatif-cache.db')
  db = openDatabase(dbPath)
  api = createRiskdeskHandlers({ db, stressPool: () => { throw new Error('no pool needed') } })
  importFile(db, CHAIN_2020_05_14)
  for (const f of ['demo-portfolio.csv', 'demo-balances.csv']) importFile(db, join(DEMO, f), { portfolio: 'demo' })
})
afterAll(() => db.close())

describe('getWhatIf reuses what it can and stays exact', () => {
  it('after-margin with only the legs\' accounts recomputed equals the margin service run from scratch on every account', async () => {
    await call('createWhatIf', { name: 'scoped', portfolio: 'demo' })
    await call('addWhatIfLeg', { whatIf: 'scoped', instrument: 'BTC-PERPETUAL', quantity: '-50000', account: 'hedge' })
    const r = await call<WhatIfReport>('getWhatIf', { name: 'scoped' })
    const legs = whatIfLegs(db, findWhatIfBook(db, 'scoped').id)
    const scratch = marginReport(db, marginRequest.parse({ portfolio: 'demo' }), whatIfLegLines(db, 'demo', legs, undefined).lines)
    expect(r.after.margin.map((m) => m.key)).toEqual(scratch.accounts.map((a) => a.key))
    for (const a of scratch.accounts) {
      const m = marginOf(r.after, a.key)
      expect({ equity: m.equity, im: m.initialMargin, mm: m.maintenanceMargin, available: m.availableBalance, ratio: m.marginRatio, liquidation: m.liquidation }).toEqual({
        equity: a.equity,
        im: a.initialMargin,
        mm: a.maintenanceMargin,
        available: a.availableBalance,
        ratio: a.marginRatio,
        liquidation: a.liquidation,
      })
    }
    // Stress after: the legs revalued alone and added to the book's P&L = the whole book with the legs revalued.
    for (const set of ['grid', 'span16', 'pm']) {
      const w = await call<WhatIfReport>('getWhatIf', { name: 'scoped', set })
      const full = stressWorstOf(db, stressRequest.parse({ portfolio: 'demo', set }), valueBook(db, { portfolio: 'demo' }, Date.now(), whatIfLegLines(db, 'demo', legs, undefined).lines))
      expect(w.after.stress.worst!.name, set).toBe(full.worst!.name)
      expect(w.after.stress.worst!.pnlUsd, set).toBeCloseTo(full.worst!.pnlUsd, 6)
      expect(w.after.stress.scenarios, set).toBe(full.scenarios)
    }
    // The options account has no leg: its figures are the before side's, unchanged.
    expect(marginOf(r.after, 'deribit/options/BTC')).toEqual(marginOf(r.before, 'deribit/options/BTC'))
    expect(marginOf(r.after, 'deribit/hedge/BTC').initialMargin).not.toBe(marginOf(r.before, 'deribit/hedge/BTC').initialMargin)
  })

  it('the cached before side follows an import here and one by another connection (another process)', async () => {
    const first = await call<WhatIfReport>('getWhatIf', { name: 'scoped' })
    // demo-balances.csv: hedge holds 4 BTC. Re-imported with 6: equity + 2 BTC exactly, margin unchanged.
    const six = join(dir, 'hedge-6.csv')
    writeFileSync(six, 'venue,account,currency,amount,as_of\nderibit,hedge,BTC,6,2020-05-14T05:41:00Z\n')
    importFile(db, six, { portfolio: 'demo' })
    const second = await call<WhatIfReport>('getWhatIf', { name: 'scoped' })
    const eq = (r: WhatIfReport) => new Decimal(marginOf(r.before, 'deribit/hedge/BTC').equity!)
    expect(eq(second).minus(eq(first)).toFixed()).toBe('2')
    expect(marginOf(second.before, 'deribit/hedge/BTC').maintenanceMargin).toBe(marginOf(first.before, 'deribit/hedge/BTC').maintenanceMargin)

    const other = openDatabase(dbPath)
    const seven = join(dir, 'hedge-7.csv')
    writeFileSync(seven, 'venue,account,currency,amount,as_of\nderibit,hedge,BTC,7,2020-05-14T05:42:00Z\n')
    importFile(other, seven, { portfolio: 'demo' })
    other.close()
    const third = await call<WhatIfReport>('getWhatIf', { name: 'scoped' })
    expect(eq(third).minus(eq(first)).toFixed()).toBe('3')
    // Adding and removing legs does not change the book's data version: the before side is the cached one.
    const added = await call<{ leg: { id: number } }>('addWhatIfLeg', { whatIf: 'scoped', instrument: 'BTC-25SEP20', quantity: '1000', account: 'hedge' })
    await call('removeWhatIfLeg', { whatIf: 'scoped', legId: added.leg.id })
    const fourth = await call<WhatIfReport>('getWhatIf', { name: 'scoped' })
    expect(fourth.before).toEqual(third.before)
    expect(fourth.after).toEqual(third.after)
  })
})
