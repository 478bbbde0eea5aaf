/**
 * An upload through the API (importUpload, what the web host and Electron IPC call) of a file of 1 MB or more
 * is read on the import thread and written from the event loop (services/importService.ts importSourceAsync):
 * the loop keeps running — a timer keeps ticking and another API call answers — while the file imports, and
 * the result is the same as an import in this thread; two at once run one after the other. The files are
 * generated: 40,000 generic trades (3.4 MB), and two of 20,000.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../../src/main/db/database'
import { createRiskdeskHandlers, dispatch } from '../../../src/main/services/riskdeskApi'
import type { ImportResult } from '../../../src/shared/importApi'
import { tempDir } from '../../support/paths'

let db: Db
beforeAll(() => {
  db = openDatabase(join(tempDir(), 'riskdesk.db'))
})
afterAll(() => db.close())

const ROWS = 40_000
/** 40,000 alternating buys and sells of 10 USD of BTC-PERPETUAL at 8,000 + i % 100: flat after every second fill. */
function tradesCsv(rows = ROWS, account = 'desk'): string {
  const lines = ['venue,account,instrument,time,side,quantity,price,fee,fee_currency,trade_id']
  for (let i = 0; i < rows; i++) {
    const time = new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString()
    lines.push(`deribit,${account},BTC-PERPETUAL,${time},${i % 2 === 0 ? 'buy' : 'sell'},10,${8000 + (i % 100)},0.000001,BTC,u-${i}`)
  }
  return `${lines.join('\n')}\n`
}

describe('a large upload', () => {
  it('imports on the import thread while the event loop keeps serving: timer ticks and another call answer meanwhile', async () => {
    const handlers = createRiskdeskHandlers({ db, stressPool: () => { throw new Error('no stress here') } })
    const text = tradesCsv()
    expect(text.length).toBeGreaterThan(3_000_000)
    let last = performance.now()
    let maxGap = 0
    let ticks = 0
    const timer = setInterval(() => {
      const now = performance.now()
      maxGap = Math.max(maxGap, now - last)
      last = now
      ticks++
    }, 5)
    const started = performance.now()
    const upload = dispatch(handlers, 'importUpload', { fileName: 'trades-3MB.csv', contentBase64: Buffer.from(text).toString('base64'), settings: { portfolio: 'up' } })
    // Another call while the upload runs: answered from the same loop.
    await new Promise((r) => setTimeout(r, 50))
    const asked = performance.now()
    const formats = (await dispatch(handlers, 'listFormats', {})) as unknown[]
    const answeredIn = performance.now() - asked
    const r = (await upload) as ImportResult
    const elapsed = performance.now() - started
    clearInterval(timer)
    console.log(`upload of ${ROWS} rows: ${elapsed.toFixed(0)} ms; longest event-loop gap ${maxGap.toFixed(0)} ms over ${ticks} ticks; listFormats answered in ${answeredIn.toFixed(0)} ms`)
    // By hand: every pair buys and sells 10 USD, so the account ends flat; 40,000 fills stored.
    expect(r).toMatchObject({ ok: true, status: 'imported', rows: ROWS, fills: ROWS, positions: [] })
    expect(formats.length).toBeGreaterThan(10)
    // The import takes seconds (3.4–6.5 s seen on 2 cores); in this thread it would hold the loop for all of
    // them, so the longest gap would be about the whole import. Off the thread the loop stalls only for
    // scheduling and GC: 150–310 ms seen with the rest of the suite on both cores. The bound is a fifth of
    // the import, at most 1 s, which no on-thread import can meet.
    const bound = Math.min(1000, elapsed / 5)
    expect(answeredIn).toBeLessThan(bound)
    expect(maxGap).toBeLessThan(bound)
    expect(db.prepare('SELECT COUNT(*) FROM fills').pluck().get()).toBe(ROWS)
  })

  it('two large uploads at once both import, one after the other, each all-or-nothing', async () => {
    const handlers = createRiskdeskHandlers({ db, stressPool: () => { throw new Error('no stress here') } })
    const before = db.prepare('SELECT COUNT(*) FROM fills').pluck().get() as number
    // 20,000 fills each (1.7 MB), two accounts: by hand 40,000 more fills, both flat.
    const upload = (account: string) =>
      dispatch(handlers, 'importUpload', { fileName: `${account}.csv`, contentBase64: Buffer.from(tradesCsv(20_000, account)).toString('base64'), settings: { portfolio: 'two' } })
    const [a, b] = (await Promise.all([upload('one'), upload('two')])) as ImportResult[]
    expect([a, b].map((r) => [r.status, r.fills, r.errorCount])).toEqual([['imported', 20_000, 0], ['imported', 20_000, 0]])
    expect(db.prepare('SELECT COUNT(*) FROM fills').pluck().get()).toBe(before + 40_000)
  })
})
