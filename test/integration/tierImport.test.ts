/**
 * `riskdesk import tiers.json`: the venues' own tier responses (importers/tierResponses.ts) are read exactly,
 * validated, stored market-wide (db/marginTierStore.ts), dated by the response's own time or else the import
 * day, and used by the margin engine. Fixtures: test/fixtures/tiers/README.md (numbers from Binance's
 * recorded brackets, Bybit's own docs example, a recorded OKX tier).
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../src/main/db/database'
import { storedTierEntries } from '../../src/main/db/marginTierStore'
import { importFile } from '../../src/main/services/importService'
import { marginReport } from '../../src/main/services/marginService'
import { runRiskdesk } from '../support/cli'
import { importIssuesOf } from '../support/importFailure'
import { accountOf } from '../support/marginReport'
import { FIXTURES, REAL, tempDir } from '../support/paths'
import { marginRequest } from '../../src/shared/marginApi'

const T = (name: string) => join(FIXTURES, 'tiers', name)
// 2026-03-02 12:00 UTC: the import clock for responses without a time of their own.
const NOW = Date.UTC(2026, 2, 2, 12)

let dir: string
let db: Db

beforeAll(() => {
  dir = tempDir()
  db = openDatabase(join(dir, 'riskdesk.db'))
})

afterAll(() => db.close())

const entry = (tableId: string) => storedTierEntries(db).filter((e) => e.tableId === tableId).at(-1)!

describe('Binance GET /fapi/v1/leverageBracket', () => {
  it('is recognised, stored per symbol with exact decimals, dated by the import day', () => {
    const out = importFile(db, T('binance_usdm_leverageBracket_from_freqtrade_info_variant.json'), { now: NOW })
    expect(out.format).toBe('binance-usdm-leverage-bracket')
    expect(out.content).toBe('tiers')
    expect(out.portfolio).toBeNull()
    const btc = entry('binance.usdm.brackets.BTCUSDT')
    expect(btc.asOf).toBe('2026-03-02')
    expect(btc.dateBasis).toBe('imported')
    expect(btc.note).toMatch(/no time of its own: dated by the import \(2026-03-02\)/)
    const v = btc.values as { notionalUnit: string; rows: Array<{ floor: string; cap: string; mmr: string; publishedMaintenanceAmount: string; maxLeverage: number }> }
    expect(v.notionalUnit).toBe('USDT')
    expect(v.rows).toHaveLength(12)
    // Bracket 3 as Binance sends it: {"notionalFloor": 600000, "notionalCap": 3000000, "maintMarginRatio": 0.0065, "cum": 950, "initialLeverage": 75}.
    expect(v.rows[2]).toEqual({ floor: '600000', cap: '3000000', mmr: '0.0065', maxLeverage: 75, publishedMaintenanceAmount: '950' })
    expect(entry('binance.usdm.brackets.ADAUSDT').values).toMatchObject({ notionalUnit: 'USDT' })
  })

  it('the margin engine uses it: BTCUSDT (v2 hedge file) takes the imported entry of the valuation day', () => {
    importFile(db, join(REAL, 'binance', 'binance_usdm_positionRisk_v2_hedge_docs_example.jsonc'), { portfolio: 'usdm', now: NOW })
    // As of the import day: the tables in force that day (the book's own time, 2022-06-14 in the file, would
    // select the 2020 table: the imported entry applies from 2026-03-02 on).
    expect(accountOf(marginReport(db, marginRequest.parse({ portfolio: 'usdm' })), 'binance/main/USDT').tables.find((x) => x.id === 'binance.usdm.brackets.BTCUSDT')!.asOf).toBe('2020-06-11')
    const a = accountOf(marginReport(db, marginRequest.parse({ portfolio: 'usdm', asOf: '2026-03-02' })), 'binance/main/USDT')
    const t = a.tables.find((x) => x.id === 'binance.usdm.brackets.BTCUSDT')!
    expect([t.asOf, t.dateBasis]).toEqual(['2026-03-02', 'imported'])
    expect(t.sources.join(' ')).toMatch(/riskdesk import #\d+ \(binance_usdm_leverageBracket_from_freqtrade_info_variant\.json/)
    // 0.001 BTC × mark 21,123.05052574 = 21.12305 USDT in bracket 1: × 0.4 % − 0 = 0.084492 USDT.
    expect(a.positions.find((p) => p.id.startsWith('BTCUSDT'))!.maintenanceMargin).toBe('0.084492')
  })

  it('a gap between brackets fails the file with its line and the tiers named; nothing is stored', () => {
    const before = storedTierEntries(db).length
    const issues = importIssuesOf(() => importFile(db, T('binance_usdm_leverageBracket_gap_variant.json'), { now: NOW }))
    expect(issues.map((i) => i.message).join('\n')).toMatch(/BTCUSDT: tier 3: floor 700000 ≠ previous cap 600000/)
    expect(issues[0]!.line).toBe(2)
    expect(storedTierEntries(db)).toHaveLength(before)
  })
})

describe('Binance COIN-M GET /dapi/v2/leverageBracket', () => {
  it("Binance's docs example: BTCUSD_PERP filed under the pair, brackets in BTC", () => {
    const out = importFile(db, T('binance_coinm_leverageBracket_docs_example.json'), { now: NOW })
    expect(out.format).toBe('binance-coinm-leverage-bracket')
    const e = entry('binance.coinm.brackets.BTCUSD')
    // {"qtyCap": 50, "qtyFloor": 0, "maintMarginRatio": 0.004, "cum": 0.0, "initialLeverage": 125}
    expect(e.values).toEqual({ notionalUnit: 'BTC', rows: [{ floor: '0', cap: '50', mmr: '0.004', maxLeverage: 125, publishedMaintenanceAmount: '0' }] })
    expect(e.sources.join(' ')).toMatch(/BTCUSD_PERP/)
  })
})

describe('Bybit GET /v5/market/risk-limit', () => {
  it("Bybit's own example: percent rates read as such, dated by the response time 2022-12-26", () => {
    const out = importFile(db, T('bybit_risk_limit_inverse_docs_example_variant.json'), { now: NOW })
    expect(out.format).toBe('bybit-risk-limit')
    const e = entry('bybit.inverse.riskLimits.BTCUSD')
    expect([e.asOf, e.dateBasis]).toEqual(['2022-12-26', 'recorded'])
    // "maintenanceMargin": "0.5" with "initialMargin": "1" and "maxLeverage": "100.00": 1 × 100 = 100 → percent.
    expect(e.values).toEqual({ notionalUnit: 'BTC', rows: [{ floor: '0', cap: '150', mmr: '0.005', maxLeverage: 100, publishedMaintenanceAmount: '0' }] })
    expect(e.note).toMatch(/percent/)
  })
})

describe('OKX GET /api/v5/public/position-tiers', () => {
  it('stored as okx.swap.tiers.BTC-USDT-SWAP with the contract value of the contract-spec table (0.01 BTC)', () => {
    const out = importFile(db, T('okx_position_tiers_BTC-USDT_one_tier_variant.json'), { now: NOW })
    expect(out.format).toBe('okx-position-tiers')
    const e = entry('okx.swap.tiers.BTC-USDT-SWAP')
    expect(e.values).toEqual({
      contractValueCoin: '0.01',
      contractValueUnit: 'coin',
      explicit: [{ maxContracts: '1000', mmr: '0.004', minImr: '0.01', maxLeverage: 100 }],
      stepContracts: '0',
      mmrStep: '0',
      imrStep: '0',
      generatedTiers: 0,
    })
  })
})

describe('ccxt fetchLeverageTiers (Binance USDⓈ-M), the layout of freqtrade’s binance_leverage_tiers.json', () => {
  it("reads Binance's own brackets from each tier's info: COMP/USDT:USDT → binance.usdm.brackets.COMPUSDT", () => {
    const out = importFile(db, T('ccxt_binance_leverage_tiers_COMP_from_freqtrade_variant.json'), { now: NOW })
    expect(out.format).toBe('ccxt-binance-leverage-tiers')
    const v = entry('binance.usdm.brackets.COMPUSDT').values as { rows: Array<{ publishedMaintenanceAmount: string }> }
    // "cum": "75.0" in info → 75 = 5,000 × (2.5 % − 1 %).
    expect(v.rows[1]!.publishedMaintenanceAmount).toBe('75')
    expect(v.rows).toHaveLength(7)
  })
})

describe('the CLI', () => {
  it('riskdesk import of a tier response reports the tier tables and riskdesk formats lists the formats', async () => {
    const cliDb = join(dir, 'cli.db')
    const r = await runRiskdesk(cliDb, 'import', T('bybit_risk_limit_inverse_docs_example_variant.json'), '--json')
    expect(r.code, r.stderr).toBe(0)
    const [out] = JSON.parse(r.stdout) as Array<{ format: string; content: string; status: string }>
    expect([out!.format, out!.content, out!.status]).toEqual(['bybit-risk-limit', 'tiers', 'imported'])
    const f = await runRiskdesk(cliDb, 'formats')
    for (const id of ['binance-usdm-leverage-bracket', 'binance-coinm-leverage-bracket', 'bybit-risk-limit', 'okx-position-tiers', 'ccxt-binance-leverage-tiers'])
      expect(f.stdout).toContain(id)
  }, 120_000)
})
