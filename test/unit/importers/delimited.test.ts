/**
 * The delimited reader (importers/core/delimited.ts): record boundaries found in one pass whatever the
 * length of a line or the size of the chunks, and a record longer than MAX_RECORD_CHARS (1 MiB) refused with
 * the line it starts on. Expected values are written by hand from the generated texts.
 */
import { describe, expect, it } from 'vitest'
import { forEachCsvRecord, MAX_RECORD_CHARS } from '../../../src/main/importers/core/delimited'
import type { ImportIssue } from '../../../src/main/importers/core/importIssue'

function read(chunks: Iterable<string>, header = ['h1', 'h2']) {
  const rows: Array<[string[], number]> = []
  const issues: ImportIssue[] = []
  const records = forEachCsvRecord(chunks, { file: 'f.csv', delimiter: ',', newline: '\n', skipLines: 1, header, issue: (i) => issues.push(i) }, (f, line) =>
    rows.push([f, line]),
  )
  return { rows, issues, records }
}

/** The text cut into pieces of `size` characters (the pipeline hands 64 KB of bytes at a time). */
function* pieces(text: string, size: number): Generator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size)
}

describe('record boundaries in one pass', () => {
  it('gives the same records and lines for any chunk size, with quotes opened in one chunk and closed in a later one', () => {
    // Line 3 holds a quoted field spanning lines 3–4 with a delimiter and a doubled quote inside.
    const text = 'h1,h2\n1,a\n2,"b\nc,""d"""\n3,e\n'
    const whole = read([text])
    expect(whole.issues).toEqual([])
    expect(whole.rows).toEqual([
      [['1', 'a'], 2],
      [['2', 'b\nc,"d"'], 3],
      [['3', 'e'], 5],
    ])
    for (const size of [1, 2, 3, 5, 7, 64]) expect(read(pieces(text, size)).rows).toEqual(whole.rows)
  })

  it('reads a line just under the limit (its one field 1,048,570 characters long)', () => {
    const field = 'x'.repeat(MAX_RECORD_CHARS - 6)
    const r = read(pieces(`h1,h2\n1,${field}\n2,y\n`, 65_536))
    expect(r.issues).toEqual([])
    expect(r.rows.map(([f, line]) => [f[0], f[1]!.length, line])).toEqual([
      ['1', MAX_RECORD_CHARS - 6, 2],
      ['2', 1, 3],
    ])
  })
})

describe('a record longer than 1 MiB', () => {
  const message = /a line longer than 1,048,576 characters \(1 MiB, the limit for one line or one quoted field\)/

  it('is refused with the line it starts on, in chunks or whole, and nothing after it is read', () => {
    // Lines: 1 header, 2 and 3 short rows, 4 the 2 MB line, 5 a row that must not be read.
    const text = `h1,h2\n1,a\n2,b\n3,${'z'.repeat(2 * 1024 * 1024)}\n4,c\n`
    for (const chunks of [[text], pieces(text, 65_536)]) {
      const r = read(chunks)
      expect(r.rows.map(([, line]) => line)).toEqual([2, 3])
      expect(r.issues).toEqual([{ file: 'f.csv', line: 4, column: null, message: expect.stringMatching(message) }])
    }
  })

  it('counts a quoted field spanning many short lines as one record, refused at the line where it starts', () => {
    // Line 3 opens a quote that never closes: 300,000 lines of 9 characters (2.7 M characters in one record).
    const text = `h1,h2\n1,a\n2,"${'abcdefgh\n'.repeat(300_000)}`
    const r = read(pieces(text, 65_536))
    expect(r.rows.map(([, line]) => line)).toEqual([2])
    expect(r.issues).toEqual([{ file: 'f.csv', line: 3, column: null, message: expect.stringMatching(message) }])
  })

  it('is refused in the header or preamble too (line 1)', () => {
    const r = read(pieces(`${'h'.repeat(MAX_RECORD_CHARS + 10)}\n1,2\n`, 65_536))
    expect(r.rows).toEqual([])
    expect(r.issues).toEqual([{ file: 'f.csv', line: 1, column: null, message: expect.stringMatching(message) }])
  })
})
