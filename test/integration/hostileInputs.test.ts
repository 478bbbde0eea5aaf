/**
 * Hostile inputs (issue 12, items 3–7), through the real CLI (bin/riskdesk.mjs as a child process) against a
 * database that already holds the demo book: every case is refused with a message naming the file (and the
 * line and column where there is one) and what was expected, with no stack trace, and the database's data
 * is byte-identical afterwards (test/support/dbSnapshot.ts). Each case must answer within 10 s (the test's
 * timeout): nothing may block or hang. The files are generated here (the large ones are never committed).
 *
 * Expected values are stated by hand from the inputs: the line of the offending row in the file written
 * here, the documented ranges (README "Security" table, shared/ranges.ts), Deribit's expiry of
 * BTC-22MAY20 (22 May 2020 08:00 UTC, the chain file's own expiration_timestamp 1590134400000).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { parse } from 'csv-parse/sync'
import { beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/main/db/database'
import { importFile } from '../../src/main/services/importService'
import { valueBook } from '../../src/main/services/valuationService'
import { runRiskdesk } from '../support/cli'
import { dataSnapshot } from '../support/dbSnapshot'
import { CHAIN_2020_05_14, tempDir } from '../support/paths'

const CASE_TIMEOUT_MS = 10_000
const GENERIC_HEADER = 'venue,account,instrument,quantity,entry_price,entry_time,note'

let dir: string
let db: string

/** The database's every data row, read through a fresh connection (the CLI has exited). */
function dump(): string {
  const d = openDatabase(db)
  try {
    return dataSnapshot(d)
  } finally {
    d.close()
  }
}

/** Writes a generated file into the test's directory and returns its path. */
function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

/** A stack trace line such as `    at readRows (/…/readFile.ts:12:3)`. */
const STACK = /^\s+at .+:\d+:\d+\)?$/m

/** Runs the CLI, expects it to refuse (exit 1) without a stack trace and without touching the data. */
async function refused(...args: string[]): Promise<string> {
  const before = dump()
  const r = await runRiskdesk(db, ...args)
  const out = `${r.stdout}\n${r.stderr}`
  expect(r.code, out).toBe(1)
  expect(out).not.toMatch(STACK)
  expect(dump()).toBe(before)
  return out
}

/** A zip archive holding one stored file (PKWARE APPNOTE 4.3.7/4.3.12/4.3.16: local header, central directory, end record). */
function zipOf(name: string, content: string): Uint8Array {
  const data = Buffer.from(content)
  const nameBytes = Buffer.from(name)
  const crc = crc32(data)
  const local = Buffer.alloc(30)
  local.writeUInt32LE(0x04034b50, 0)
  local.writeUInt16LE(20, 4)
  local.writeUInt32LE(crc, 14)
  local.writeUInt32LE(data.length, 18)
  local.writeUInt32LE(data.length, 22)
  local.writeUInt16LE(nameBytes.length, 26)
  const central = Buffer.alloc(46)
  central.writeUInt32LE(0x02014b50, 0)
  central.writeUInt16LE(20, 4)
  central.writeUInt16LE(20, 6)
  central.writeUInt32LE(crc, 16)
  central.writeUInt32LE(data.length, 20)
  central.writeUInt32LE(data.length, 24)
  central.writeUInt16LE(nameBytes.length, 28)
  const centralOffset = local.length + nameBytes.length + data.length
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(1, 8)
  end.writeUInt16LE(1, 10)
  end.writeUInt32LE(central.length + nameBytes.length, 12)
  end.writeUInt32LE(centralOffset, 16)
  return Buffer.concat([local, nameBytes, data, central, nameBytes, end])
}

/** The real chain file's header and its rows, each with its parsed record. */
function chainRows(): { header: string; rows: Array<{ line: string; rec: Record<string, string> }> } {
  const text = readFileSync(CHAIN_2020_05_14, 'utf8')
  const lines = text.split('\n').filter((l) => l.trim() !== '')
  const recs = parse(text, { columns: true }) as Array<Record<string, string>>
  return { header: lines[0]!, rows: recs.map((rec, i) => ({ line: lines[i + 1]!, rec })) }
}

beforeAll(async () => {
  dir = tempDir('riskdesk-hostile-')
  db = join(dir, 'hostile.db')
  const demo = await runRiskdesk(db, 'demo', '--json')
  expect(demo.code, demo.stderr).toBe(0)
}, 120_000)

describe('numbers outside their documented range are refused at every boundary', () => {
  it('a quantity of 1e309 (±∞ as float64) in a positions CSV: file, line 2, column quantity, the range', { timeout: CASE_TIMEOUT_MS }, async () => {
    const path = file('inf-quantity.csv', `${GENERIC_HEADER}\nderibit,hedge,BTC-PERPETUAL,1e309,9455.5,,\n`)
    const out = await refused('import', path, '--portfolio', 'hostile')
    expect(out).toContain('inf-quantity.csv, line 2, column quantity (4): expected a quantity greater than -1e15 and below 1e15')
    expect(out).toContain('too large to compute with (found "1e309")')
  })

  it('a quantity of 1e-400 (non-zero text that is 0 as float64) is refused, not stored', { timeout: CASE_TIMEOUT_MS }, async () => {
    const path = file('tiny-quantity.csv', `${GENERIC_HEADER}\nderibit,options,BTC-26JUN20-9000-C,1e-400,0.03,,\n`)
    const out = await refused('import', path, '--portfolio', 'hostile')
    expect(out).toContain('tiny-quantity.csv, line 2, column quantity (4)')
    expect(out).toContain('too small to mean anything')
  })

  it('a JSON size of 1e309 in a Deribit get_positions dump quotes the literal, not "null"', { timeout: CASE_TIMEOUT_MS }, async () => {
    const path = file(
      'inf-size.json',
      '{"result": [\n {"instrument_name": "BTC-PERPETUAL",\n  "size": 1e309,\n  "direction": "buy", "average_price": 9000, "mark_price": 9100, "index_price": 9100}\n]}\n',
    )
    const out = await refused('import', path, '--portfolio', 'hostile')
    expect(out).toContain('inf-size.json, line 3, column size:')
    expect(out).toContain('(found "1e309")')
    expect(out).not.toContain('"null"')
  })

  it('stress --vol 1e308:1e308:1 names the vol-shock range (±1000 vol points)', { timeout: CASE_TIMEOUT_MS }, async () => {
    const out = await refused('stress', '--vol', '1e308:1e308:1')
    expect(out).toContain('expected a vol shock at least -1000 and at most 1000 vol points')
  })

  it('stress --horizon 1e308 names the horizon range (0–3650 days), no zod JSON', { timeout: CASE_TIMEOUT_MS }, async () => {
    const out = await refused('stress', '--horizon', '1e308')
    expect(out).toContain('expected a horizon at least 0 and at most 3650 days; got "1e308"')
    expect(out).not.toContain('"code"')
  })

  it('stress --spot -50:50:0.0001 (a 1,000,001-step range) says how to fix it', { timeout: CASE_TIMEOUT_MS }, async () => {
    const out = await refused('stress', '--spot', '-50:50:0.0001')
    expect(out).toContain('more than 10,000 steps: use a coarser STEP')
  })

  it('margin-settings set --leverage 1e308 names the leverage range (0–1000)', { timeout: CASE_TIMEOUT_MS }, async () => {
    const out = await refused('margin-settings', 'set', 'deribit/main/BTC', '--leverage', '1e308')
    expect(out).toContain('expected leverage greater than 0 and at most 1000')
    expect(out).not.toContain('"code"')
  })

  it('cascade --impact-y 1e300 names the range of Y, not an internal "spot shock -1"', { timeout: CASE_TIMEOUT_MS }, async () => {
    const out = await refused('cascade', '--impact-y', '1e300')
    expect(out).toContain('expected the impact coefficient Y at least 0 and at most 10')
    expect(out).not.toContain('spot shock -1')
  })

  it('a cascade whose impact drives the price to 0 (flow ≫ daily volume) says so in the options’ terms', { timeout: CASE_TIMEOUT_MS }, async () => {
    // Y·σ·√(X/V) with Y 10, σ 1 and V 1e-6 BTC: exp(−impact) underflows to 0 for any forced flow of a coin.
    const out = await refused('cascade', '--impact-y', '10', '--daily-vol', '1', '--depth', '0.000001')
    expect(out).toContain("the forced selling drives BTC's price to 0 under the square-root impact")
    expect(out).not.toContain('spot shock -1')
  })

  it('a scenario file with spot.shock 1e300 is refused with the file and the spot-shock range', { timeout: CASE_TIMEOUT_MS }, async () => {
    const path = file('huge-shock.json', '{"name": "huge", "spot": {"shock": 1e300}}\n')
    const out = await refused('scenarios', 'save', path)
    expect(out).toContain('huge-shock.json: not a valid scenario: spot.shock: expected a spot shock greater than -1 and at most 10')
  })
})

describe('dates are real dates', () => {
  it('2020-02-30T00:00:00Z is refused (not rolled over to 1 March)', { timeout: CASE_TIMEOUT_MS }, async () => {
    const path = file('feb-30.csv', `${GENERIC_HEADER}\nderibit,options,BTC-26JUN20-9000-C,1,0.03,2020-02-30T00:00:00Z,\n`)
    const out = await refused('import', path, '--portfolio', 'hostile')
    expect(out).toContain('feb-30.csv, line 2, column entry_time (6): not a real date or time')
  })

  it('a time without a zone says the expected form', { timeout: CASE_TIMEOUT_MS }, async () => {
    const path = file('no-zone.csv', `${GENERIC_HEADER}\nderibit,options,BTC-26JUN20-9000-C,1,0.03,2020-05-08T08:30:00,\n`)
    const out = await refused('import', path, '--portfolio', 'hostile')
    expect(out).toContain('no-zone.csv, line 2, column entry_time (6): a time without a time zone would be a guess; expected ISO-8601 with a time zone (2024-01-05T08:00:00Z')
  })

  it("an option entered after its expiry is refused (BTC-26JUN20 expired 2020-06-26T08:00Z, Deribit's 08:00 UTC)", { timeout: CASE_TIMEOUT_MS }, async () => {
    const path = file('entry-after-expiry.csv', `${GENERIC_HEADER}\nderibit,options,BTC-26JUN20-9000-C,1,0.03,2020-07-01T00:00:00Z,\n`)
    const out = await refused('import', path, '--portfolio', 'hostile')
    expect(out).toContain("entry-after-expiry.csv, line 2, column entry_time (6): entry time is after BTC-26JUN20-9000-C's expiry 2020-06-26T08:00:00.000Z")
  })

  it("a chain quote dated after its option's expiry is refused", { timeout: CASE_TIMEOUT_MS }, async () => {
    const { header, rows } = chainRows()
    const first = rows[0]!
    expect(first.rec.instrument_name).toBe('BTC-22MAY20-9250-P')
    expect(first.rec.expiration_timestamp).toBe('1590134400000') // 2020-05-22T08:00:00Z
    const late = String(1590134400000 + 3_600_000)
    const path = file('quote-after-expiry.csv', `${header}\n${first.line.replace(`,${first.rec.timestamp},`, `,${late},`)}\n`)
    const out = await refused('import', path)
    expect(out).toContain("quote-after-expiry.csv, line 2, column timestamp (8): quote dated after BTC-22MAY20-9250-P's expiry 2020-05-22T08:00:00.000Z")
  })
})

describe('files that are not files, and binary files', () => {
  it('a FIFO is refused at once, not read forever', { timeout: CASE_TIMEOUT_MS }, async () => {
    const path = join(dir, 'positions.fifo')
    execFileSync('mkfifo', [path])
    const out = await refused('import', path)
    expect(out).toContain('positions.fifo: a named pipe (FIFO), not a regular file: only regular files (up to 1 GiB) are read')
  })

  it('/dev/zero and a directory are refused at once', { timeout: CASE_TIMEOUT_MS }, async () => {
    const sub = join(dir, 'a-folder')
    mkdirSync(sub)
    const out = await refused('import', '/dev/zero', sub)
    expect(out).toContain('zero: a device, not a regular file')
    expect(out).toContain('a-folder: a directory, not a regular file')
  })

  it('a 100,000-deep JSON document: a depth-limit message naming the file, no stack overflow', { timeout: CASE_TIMEOUT_MS }, async () => {
    const path = file('deep.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}\n`)
    const out = await refused('import', path)
    expect(out).toContain('deep.json, line 1: JSON nested more than 64 levels deep')
    expect(out).not.toContain('Maximum call stack')
  })

  it('a 100,000-deep scenario file is refused the same way', { timeout: CASE_TIMEOUT_MS }, async () => {
    const path = file('deep-scenario.json', `{"name": "x", "spot": ${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`)
    const out = await refused('scenarios', 'save', path)
    expect(out).toContain('deep-scenario.json, line 1: JSON nested more than 64 levels deep')
  })

  it('a key given twice in one JSON object is refused (size must not silently take one of the two)', { timeout: CASE_TIMEOUT_MS }, async () => {
    const path = file(
      'duplicate-size.json',
      '{"result": [\n {"instrument_name": "BTC-PERPETUAL",\n  "size": 10,\n  "size": 20,\n  "direction": "buy", "average_price": 9000, "mark_price": 9100, "index_price": 9100}\n]}\n',
    )
    const out = await refused('import', path, '--portfolio', 'hostile')
    expect(out).toContain('duplicate-size.json, line 4, column size: the key appears twice in one object (first on line 3)')
  })

  it('an ELF executable is "binary, not a text export" (not "UTF-16 without a BOM")', { timeout: CASE_TIMEOUT_MS }, async () => {
    // The first 4 KB of a real executable (/bin/sh, an ELF file on Linux).
    const path = file('program.csv', readFileSync('/bin/sh').subarray(0, 4096))
    const out = await refused('import', path)
    expect(out).toContain('program.csv: binary, not a text export: the file is an ELF executable')
    expect(out).not.toContain('UTF-16')
  })

  it('a zip archive is "binary, not a text export"', { timeout: CASE_TIMEOUT_MS }, async () => {
    const path = file('export.zip', zipOf('positions.csv', `${GENERIC_HEADER}\nderibit,hedge,BTC-PERPETUAL,10,9000,,\n`))
    const out = await refused('import', path)
    expect(out).toContain('export.zip: binary, not a text export: the file is a zip archive')
  })

  it('a million blank lines before the header are located, not called "empty"', { timeout: CASE_TIMEOUT_MS }, async () => {
    const path = file('blank-lines.csv', `${'\n'.repeat(1_000_000)}${GENERIC_HEADER}\nderibit,hedge,BTC-PERPETUAL,10,9000,,\n`)
    const out = await refused('import', path, '--portfolio', 'hostile')
    // 1,000,000 newlines put the header on line 1,000,001.
    expect(out).toContain('blank-lines.csv, line 1000001: the file starts with 1,000,000 blank lines')
    expect(out).not.toContain('the file is empty')
  })
})

describe('messages a terminal can show', () => {
  it('a 1 MB instrument name is echoed shortened (the whole output stays under 4 KB)', { timeout: CASE_TIMEOUT_MS }, async () => {
    const path = file('long-name.csv', `${GENERIC_HEADER}\nderibit,hedge,${'X'.repeat(1_000_000)},10,9000,,\n`)
    const out = await refused('import', path, '--portfolio', 'hostile')
    expect(out).toContain('long-name.csv, line 2, column instrument (3)')
    expect(out).toContain('X…')
    expect(out.length).toBeLessThan(4096)
  })

  it('ESC/OSC sequences in a bad value are printed escaped, never raw', { timeout: CASE_TIMEOUT_MS }, async () => {
    const path = file('escape.csv', `${GENERIC_HEADER}\nderibit,hedge,BTC-PERPETUAL,\u001b]0;pwned\u0007\u001b[31m10,9000,,\n`)
    const out = await refused('import', path, '--portfolio', 'hostile')
    expect(out).toContain('escape.csv, line 2, column quantity (4)')
    expect(out).toContain('\\x1b]0;pwned\\x07\\x1b[31m10')
    expect(out).not.toContain('\u001b')
    expect(out).not.toContain('\u0007')
  })

  it('an empty portfolio name is refused by the CLI as by the API', { timeout: CASE_TIMEOUT_MS }, async () => {
    const path = file('fine.csv', `${GENERIC_HEADER}\nderibit,hedge,BTC-PERPETUAL,10,9000,,\n`)
    const out = await refused('import', path, '--portfolio', '')
    expect(out).toContain('expected a portfolio name, got an empty one')
  })
})

describe('accepted text from files is escaped in CLI output', () => {
  it('an account name holding ESC/OSC sequences is listed escaped by positions and its import', { timeout: 30_000 }, async () => {
    const own = join(tempDir('riskdesk-escape-'), 'escape.db')
    const path = file('escape-account.csv', `${GENERIC_HEADER}\nderibit,\u001b]0;pwned\u0007\u001b[2Jdesk,BTC-PERPETUAL,10,9000,,\n`)
    const imported = await runRiskdesk(own, 'import', path, '--portfolio', 'esc')
    expect(imported.code, imported.stderr).toBe(0)
    const positions = await runRiskdesk(own, 'positions')
    for (const out of [imported.stdout, positions.stdout]) {
      expect(out).not.toContain('\u001b')
      expect(out).toContain('\\x1b]0;pwned\\x07\\x1b[2Jdesk')
    }
  })
})

describe('expired options are flagged and kept out of every total', () => {
  it('an option past its expiry at the market time is "expired: awaiting settlement" and the totals equal the book without it', () => {
    const d = openDatabase(join(tempDir('riskdesk-expired-'), 'expired.db'))
    try {
      importFile(d, CHAIN_2020_05_14)
      // A second snapshot of the same chain, dated 2020-05-23 00:00 UTC (after BTC-22MAY20 expired on 22 May
      // 08:00 UTC), holding only the options still alive then: the market now stands after that expiry.
      const { header, rows } = chainRows()
      const later = String(Date.UTC(2020, 4, 23))
      const alive = rows.filter((r) => Number(r.rec.expiration_timestamp) > Number(later)).map((r) => r.line.replace(`,${r.rec.timestamp},`, `,${later},`))
      importFile(d, file('chain-2020-05-23.csv', `${header}\n${alive.join('\n')}\n`))
      importFile(d, file('with-expired.csv', `${GENERIC_HEADER}\nderibit,opt,BTC-22MAY20-9250-P,1,0.04,2020-05-14T00:00:00Z,\nderibit,hedge,BTC-PERPETUAL,10000,9000,,\n`), { portfolio: 'with' })
      importFile(d, file('without.csv', `${GENERIC_HEADER}\nderibit,hedge,BTC-PERPETUAL,10000,9000,,\n`), { portfolio: 'without' })

      const withExpired = valueBook(d, { portfolio: 'with' }).report
      const without = valueBook(d, { portfolio: 'without' }).report
      const put = withExpired.positions.find((p) => p.instrument === 'BTC-22MAY20-9250-P')!
      expect(put.error).toMatch(/^expired: awaiting settlement: BTC-22MAY20-9250-P expired 2020-05-22T08:00:00.000Z/)
      expect(put.valueUsd).toBeNull()
      const btcWith = withExpired.totals.find((t) => t.underlying === 'BTC')!
      const btcWithout = without.totals.find((t) => t.underlying === 'BTC')!
      expect(btcWith.excluded).toBe(1)
      // Independent reference: the same book without the expired line, valued on the same market.
      for (const k of ['delta', 'gamma', 'vegaUsd', 'thetaUsd', 'valueUsd'] as const) expect(btcWith[k]).toBe(btcWithout[k])
      expect(withExpired.book).toEqual(without.book)
    } finally {
      d.close()
    }
  })
})
