/**
 * The tier tables kept as data files (params/tierData.ts, params/data/*.json): loaded, validated, dated,
 * merged with the registry, and checked against independent figures:
 *  - Binance's own `cum` of every bracket (in the recorded leverageBracket response) equals the decimal
 *    recursion of tiers.ts: parseTierDataFile refuses a table otherwise, so loading the files is the check;
 *  - Binance's own maintenance margins in its positionRisk v3 docs example (shared/data/real/binance):
 *    COMPUSDT maintMargin 0.49720233 USDT on notional 49.72023376 (1 %, bracket 1 here);
 *  - hand computations in the comments.
 */
import { describe, expect, it } from 'vitest'
import { buildTierTable, tieredMaintenanceMargin } from '../../../src/main/domain/margin/tiers'
import {
  BUILT_IN_TIER_DATA,
  builtInMarginParamsDocument,
  marginTables,
  parseTierDataFile,
  selectTableById,
  validateTierValues,
  type TierTableValues,
} from '../../../src/main/domain/margin/params/index'

const values = (id: string, asOf: string) => selectTableById<TierTableValues>(marginTables(), id, asOf)

describe('the bundled tier data files', () => {
  it('hold 12 Binance USDⓈ-M USDT perpetuals, BTCUSDC and ETHUSDC, and the Bybit inverse BTCUSD tier 1', () => {
    const ids = BUILT_IN_TIER_DATA.map((t) => t.tableId)
    for (const s of ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT', 'DOGEUSDT', 'BNBUSDT', 'ADAUSDT', 'LINKUSDT', 'LTCUSDT', 'DOTUSDT', '1000PEPEUSDT', 'COMPUSDT', 'BTCUSDC', 'ETHUSDC'])
      expect(ids).toContain(`binance.usdm.brackets.${s}`)
    expect(ids).toContain('bybit.inverse.riskLimits.BTCUSD')
    expect(ids).toHaveLength(15)
  })

  it('every entry is dated, sourced and explains its date', () => {
    for (const t of BUILT_IN_TIER_DATA) {
      expect(t.entry.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      expect(t.entry.dateBasis).toBe('recorded')
      expect(t.entry.sources.length).toBeGreaterThan(0)
      expect(t.entry.note).toMatch(/window|time/)
    }
  })

  it("every Binance cum is reproduced by the recursion (e.g. BTCUSDT bracket 4: 3,000,000 × (1 % − 0.65 %) + 950 = 11,450)", () => {
    const t = buildTierTable(values('binance.usdm.brackets.BTCUSDT', '2024-07-01').values)
    expect(t.tiers[3]!.maintenanceAmountExact).toBe('11450')
    for (const d of BUILT_IN_TIER_DATA)
      d.entry.values.rows.forEach((r, i) => {
        if (r.publishedMaintenanceAmount !== undefined) expect(buildTierTable(d.entry.values).tiers[i]!.maintenanceAmountExact).toBe(r.publishedMaintenanceAmount)
      })
  })

  it('merge with the registry: BTCUSDT keeps its 2020 and 2025 entries and gains the 2024 one, chosen by date', () => {
    expect(values('binance.usdm.brackets.BTCUSDT', '2021-01-01').asOf).toBe('2020-06-11')
    expect(values('binance.usdm.brackets.BTCUSDT', '2024-07-01').asOf).toBe('2024-06-28')
    expect(values('binance.usdm.brackets.BTCUSDT', '2025-09-01').asOf).toBe('2025-08-19')
    // ADAUSDT exists only from the data file: an earlier date falls back to it, flagged.
    const early = values('binance.usdm.brackets.ADAUSDT', '2023-01-01')
    expect(early.asOf).toBe('2024-06-28')
    expect(early.beforeFirstEntry).toBe(true)
    expect(Object.keys(builtInMarginParamsDocument().tables)).toContain('binance.usdm.brackets.ADAUSDT')
  })

  it("COMPUSDT: Binance's own maintMargin 0.49720233 USDT (positionRisk v3 docs example) = 49.72023376 × 1 % − 0", () => {
    const t = buildTierTable(values('binance.usdm.brackets.COMPUSDT', '2024-07-01').values)
    const mm = tieredMaintenanceMargin(t, 49.72023376).maintenanceMargin
    expect(mm.toFixed(8)).toBe('0.49720234') // 0.4972023376, which Binance prints truncated as 0.49720233
    expect(Math.abs(mm - 0.4972023)).toBeLessThan(1e-7)
  })

  it("ADAUSDT: this table's bracket 1 is 0.5 %, while Binance's docs example of 2024-07-11 implies 0.65 % (stated in the note)", () => {
    const entry = values('binance.usdm.brackets.ADAUSDT', '2024-07-11')
    // The docs example: maintMargin 0.08004280 / notional 12.31427700 = 0.0065.
    expect(0.0800428 / 12.314277).toBeCloseTo(0.0065, 6)
    expect(entry.values.rows[0]!.mmr).toBe('0.005')
    expect(entry.note).toMatch(/0\.65 %/)
  })

  it('BNBUSDT and SOLUSDT are closed where transcription stopped: larger notionals are flagged beyond the table', () => {
    const bnb = buildTierTable(values('binance.usdm.brackets.BNBUSDT', '2024-07-01').values)
    expect(tieredMaintenanceMargin(bnb, 30_000_000).beyondTable).toBe(true)
    expect(tieredMaintenanceMargin(bnb, 10_000).beyondTable).toBe(false)
  })
})

describe('validation names the file, table, tier and field', () => {
  const file = (tables: unknown[]) => ({
    format: 'riskdesk-tier-tables/1',
    defaults: { asOf: '2024-01-01', dateBasis: 'recorded', sources: ['test'] },
    tables,
  })
  const row = (floor: string, cap: string | null, mmr: string, cum?: string) => ({ floor, cap, mmr, maxLeverage: 10, ...(cum ? { publishedMaintenanceAmount: cum } : {}) })

  it('a gap between tiers', () => {
    expect(() => parseTierDataFile(file([{ table: 'binance.usdm.brackets.XUSDT', notionalUnit: 'USDT', rows: [row('0', '100', '0.01'), row('200', null, '0.02')] }]), 'x.json')).toThrow(
      /x\.json tables\[0\] binance\.usdm\.brackets\.XUSDT: tier 2: floor 200 ≠ previous cap 100/,
    )
  })

  it('a published cum that the recursion does not give', () => {
    // 100 × (0.02 − 0.01) + 0 = 1, not 2.
    expect(() => parseTierDataFile(file([{ table: 'binance.usdm.brackets.XUSDT', notionalUnit: 'USDT', rows: [row('0', '100', '0.01', '0'), row('100', null, '0.02', '2')] }]), 'x.json')).toThrow(
      /tier 2 published maintenance amount 2 ≠ 1/,
    )
  })

  it('an MMR above 1, a non-decimal, an unknown family, a bad date', () => {
    expect(() => parseTierDataFile(file([{ table: 'binance.usdm.brackets.XUSDT', notionalUnit: 'USDT', rows: [row('0', null, '1.5')] }]), 'x.json')).toThrow(/MMR 1\.5 outside \[0, 1\]/)
    expect(() => parseTierDataFile(file([{ table: 'binance.usdm.brackets.XUSDT', notionalUnit: 'USDT', rows: [row('0', null, '1e-3')] }]), 'x.json')).toThrow(/rows\.0\.mmr/)
    expect(() => parseTierDataFile(file([{ table: 'foo.XUSDT', notionalUnit: 'USDT', rows: [row('0', null, '0.01')] }]), 'x.json')).toThrow(/not a tier table id/)
    expect(() => parseTierDataFile({ ...file([{ table: 'binance.usdm.brackets.XUSDT', notionalUnit: 'USDT', rows: [row('0', null, '0.01')] }]), defaults: { asOf: '2024-02-30', dateBasis: 'recorded', sources: ['t'] } }, 'x.json')).toThrow(/2024-02-30/)
  })

  it("validateTierValues can report a cum mismatch as a note (the venue's own responses) instead of failing", () => {
    const notes = validateTierValues({ notionalUnit: 'USDT', rows: [{ floor: '0', cap: '100', mmr: '0.01' }, { floor: '100', cap: null, mmr: '0.02', publishedMaintenanceAmount: '2' }] }, 'resp', { publishedMismatch: 'note' })
    expect(notes).toEqual([expect.stringMatching(/resp: tier 2 published maintenance amount 2 ≠ 1 .* the recursion's amount is used/)])
  })
})
