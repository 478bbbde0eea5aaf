/**
 * The import commands as a user runs them (a child process on a temporary database) and the import calls of
 * the API through the one dispatcher (zod-validated, base64 uploads): `import --json` per file
 * {file, format, rows, positions, skipped, errors:[{line, column, message}]} with a non-zero exit when any
 * file failed; `formats`; `imports`; `mapping save|list|delete` and `import --map NAME|FILE`; `positions --json`
 * fields. The broker file and its mapping: test/fixtures/importers/mapping/.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImportReport } from '../../../src/shared/importApi'
import { openDatabase, type Db } from '../../../src/main/db/database'
import { createRiskdeskHandlers, dispatch } from '../../../src/main/services/riskdeskApi'
import { runRiskdesk } from '../../support/cli'
import { dataSnapshot } from '../../support/dbSnapshot'
import { IMPORT_FIXTURES, REAL, tempDir } from '../../support/paths'

const BROKER = join(IMPORT_FIXTURES, 'mapping', 'broker_positions_export.csv')
const BROKER_MAP = join(IMPORT_FIXTURES, 'mapping', 'broker-positions.mapping.json')

/** The CLI as a child process; a non-zero exit is returned, not thrown. */
describe('riskdesk import / formats / imports / mapping / positions', () => {
  const db = join(tempDir(), 'riskdesk.db')

  it('import --json: one entry per file; a failed file makes the exit code 1 and is written nowhere', async () => {
    const good = join(IMPORT_FIXTURES, 'generic', 'generic_trades_deribit.csv')
    const bad = join(IMPORT_FIXTURES, 'broken', 'text-in-number-column-binance-price(UTC+0).csv')
    const r = await runRiskdesk(db, 'import', good, bad, '--portfolio', 'cli', '--json')
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout) as Array<Record<string, unknown>>
    expect(out).toHaveLength(2)
    expect(out[0]).toMatchObject({ file: 'generic_trades_deribit.csv', format: 'generic-trades', status: 'imported', rows: 5, positions: 2, skipped: 0, errors: [] })
    expect(out[1]).toMatchObject({
      file: 'text-in-number-column-binance-price(UTC+0).csv',
      format: 'binance-futures-trades',
      status: 'failed',
      errors: [{ line: 3, column: 'Price (5)', value: 'sixty-four k', message: expect.stringMatching(/^expected a decimal number/) }],
    })
    expect(r.stderr).toContain('line 3, column Price (5): expected a decimal number')
    // Zero-size rows are counted under skipped.
    const hedge = await runRiskdesk(db, 'import', join(REAL, 'binance', 'binance_coinm_positionRisk_docs_example.jsonc'), '--portfolio', 'cli', '--account', 'coinm', '--json')
    expect(hedge.code).toBe(0)
    expect(JSON.parse(hedge.stdout)[0]).toMatchObject({ status: 'imported', rows: 3, positions: 1, skipped: 2 })
  })

  it('the same file again: status duplicate, exit 0', async () => {
    const r = await runRiskdesk(db, 'import', join(IMPORT_FIXTURES, 'generic', 'generic_trades_deribit.csv'), '--portfolio', 'cli', '--json')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)[0]).toMatchObject({ status: 'duplicate', duplicateOf: 1 })
    const text = await runRiskdesk(db, 'import', join(IMPORT_FIXTURES, 'generic', 'generic_trades_deribit.csv'), '--portfolio', 'cli')
    expect(text.stdout).toMatch(/already imported \(import #1/)
  })

  it('formats: one line each; --json lists every format with its content', async () => {
    const r = await runRiskdesk(db, 'formats')
    const lines = r.stdout.trim().split('\n')
    const json = JSON.parse((await runRiskdesk(db, 'formats', '--json')).stdout) as Array<{ id: string; content: string }>
    expect(lines).toHaveLength(json.length)
    expect(json.map((f) => f.id)).toEqual(expect.arrayContaining(['deribit-transaction-log', 'binance-futures-trades', 'bybit-transaction-log', 'okx-trading-history', 'bitmex-executions', 'generic-positions', 'generic-trades', 'generic-balances', 'ccxt-positions']))
    expect(lines[0]).toMatch(/^\S+\s+\S/)
  })

  it('imports --json: the history, newest first, with options, counts and skipped rows', async () => {
    const r = await runRiskdesk(db, 'imports', '--json')
    const list = JSON.parse(r.stdout) as Array<Record<string, unknown>>
    expect(list.map((e) => e.format)).toEqual(['binance-coinm-position-risk', 'generic-trades'])
    expect(list[0]).toMatchObject({ portfolio: 'cli', options: { account: 'coinm' }, rowsSkipped: 2, host: 'cli', importedAt: expect.stringMatching(/Z$/) })
    expect((await runRiskdesk(db, 'imports')).stdout).toMatch(/binance_coinm_positionRisk_docs_example\.jsonc/)
  })

  it('mapping: import --map FILE, save it, import --map NAME; positions --json gives the issue’s fields', async () => {
    // Without a mapping the broker file is refused (unrecognised header); with it: 3 positions.
    const unmapped = await runRiskdesk(db, 'import', BROKER, '--portfolio', 'broker', '--json')
    expect(unmapped.code).toBe(1)
    expect(JSON.parse(unmapped.stdout)[0].errors[0].message).toMatch(/unrecognised header/)

    const dry = await runRiskdesk(db, 'import', BROKER, '--map', BROKER_MAP, '--portfolio', 'broker', '--dry-run', '--json')
    expect(dry.code).toBe(0)
    expect(JSON.parse(dry.stdout)[0]).toMatchObject({ status: 'preview', positions: 3 })

    expect((await runRiskdesk(db, 'mapping', 'save', 'broker-xyz', BROKER_MAP)).stdout).toMatch(/saved mapping "broker-xyz" \(positions\)/)
    expect(JSON.parse((await runRiskdesk(db, 'mapping', 'list', '--json')).stdout).map((m: { name: string }) => m.name)).toEqual(['broker-xyz'])
    const r = await runRiskdesk(db, 'import', BROKER, '--map', 'broker-xyz', '--portfolio', 'broker', '--json')
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)[0]).toMatchObject({ format: 'mapped-positions', status: 'imported', rows: 3, positions: 3 })

    const p = JSON.parse((await runRiskdesk(db, 'positions', '--portfolio', 'broker', '--json')).stdout) as { positions: Array<Record<string, unknown>> }
    const byName = Object.fromEntries(p.positions.map((x) => [x.instrument, x]))
    // Quantities and prices are decimal text (DESIGN.md numbers policy). Line 3: Short "12,000" (USD) of Deribit BTC-PERPETUAL at 61250 → −12000 USD, inverse.
    expect(byName['BTC-PERPETUAL']).toMatchObject({
      venue: 'deribit', account: 'alpha', instrument: 'BTC-PERPETUAL', symbol: 'BTC/USD:BTC', kind: 'perpetual', settlement: 'inverse', quantity: '-12000', quantityUnit: 'usd', entryPrice: '61250',
    })
    // Line 4: Long 0.25 of OKX BTC-USDT-SWAP at 60500.5 — the mapping does not say contracts, so 0.25 BTC.
    expect(byName['BTC-USDT-SWAP']).toMatchObject({ venue: 'okx', instrument: 'BTC-USDT-SWAP', symbol: 'BTC/USDT:USDT', settlement: 'linear', quantity: '0.25', quantityUnit: 'coin', entryPrice: '60500.5' })
    // The API's document, as every host gives it: `instrument` the venue's own name, `symbol` the canonical one.
    expect(Object.keys(p.positions[0]!)).toEqual(expect.arrayContaining(['venue', 'account', 'instrument', 'symbol', 'kind', 'settlement', 'quantity', 'quantityUnit', 'entryPrice']))

    expect((await runRiskdesk(db, 'mapping', 'delete', 'broker-xyz')).stdout).toMatch(/deleted "broker-xyz"/)
    const gone = await runRiskdesk(db, 'import', BROKER, '--map', 'broker-xyz', '--json')
    expect(gone.code).toBe(1)
  })
})

describe('the import calls through the API dispatcher (what the Import view uses in Electron and the browser)', () => {
  let db: Db
  let handlers: ReturnType<typeof createRiskdeskHandlers>
  beforeAll(() => {
    db = openDatabase(join(tempDir(), 'riskdesk.db'))
    handlers = createRiskdeskHandlers({ db, stressPool: () => { throw new Error('no stress here') } })
  })
  afterAll(() => db.close())
  const call = (name: string, input: unknown) => dispatch(handlers, name, input)
  const upload = (path: string, name = path.split('/').pop()!) => ({ fileName: name, contentBase64: readFileSync(path).toString('base64') })

  it('previewImport detects the format, shows the first lines and positions, and writes nothing', async () => {
    const before = dataSnapshot(db)
    const r = (await call('previewImport', { ...upload(join(IMPORT_FIXTURES, 'robustness', 'generic_positions_utf16le_bom_tab_excel_unicode_text.txt')), settings: {} })) as ImportReport
    expect(r).toMatchObject({ status: 'preview', ok: true, format: 'generic-positions', encoding: 'utf-16le (BOM)', delimiter: 'tab' })
    expect(r.rawLines[0]).toMatch(/^venue\taccount\tinstrument/)
    expect(r.positions.map((p) => [p.symbol, p.quantity])).toEqual([['BTC/USD:BTC-200626-9000-C', '2'], ['BTC/USD:BTC', '-500']])
    expect(dataSnapshot(db)).toBe(before)
  })

  it('previewImport with an inline mapping (the mapping dialog’s live preview), then importUpload with it', async () => {
    const mapping = JSON.parse(readFileSync(BROKER_MAP, 'utf8'))
    const file = upload(BROKER)
    const wrong = (await call('previewImport', { ...file, settings: { mapping: { ...mapping, columns: { ...mapping.columns, quantity: 'Quantity' } } } })) as ImportReport
    expect(wrong.ok).toBe(false)
    expect(wrong.errors[0]!.message).toMatch(/Quantity/)
    const preview = (await call('previewImport', { ...file, settings: { mapping } })) as ImportReport
    expect(preview).toMatchObject({ ok: true, status: 'preview', rows: 3 })
    const done = (await call('importUpload', { ...file, settings: { mapping, portfolio: 'web' } })) as ImportReport
    expect(done).toMatchObject({ ok: true, status: 'imported', rows: 3 })
    const history = (await call('listImports', { portfolio: 'web' })) as Array<{ fileName: string; host: string }>
    expect(history).toMatchObject([{ fileName: 'broker_positions_export.csv', host: 'app' }])
  })

  it('importUpload of a broken file returns its errors grouped by message, and writes nothing', async () => {
    const before = dataSnapshot(db)
    const r = (await call('importUpload', { ...upload(join(IMPORT_FIXTURES, 'broken', 'wrong-delimiter-header-comma-rows-semicolon.csv')), settings: {} })) as ImportReport
    expect(r).toMatchObject({ ok: false, status: 'failed', errorCount: 1 })
    expect(r.errorGroups[0]).toMatchObject({ count: 1, lines: [2] })
    expect(dataSnapshot(db)).toBe(before)
  })

  it('refuses malformed input before any work (zod)', async () => {
    await expect(call('importUpload', { fileName: '', contentBase64: 'AA==' })).rejects.toThrow(/invalid input for importUpload: fileName/)
    await expect(call('saveMapping', { name: 'x', mapping: { target: 'nonsense', columns: {} } })).rejects.toThrow(/invalid input for saveMapping/)
  })
})
