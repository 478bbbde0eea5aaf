/**
 * Must-show: a corpus of broken files (test/fixtures/importers/broken/, each named by what is wrong) — truncated,
 * wrong delimiter, wrong encoding, missing column, text in a number column, duplicated header, empty — each
 * gives a clear error (file, line, column, value, what was expected) and leaves every data table of the
 * database byte-for-byte unchanged (dataSnapshot), after a good import has put data there first.
 */
import { join } from 'node:path'
import { beforeAll, afterAll, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../../src/main/db/database'
import { ImportFailedError, importBytes, importFile } from '../../../src/main/services/importService'
import { previewImport } from '../../support/importPreview'
import { dataSnapshot } from '../../support/dbSnapshot'
import { importIssuesOf } from '../../support/importFailure'
import { IMPORT_FIXTURES, tempDir } from '../../support/paths'

const BROKEN = join(IMPORT_FIXTURES, 'broken')

let db: Db
let before: string
beforeAll(() => {
  db = openDatabase(join(tempDir(), 'riskdesk.db'))
  // Data in every kind of table first: positions, fills and ledger, totals, balances, import history.
  importFile(db, join(IMPORT_FIXTURES, 'deribit', 'transaction_log-123456-BTC-2020-06-header-v4.csv'), { portfolio: 'p' })
  importFile(db, join(IMPORT_FIXTURES, 'generic', 'generic_balances.csv'), { portfolio: 'p' })
  before = dataSnapshot(db)
})
afterAll(() => db.close())

interface Case {
  file: string
  /** What the first issue must say. */
  line: number | null
  column: string | null
  value?: string | RegExp
  message: RegExp
  /** Extra options (a stated offset etc.). */
  options?: Parameters<typeof importFile>[2]
}

const CASES: Case[] = [
  // Truncated: the last line is cut after its 5th field (of 13).
  {
    file: 'truncated-binance-trades-cut-mid-row(UTC+0).csv',
    line: 4,
    column: null,
    value: '1,24-03-01 12:00:00,BTCUSDT,BUY,600',
    message: /expected 13 fields separated by commas \(as in the header\), found 5/,
  },
  // Truncated differently: a Deribit log with a row cut out — the file's own Position column disagrees with the replay.
  {
    file: 'transaction_log-123456-BTC-row-missing-position-check-truncated-variant.csv',
    line: 5,
    column: null,
    message: /the file says the BTC-PERPETUAL position after this row is 15200, the replay of the rows before it gives 5200/,
  },
  // Truncated JSON: half of the Deribit get_positions docs example.
  {
    file: 'deribit_get_positions_docs_example-truncated-variant.json',
    line: 14,
    column: null,
    message: /malformed JSON: the file ends before its objects and arrays are closed \(truncated\?\)/,
  },
  // Wrong delimiter: a comma header over semicolon rows; and pipes throughout (no delimiter we read).
  {
    file: 'wrong-delimiter-header-comma-rows-semicolon.csv',
    line: 2,
    column: null,
    value: 'deribit;main;BTC-PERPETUAL;1000;9000',
    message: /expected 5 fields separated by commas .* found 1 \(a truncated line, or another delimiter\?\)/,
  },
  {
    file: 'wrong-delimiter-pipe.csv',
    line: 1,
    column: null,
    value: 'venue|account|instrument|quantity|entry_price',
    message: /unrecognised header \(delimiters tried: comma, semicolon, tab\)/,
  },
  // Wrong encoding: Latin-1 "dé" on line 3; UTF-16 without its byte-order mark.
  {
    file: 'wrong-encoding-latin1-generic-positions.csv',
    line: 3,
    column: null,
    value: /^byte 0xE9 after "t,main,BTC-25SEP20,2000,9100,d"$/,
    message: /wrong encoding: not UTF-8 text/,
  },
  {
    file: 'wrong-encoding-utf16-without-bom.csv',
    line: 1,
    column: null,
    message: /wrong encoding: the bytes look like UTF-16 without a byte-order mark/,
  },
  // Missing column: a Deribit v4 header without Fee Charged.
  {
    file: 'missing-column-deribit-log-without-fee-charged.csv',
    line: 1,
    column: 'Fee Charged',
    message: /missing required column: the header looks like deribit-transaction-log .* but lacks Fee Charged/,
  },
  // Text in a number column: Price "sixty-four k" on line 3 (column 5); a JSON string where Deribit writes a number.
  {
    file: 'text-in-number-column-binance-price(UTC+0).csv',
    line: 3,
    column: 'Price (5)',
    value: 'sixty-four k',
    message: /expected a decimal number/,
  },
  {
    file: 'deribit_get_positions_docs_example-text-in-size-variant.json',
    line: 23,
    column: 'size',
    value: '"fifty"',
    message: /expected a JSON number/,
  },
  // Duplicated header: one column named twice; the header row again mid-file (two exports pasted together).
  {
    file: 'duplicated-header-column-twice.csv',
    line: 1,
    column: 'quantity (4 and 6)',
    message: /duplicated header: this column name appears twice/,
  },
  {
    file: 'duplicated-header-row-repeated-midfile.csv',
    line: 3,
    column: null,
    message: /the header appears again \(two exports joined into one file\?\)/,
  },
  // Empty: no bytes; a header without rows.
  { file: 'empty-file.csv', line: null, column: null, message: /the file is empty/ },
  { file: 'header-only-generic-trades.csv', line: null, column: null, message: /no data rows after the header/ },
  // A time without a zone where the format demands one; the same trade id twice in one file.
  {
    file: 'time-without-zone-generic-trades.csv',
    line: 2,
    column: 'time (4)',
    value: '2024-01-02 08:00:00',
    message: /expected ISO-8601 with a time zone/,
  },
  {
    file: 'repeated-trade-id-binance(UTC+0).csv',
    line: 4,
    column: null,
    value: 'binance:BTCUSDT:9003',
    message: /the same trade\/row id as line 2 of this file/,
  },
]

describe('broken files: a clear error, and nothing written', () => {
  it.each(CASES)('$file', (c) => {
    const issues = importIssuesOf(() => importFile(db, join(BROKEN, c.file), { portfolio: 'p', ...c.options }))
    const first = issues[0]!
    expect(first.file).toBe(c.file)
    expect(first.line).toBe(c.line)
    expect(first.column).toBe(c.column)
    if (c.value instanceof RegExp) expect(first.value).toMatch(c.value)
    else expect(first.value).toBe(c.value)
    expect(first.message).toMatch(c.message)
    expect(dataSnapshot(db)).toBe(before)
  })

  it('the same through an upload (bytes) and through the preview: same issue, nothing written', async () => {
    const { readFileSync } = await import('node:fs')
    for (const c of CASES) {
      const bytes = readFileSync(join(BROKEN, c.file))
      const issues = importIssuesOf(() => importBytes(db, c.file, bytes, { portfolio: 'p' }))
      expect(issues[0]).toMatchObject({ line: c.line, column: c.column })
      const preview = previewImport(db, { bytes, fileName: c.file }, { portfolio: 'p' })
      expect(preview.ok).toBe(false)
      expect(preview.issues[0]).toMatchObject({ line: c.line, column: c.column })
    }
    expect(dataSnapshot(db)).toBe(before)
  })

  it('the issue reads as one line: file, line, column, what was expected, what was found', () => {
    const issues = importIssuesOf(() => importFile(db, join(BROKEN, 'text-in-number-column-binance-price(UTC+0).csv')))
    expect(new ImportFailedError(issues).message).toContain(
      'text-in-number-column-binance-price(UTC+0).csv, line 3, column Price (5): expected a decimal number such as -1.5 or 28,931.88 (found "sixty-four k")',
    )
  })

  it('a wrong stated option fails before anything is read, and writes nothing', () => {
    const issues = importIssuesOf(() =>
      importFile(db, join(IMPORT_FIXTURES, 'generic', 'generic_trades_deribit.csv'), { portfolio: 'p', utcOffset: 'noon' }),
    )
    expect(issues[0]).toMatchObject({ value: 'noon', message: expect.stringMatching(/UTC offset: expected e\.g\. \+08:00/) })
    expect(dataSnapshot(db)).toBe(before)
  })
})
