/**
 * A line longer than the reader's limit (1 MiB, importers/core/delimited.ts MAX_RECORD_CHARS) is refused with
 * its line number, within seconds, and nothing is written — from a file and from an upload alike. The file
 * is generated: a generic trades CSV whose third line carries a 2 MB trade id.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../../src/main/db/database'
import { importBytes, importFile } from '../../../src/main/services/importService'
import { dataSnapshot } from '../../support/dbSnapshot'
import { importIssuesOf } from '../../support/importFailure'
import { tempDir } from '../../support/paths'

let db: Db
let dir: string
beforeAll(() => {
  dir = tempDir()
  db = openDatabase(join(dir, 'riskdesk.db'))
})
afterAll(() => db.close())

const HEADER = 'venue,account,instrument,time,side,quantity,price,fee,fee_currency,trade_id'
const row = (id: string) => `deribit,desk,BTC-PERPETUAL,2024-01-02T08:00:00Z,buy,10,8000,0,BTC,${id}`
// Line 1 the header, line 2 a good row, line 3 the 2 MB line (a 2,097,152-character trade id), line 4 a good row.
const text = [HEADER, row('t-1'), row('x'.repeat(2 * 1024 * 1024)), row('t-3'), ''].join('\n')

describe('a 2 MB line', () => {
  it('is refused with its line number and the limit, in under 5 s, writing nothing (file and upload)', () => {
    const before = dataSnapshot(db)
    const file = join(dir, 'long-line.csv')
    writeFileSync(file, text)
    for (const run of [() => importFile(db, file, { portfolio: 'p' }), () => importBytes(db, 'long-line.csv', Buffer.from(text), { portfolio: 'p' })]) {
      const started = performance.now()
      const issues = importIssuesOf(run)
      expect(performance.now() - started).toBeLessThan(5000)
      expect(issues).toEqual([
        { file: 'long-line.csv', line: 3, column: null, message: expect.stringMatching(/^a line longer than 1,048,576 characters \(1 MiB/) },
      ])
    }
    expect(dataSnapshot(db)).toBe(before)
  })
})
