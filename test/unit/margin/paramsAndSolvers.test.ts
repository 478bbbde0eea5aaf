/**
 * Dated parameter tables (as-of selection, user overrides), the numeric solvers, and the decimal-string
 * boundary helpers.
 * Solver oracles: the Dottie number (the fixed point of cos, 0.7390851332151607) and ∛2 (Math.cbrt).
 */
import { describe, expect, it } from 'vitest'
import {
  BINANCE_USDM_BTCUSDT,
  MARGIN_PARAMS_FORMAT,
  MarginParamsError,
  builtInMarginParamsDocument,
  marginTables,
  parseMarginParamsOverride,
  selectAsOf,
  selectTable,
} from '../../../src/main/domain/margin/params/index'
import { marginRuleFor } from '../../../src/main/domain/margin/rules'
import { brentRoot, firstCrossing, SolverError } from '../../../src/main/domain/margin/solvers'
import { collateralFromBalances, marginPositionFromPosition, toMoneyString } from '../../../src/main/domain/margin/adapters'
import { revalueAccount } from '../../../src/main/domain/margin/account'
import { account, futurePosition, linearFuture } from './helpers'

describe('dated tables', () => {
  it('the as-of date picks the latest entry on or before it', () => {
    expect(selectAsOf(BINANCE_USDM_BTCUSDT, '2020-06-11').asOf).toBe('2020-06-11')
    expect(selectAsOf(BINANCE_USDM_BTCUSDT, '2024-12-31').asOf).toBe('2020-06-11')
    expect(selectAsOf(BINANCE_USDM_BTCUSDT, '2025-08-19').asOf).toBe('2025-08-19')
    expect(selectAsOf(BINANCE_USDM_BTCUSDT, '2030-01-01').asOf).toBe('2025-08-19')
  })

  it('a date before the first entry is an error, or the earliest entry flagged when the caller accepts it', () => {
    expect(() => selectAsOf(BINANCE_USDM_BTCUSDT, '2019-01-01')).toThrow(MarginParamsError)
    const s = selectTable(marginTables(), 'binance.usdm.brackets.BTCUSDT', '2019-01-01')
    expect(s.beforeFirstEntry).toBe(true)
    expect(s.asOf).toBe('2020-06-11')
  })

  it('malformed dates are refused', () => {
    expect(() => selectAsOf(BINANCE_USDM_BTCUSDT, '2025-02-30')).toThrow(/calendar date/)
    expect(() => selectAsOf(BINANCE_USDM_BTCUSDT, '25-01-01')).toThrow(/calendar date/)
  })

  it('the built-in tables, dumped for a user to copy, validate against their own schemas', () => {
    const doc = JSON.parse(JSON.stringify(builtInMarginParamsDocument()))
    const parsed = parseMarginParamsOverride(doc)
    expect(Object.keys(parsed.tables)).toContain('deribit.pm.BTC')
  })

  it('a user file adds a dated entry and a new symbol; the as-of date selects among built-in and user entries', () => {
    const override = parseMarginParamsOverride({
      format: MARGIN_PARAMS_FORMAT,
      tables: {
        'binance.usdm.brackets.BTCUSDT': [
          { asOf: '2026-11-01', sources: ['my export'], values: { notionalUnit: 'USDT', rows: [{ floor: '0', cap: null, mmr: '0.003' }] } },
        ],
        'binance.usdm.brackets.ETHUSDT': [
          { asOf: '2026-11-01', values: { notionalUnit: 'USDT', rows: [{ floor: '0', cap: null, mmr: '0.0065' }] } },
        ],
      },
    })
    const tables = marginTables(override)
    const before = selectTable(tables, 'binance.usdm.brackets.BTCUSDT', '2026-10-31')
    const after = selectTable(tables, 'binance.usdm.brackets.BTCUSDT', '2026-11-02')
    expect(before.asOf).toBe('2025-08-19')
    expect(after.asOf).toBe('2026-11-01')
    expect(after.dateBasis).toBe('user')
    const { rule, tables: used } = marginRuleFor({ venue: 'binance', kind: 'usdm', symbols: ['BTCUSDT', 'ETHUSDT'] }, tables, '2026-11-21')
    expect(used.map((u) => `${u.tableId}@${u.asOf}`)).toEqual(['binance.usdm.brackets.BTCUSDT@2026-11-01', 'binance.usdm.brackets.ETHUSDT@2026-11-01'])
    const v = revalueAccount(account('USDT', 1_000, [futurePosition(linearFuture('ETHUSDT', 'ETH'), 1, 3_000, 3_000, { leverage: 10 })]), rule)
    expect(v.maintenanceMargin).toBeCloseTo(3_000 * 0.0065, 12)
  })

  it('malformed override files are refused with the table and field named', () => {
    expect(() => parseMarginParamsOverride({ tables: {} })).toThrow(/format/)
    expect(() => parseMarginParamsOverride({ format: MARGIN_PARAMS_FORMAT, tables: { 'nope.table': [] } })).toThrow(/unknown table "nope.table"/)
    expect(() =>
      parseMarginParamsOverride({ format: MARGIN_PARAMS_FORMAT, tables: { 'deribit.futures': [{ asOf: '2026-01-01', values: { BTC: { initialBase: -1, maintenanceBase: 0, increasePerCoin: 0 } } }] } }),
    ).toThrow(/deribit\.futures\[0\]/)
    expect(() =>
      parseMarginParamsOverride({ format: MARGIN_PARAMS_FORMAT, tables: { 'span.scenarios': [{ asOf: '2026-13-01', values: { scenarios: [{ number: 1, priceMove: 0, volMove: 1, weight: 1 }] } }] } }),
    ).toThrow(/calendar date/)
  })

  it('a missing symbol names the table to add', () => {
    expect(() => marginRuleFor({ venue: 'binance', kind: 'usdm', symbols: ['NOSUCHUSDT'] }, marginTables(), '2026-01-01')).toThrow(/binance\.usdm\.brackets\.NOSUCHUSDT/)
  })
})

describe('solvers', () => {
  it('Brent: cos x = x → the Dottie number; x³ = 2 → ∛2, to a few ulp', () => {
    expect(Math.abs(brentRoot((x) => Math.cos(x) - x, 0, 1) - 0.7390851332151607)).toBeLessThan(4e-16)
    expect(Math.abs(brentRoot((x) => x * x * x - 2, 1, 2) - Math.cbrt(2))).toBeLessThan(4e-16)
  })

  it('Brent refuses an unbracketed root', () => {
    expect(() => brentRoot((x) => x * x + 1, -1, 1)).toThrow(SolverError)
  })

  it('outward scan: nearest crossing on each side, none when there is none, factor 1 when already breached', () => {
    const h = (f: number) => (f - 0.8) * (1.25 - f) // positive between 0.8 and 1.25
    expect(firstCrossing(h, -1)!.factor).toBeCloseTo(0.8, 14)
    expect(firstCrossing(h, 1)!.factor).toBeCloseTo(1.25, 14)
    expect(firstCrossing(() => 1, -1)).toBeNull()
    expect(firstCrossing(() => -1, 1)).toEqual({ factor: 1, value: -1 })
  })
})

describe('decimal boundary', () => {
  it('balances of one currency are summed exactly before the conversion to float64', () => {
    const c = collateralFromBalances([
      { currency: 'usdt', amount: '0.1' },
      { currency: 'USDT', amount: '0.2' },
      { currency: 'BTC', amount: '1.5', haircut: '0.05' },
    ])
    expect(c).toEqual([
      { currency: 'USDT', amount: 0.3 },
      { currency: 'BTC', amount: 1.5, haircut: 0.05 },
    ])
    expect(() => collateralFromBalances([{ currency: 'BTC', amount: 'abc' }])).toThrow(/decimal/)
  })

  it('stored positions (decimal strings) with resolved inputs become margin positions', () => {
    const instrument = { ...linearFuture('BTCUSDT'), venue: 'binance', quoteCurrency: 'USDT', settlementCurrency: 'USDT', contractSize: '1', contractSizeUnit: 'coin' as const, expiryMs: null }
    const p = marginPositionFromPosition(
      { venue: 'binance', account: 'main', instrument: instrument as never, quantity: '-0.005', entryPrice: '9451.53', entryTime: null, note: null },
      { index: 9_460, underlying: 9_462.81, sigma: null, T: null, mark: 9_462.81 },
      { leverage: 20, isolatedMargin: '10.72' },
    )
    expect(p).toMatchObject({ id: 'BTCUSDT', quantity: -0.005, entryPrice: 9_451.53, leverage: 20, isolatedMargin: 10.72 })
  })

  it('figures leave as decimal strings rounded half-up to the venue precision; non-finite → null', () => {
    expect(toMoneyString(0.125, 2)).toBe('0.13')
    expect(toMoneyString(11_383.994, 2)).toBe('11383.99')
    expect(toMoneyString(Infinity, 2)).toBeNull()
  })
})
