/** Field readers: amounts as exchanges write them, dates in stated offsets, encodings and CSV chunking. */
import { describe, expect, it } from 'vitest'
import { forEachCsvRecord } from '../../../src/main/importers/core/delimited'
import { dateTimeParser, parseUtcOffset, parseZonedInstant } from '../../../src/main/importers/core/dates'
import { negate, readAmount } from '../../../src/main/importers/core/fields'
import { ImportFailedError, type ImportIssue } from '../../../src/main/importers/core/importIssue'
import { decodeAll } from '../../../src/main/importers/core/textDecoding'

const at = { file: 'f.csv', line: 7, column: 'Fee (8)' }

describe('readAmount', () => {
  it.each([
    ['-1.5', {}, { value: '-1.5', unit: null }],
    ['28,931.88', {}, { value: '28931.88', unit: null }],
    ['0.29528919 USDC', { unit: true }, { value: '0.29528919', unit: 'USDC' }],
    ['0.01612653BNB', { unit: true }, { value: '0.01612653', unit: 'BNB' }],
    ['-104.976405810000002816 USDT', { unit: true }, { value: '-104.976405810000002816', unit: 'USDT' }],
    ['--', { optional: true }, null],
  ] as const)('%s', (raw, o, expected) => {
    const issues: ImportIssue[] = []
    expect(readAmount(raw, at, (i) => issues.push(i), o)).toEqual(expected)
    expect(issues).toEqual([])
  })

  it.each([
    ['1,5', {}, /expected a decimal number/],
    ['abc', {}, /expected a decimal number/],
    ['0.29 USDC', {}, /expected a decimal number/],
    ['--', {}, /found an empty field/],
    ['0', { positive: true }, /greater than 0/],
  ] as const)('refuses %s with file, line, column and value', (raw, o, message) => {
    const issues: ImportIssue[] = []
    expect(readAmount(raw, at, (i) => issues.push(i), o)).toBeUndefined()
    expect(issues).toEqual([{ ...at, value: raw, message: expect.stringMatching(message) }])
  })

  it('negates decimal text', () => {
    expect([negate('0.5'), negate('-2'), negate('0.000'), negate('+3')]).toEqual(['-0.5', '2', '0.000', '-3'])
  })
})

describe('dates', () => {
  it('reads the offsets venues and users write', () => {
    expect(['Z', 'UTC', '+08:00', 'UTC+8', 'UTC-6', 'UTC--6', '-0530', 'GMT+1'].map(parseUtcOffset)).toEqual([0, 0, 480, 480, -360, -360, -330, 60])
    expect(parseUtcOffset('Europe/Paris')).toBeNull()
  })

  it('parses a venue pattern in a stated offset (Binance YY-MM-DD in UTC−6)', () => {
    const p = dateTimeParser('yy-MM-dd HH:mm:ss', -360, Date.UTC(2026, 10, 21))
    expect(p('24-03-01 06:00:00')).toBe(Date.UTC(2024, 2, 1, 12))
    expect(p('24-03-01 06:00:01')).toBe(Date.UTC(2024, 2, 1, 12, 0, 1))
    expect(p('24-13-01 06:00:00')).toBeNull()
    expect(p('08-01-01 00:00:00')).toBeNull() // before any crypto venue
  })

  it('reads HH:mm:ss by its digits exactly as date-fns does, every second of a day and the odd ones', async () => {
    const { parse } = await import('date-fns/parse')
    const { isValid } = await import('date-fns/isValid')
    const { UTCDate } = await import('@date-fns/utc')
    const p = dateTimeParser('yy-MM-dd HH:mm:ss', 0, Date.UTC(2026, 10, 21))
    const two = (n: number) => String(n).padStart(2, '0')
    let wrong: string | null = null
    for (let s = 0; s < 86_400; s++) {
      const time = `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`
      if (p(`24-03-01 ${time}`) !== Date.UTC(2024, 2, 1) + s * 1000) wrong ??= time
    }
    expect(wrong).toBeNull()
    // Not two digits each, or out of range: whatever date-fns says (its own reading of the whole pattern).
    const dayStart = new UTCDate(Date.UTC(1970, 0, 1))
    for (const time of ['24:00:00', '23:60:00', '23:59:60', '7:05:09', '07:5:09', '07:05:9', '07-05-09', '07:05:09 ', 'ab:cd:ef', '99:99:99']) {
      const byDateFns = parse(time, 'HH:mm:ss', dayStart)
      expect(p(`24-03-01 ${time}`)).toBe(isValid(byDateFns) ? Date.UTC(2024, 2, 1) + byDateFns.getTime() - dayStart.getTime() : null)
    }
  })

  it('reads BitMEX-style 12-hour times and Deribit DD/MM/YY', () => {
    expect(dateTimeParser('M/d/yyyy, h:mm:ss a', 0, Date.now())('1/26/2020, 6:32:04 PM')).toBe(Date.UTC(2020, 0, 26, 18, 32, 4))
    expect(dateTimeParser('dd/MM/yy HH:mm:ss', 0, Date.now())('04/06/20 08:00:00')).toBe(Date.UTC(2020, 5, 4, 8))
  })

  it('takes only instants that carry their zone', () => {
    expect(parseZonedInstant('2024-01-02T08:00:00Z')).toBe(Date.UTC(2024, 0, 2, 8))
    expect(parseZonedInstant('1704182400')).toBe(1704182400000)
    expect(parseZonedInstant('2024-01-02 08:00:00')).toBeNull()
  })
})

describe('text and CSV records', () => {
  it('decodes UTF-16 LE and BE with their BOM, and UTF-8 with or without one', () => {
    const text = 'a,b\nx,é\n'
    expect(decodeAll('f', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toEqual({ text, encoding: 'utf-16le (BOM)' })
    const be = Buffer.from(text, 'utf16le').swap16()
    expect(decodeAll('f', Buffer.concat([Buffer.from([0xfe, 0xff]), be])).text).toBe(text)
    expect(decodeAll('f', Buffer.from(`\uFEFF${text}`)).encoding).toBe('utf-8 (BOM)')
  })

  it('names the line of a byte that is not UTF-8', () => {
    try {
      decodeAll('f.csv', Buffer.from([0x61, 0x0a, 0x62, 0x0a, 0x63, 0xe9, 0x0a]))
      throw new Error('not refused')
    } catch (e) {
      expect((e as ImportFailedError).issues[0]).toMatchObject({ line: 3, value: 'byte 0xE9 after "c"', message: expect.stringMatching(/not UTF-8/) })
    }
  })

  it('keeps line numbers across chunk boundaries, quoted newlines and quoted delimiters', () => {
    // A quoted field with a newline straddles the first chunk boundary.
    const chunks = ['h1,h2\n1,"a\nb', '"\n2,"x,y"\n', '3,z']
    const rows: Array<[string[], number]> = []
    const issues: ImportIssue[] = []
    forEachCsvRecord(chunks, { file: 'f', delimiter: ',', newline: '\n', skipLines: 1, header: ['h1', 'h2'], issue: (i) => issues.push(i) }, (f, line) => rows.push([f, line]))
    expect(issues).toEqual([])
    expect(rows).toEqual([
      [['1', 'a\nb'], 2],
      [['2', 'x,y'], 4],
      [['3', 'z'], 5],
    ])
  })

  it('strips a BOM before every field (OKEx 2020)', () => {
    const rows: string[][] = []
    forEachCsvRecord(['\uFEFFa,\uFEFFb\n\uFEFF1,\uFEFF2\n'], { file: 'f', delimiter: ',', newline: '\n', skipLines: 1, header: ['a', 'b'], issue: () => {} }, (f) => rows.push(f))
    expect(rows).toEqual([['1', '2']])
  })
})
