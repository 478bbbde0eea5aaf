/**
 * Deribit standard margin against the published worked examples.
 * Sources:
 *  - futures: Deribit "Linear Perpetual" worked table,
 *    https://support.deribit.com/hc/en-us/articles/25944738177565-Linear-Perpetual (BTC_USDC at $100,000,
 *    SOL_USDC at $200), rates of the 11 Jan 2022 notice
 *    https://support.deribit.com/hc/en-us/articles/25944826427293-11-January-2022;
 *  - options: the research note's §1.2 test table [D(S)], computed there from the third-party formula at
 *    https://doc.tslab.pro/tslab/eng/data-providers/connection-to-broker/deribit-cryptocurrency-exchange/deribit-margin-requirements-calculation.
 * Precision: USDC has 6 decimals, BTC/SOL amounts 8+; the catalogue asks "exact" for futures and 1e-9 for
 * options.
 */
import { describe, expect, it } from 'vitest'
import { deribitFuturesMargin, deribitOptionMargin } from '../../../src/main/domain/margin/deribitStandard'
import { DERIBIT_FUTURES_RATES, DERIBIT_OPTION_CONSTANTS, selectAsOf } from '../../../src/main/domain/margin/params/index'

const rates = selectAsOf(DERIBIT_FUTURES_RATES, '2024-01-01').values
const constants = selectAsOf(DERIBIT_OPTION_CONSTANTS, '2026-11-21').values

describe('Deribit standard margin: futures and perpetuals (Linear Perpetual article)', () => {
  it('catalogue #1: BTC_USDC 25 BTC at $100,000 → IM 2.125% = 53,125 USDC, MM 1.125% = 28,125 USDC', () => {
    const r = deribitFuturesMargin({ sizeCoin: 25, rates: rates.BTC!, settlement: 'linear', indexPrice: 100_000 })
    expect(r.initialMarginRate).toBeCloseTo(0.02125, 12)
    expect(r.maintenanceMarginRate).toBeCloseTo(0.01125, 12)
    expect(r.initialMarginCoin).toBeCloseTo(0.53125, 10)
    expect(r.maintenanceMarginCoin).toBeCloseTo(0.28125, 10)
    expect(Math.abs(r.initialMargin - 53_125)).toBeLessThan(1e-6)
    expect(Math.abs(r.maintenanceMargin - 28_125)).toBeLessThan(1e-6)
    expect(r.unit).toBe('USDC')
  })

  it('0 BTC → IM rate 2%, MM rate 1%, no margin', () => {
    const r = deribitFuturesMargin({ sizeCoin: 0, rates: rates.BTC!, settlement: 'linear', indexPrice: 100_000 })
    expect(r.initialMarginRate).toBe(0.02)
    expect(r.maintenanceMarginRate).toBe(0.01)
    expect(r.initialMargin).toBe(0)
  })

  it('catalogue #2: 350 BTC → IM rate 3.75% = 13.125 BTC = 1,312,500 USDC; MM rate 2.75% = 9.625 BTC [D: page cut off]', () => {
    const r = deribitFuturesMargin({ sizeCoin: -350, rates: rates.BTC!, settlement: 'linear', indexPrice: 100_000 })
    expect(r.initialMarginRate).toBeCloseTo(0.0375, 12)
    expect(r.initialMarginCoin).toBeCloseTo(13.125, 9)
    expect(Math.abs(r.initialMargin - 1_312_500)).toBeLessThan(1e-6)
    expect(r.maintenanceMarginRate).toBeCloseTo(0.0275, 12)
    expect(r.maintenanceMarginCoin).toBeCloseTo(9.625, 9)
  })

  it('SOL_USDC 25 SOL at $200 → IM 4.0125% = 1.003125 SOL = 200.625 USDC; MM 2.0125% = 0.503125 SOL = 100.625 USDC', () => {
    const r = deribitFuturesMargin({ sizeCoin: 25, rates: rates.SOL!, settlement: 'linear', indexPrice: 200 })
    expect(r.initialMarginRate).toBeCloseTo(0.040125, 12)
    expect(r.initialMarginCoin).toBeCloseTo(1.003125, 10)
    expect(Math.abs(r.initialMargin - 200.625)).toBeLessThan(1e-6)
    expect(r.maintenanceMarginRate).toBeCloseTo(0.020125, 12)
    expect(r.maintenanceMarginCoin).toBeCloseTo(0.503125, 10)
    expect(Math.abs(r.maintenanceMargin - 100.625)).toBeLessThan(1e-6)
  })

  it('catalogue #3: SOL_USDC 6,000 SOL at $200 → IM 7% = 420 SOL = 84,000 USDC', () => {
    const r = deribitFuturesMargin({ sizeCoin: 6_000, rates: rates.SOL!, settlement: 'linear', indexPrice: 200 })
    expect(r.initialMarginRate).toBeCloseTo(0.07, 12)
    expect(r.initialMarginCoin).toBeCloseTo(420, 8)
    expect(Math.abs(r.initialMargin - 84_000)).toBeLessThan(1e-6)
  })

  it('inverse BTC futures margin stays in coin', () => {
    const r = deribitFuturesMargin({ sizeCoin: 25, rates: rates.BTC!, settlement: 'inverse' })
    expect(r.unit).toBe('coin')
    expect(r.initialMargin).toBeCloseTo(0.53125, 10)
  })

  it('linear futures without an index are refused', () => {
    expect(() => deribitFuturesMargin({ sizeCoin: 1, rates: rates.BTC!, settlement: 'linear' })).toThrow(/index/)
  })
})

describe('Deribit standard margin: inverse options (research note §1.2 table, S = 100,000, BTC per contract)', () => {
  const S = 100_000
  const rows = [
    { leg: 'short call OTM (catalogue #4)', type: 'call', K: 110_000, mark: 0.01, im: 0.11, mm: 0.085 },
    { leg: 'short call ATM', type: 'call', K: 100_000, mark: 0.04, im: 0.19, mm: 0.115 },
    { leg: 'short call ITM', type: 'call', K: 90_000, mark: 0.12, im: 0.27, mm: 0.195 },
    { leg: 'short put (catalogue #5)', type: 'put', K: 95_000, mark: 0.02, im: 0.12, mm: 0.095 },
    { leg: 'short put far OTM', type: 'put', K: 80_000, mark: 0.001, im: 0.101, mm: 0.076 },
  ] as const
  for (const r of rows) {
    it(`${r.leg}: K ${r.K}, mark ${r.mark} → IM ${r.im}, MM ${r.mm} BTC`, () => {
      const m = deribitOptionMargin({ contracts: -1, optionType: r.type, strike: r.K, indexPrice: S, mark: r.mark, constants })
      expect(Math.abs(m.initialMarginPerContract - r.im)).toBeLessThan(1e-9)
      expect(Math.abs(m.maintenanceMarginPerContract - r.mm)).toBeLessThan(1e-9)
    })
  }

  it('scales with the number of contracts; long options carry no margin', () => {
    const short = deribitOptionMargin({ contracts: -3, optionType: 'call', strike: 110_000, indexPrice: S, mark: 0.01, constants })
    expect(Math.abs(short.initialMargin - 0.33)).toBeLessThan(1e-9)
    expect(Math.abs(short.maintenanceMargin - 0.255)).toBeLessThan(1e-9)
    const long = deribitOptionMargin({ contracts: 3, optionType: 'put', strike: 95_000, indexPrice: S, mark: 0.02, constants })
    expect(long.initialMargin).toBe(0)
    expect(long.maintenanceMargin).toBe(0)
  })

  it('the linear (USDC) variant is flagged as an approximation and scales the rate terms by S', () => {
    const m = deribitOptionMargin({ contracts: -1, optionType: 'call', strike: 110_000, indexPrice: S, mark: 1_000, constants, settlement: 'linear' })
    expect(m.approximation).toBe(true)
    // Rate terms × S, mark in USDC: max(0.15 − 0.1, 0.10) × 100,000 + 1,000 and 0.075 × 100,000 + 1,000.
    expect(m.initialMarginPerContract).toBeCloseTo(11_000, 6)
    expect(m.maintenanceMarginPerContract).toBeCloseTo(8_500, 6)
  })
})
