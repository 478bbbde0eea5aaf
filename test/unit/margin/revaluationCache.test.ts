/**
 * account.ts prices an option position's Black-76 value at its current inputs once per position (a liquidation scan
 * revalues each position hundreds of times) and prices it again when an input changed. Checked against the slow
 * path — the same position deep-copied, which the cache has never seen — to the bit, after each input is changed in
 * place. Inputs: BTC-26JUN20-9000-C of the real 2020-05-14 Deribit chain (shared/data/real: underlying_price 9399.68,
 * mark_iv 69.73 %, mark_price 0.13206676 BTC, expiry 2020-06-26 08:00 UTC, quotes at 2020-05-14 05:41:36 UTC).
 */
import { describe, expect, it } from 'vitest'
import { revalueAccount, type MarginPosition } from '../../../src/main/domain/margin/account'
import { DERIBIT_FUTURES_RATES, DERIBIT_OPTION_CONSTANTS, selectAsOf } from '../../../src/main/domain/margin/params/index'
import { deribitStandardRule } from '../../../src/main/domain/margin/rules'
import { account, inverseOption } from './helpers'

const T = (Date.UTC(2020, 5, 26, 8) - Date.UTC(2020, 4, 14, 5, 41, 36)) / (365 * 86_400_000)
const rule = deribitStandardRule({ futures: selectAsOf(DERIBIT_FUTURES_RATES, '2020-05-14', { fallbackToEarliest: true }).values, options: selectAsOf(DERIBIT_OPTION_CONSTANTS, '2020-05-14', { fallbackToEarliest: true }).values })

describe('the per-position Black-76 value now', () => {
  it('follows every change of the position\'s inputs (same figures as a copy never revalued)', () => {
    const withMark = (optionMark: number | null): MarginPosition => ({
      id: 'BTC-26JUN20-9000-C',
      instrument: inverseOption('BTC-26JUN20-9000-C', 9000, 'call'),
      quantity: -5,
      entryPrice: 0.13,
      market: { index: 9347.68, underlying: 9399.68, sigma: 0.6973, T, optionMark },
    })
    // Without a venue mark the model value is the mark itself; with one, it still moves the mark under a shock.
    for (const p of [withMark(null), withMark(0.13206676)]) {
      const acct = account('BTC', 20, [p])
      const shock = { spot: { BTC: -0.2 }, vol: 0.1 }
      const fresh = () => revalueAccount(structuredClone(acct), rule, shock)
      expect(revalueAccount(acct, rule, shock)).toEqual(fresh())
      const edits: Array<(m: MarginPosition['market']) => void> = [
        (m) => (m.sigma = 0.85),
        (m) => (m.underlying = 9100),
        (m) => (m.T = T / 2),
      ]
      for (const edit of edits) {
        const before = revalueAccount(acct, rule, shock).equity
        edit(p.market)
        const after = revalueAccount(acct, rule, shock)
        expect(after).toEqual(fresh())
        expect(after.equity).not.toBe(before)
      }
      // The strike too (a position object reused for another option).
      ;(p.instrument as { strike: number }).strike = 9500
      expect(revalueAccount(acct, rule, shock)).toEqual(fresh())
    }
  })
})
