/**
 * Custom what-if options are named in the venue's own syntax, then parsed by the venue's parser (which gives the
 * expiry hour). Expected names and instants from the venues' published naming:
 *  - Deribit "Naming" (docs.deribit.com): BTC-26JUN20-9000-C, linear SOL_USDC-27DEC24-250-P, `d` for a strike's
 *    decimal point (XRP_USDC-…-0d625-C); every expiry at 08:00 UTC;
 *  - Bybit options: BTC-29MAR24-60000-C; OKX options: BTC-USD-241227-60000-C, expiring 08:00 UTC.
 */
import { describe, expect, it } from 'vitest'
import { customInstrument, customOptionName, CustomOptionError } from '../../../src/main/services/whatifCustomLeg'

describe('customOptionName', () => {
  it("composes each venue's option name from its terms", () => {
    expect(customOptionName('deribit', 'btc', '9500', '2020-06-26', 'call')).toBe('BTC-26JUN20-9500-C')
    expect(customOptionName('deribit', 'BTC', '9500', '2020-06-05', 'put')).toBe('BTC-5JUN20-9500-P')
    expect(customOptionName('deribit', 'XRP', '0.625', '2024-12-27', 'call', true)).toBe('XRP_USDC-27DEC24-0d625-C')
    expect(customOptionName('bybit', 'BTC', '60000', '2024-03-29', 'call')).toBe('BTC-29MAR24-60000-C')
    expect(customOptionName('okx', 'BTC', '60000', '2024-12-27', 'put')).toBe('BTC-USD-241227-60000-P')
  })

  it('refuses an impossible date and a venue without options', () => {
    expect(() => customOptionName('deribit', 'BTC', '9500', '2020-02-30', 'call')).toThrow(CustomOptionError)
    expect(() => customOptionName('binance', 'BTC', '9500', '2020-06-26', 'call')).toThrow(/lists no options here/)
  })

  it('the terms and the name give the same instrument, at the venue expiry hour (Deribit 08:00 UTC)', () => {
    const byTerms = customInstrument('deribit', { underlying: 'BTC', strike: '9500', expiry: '2020-06-26', optionType: 'call' })
    const byName = customInstrument('deribit', { name: 'BTC-26JUN20-9500-C' })
    expect(byTerms).toEqual(byName)
    expect(byName.expiryMs).toBe(Date.UTC(2020, 5, 26, 8))
    expect(byName.settlement).toBe('inverse')
    expect(customInstrument('deribit', { name: 'BTC_USDC-26JUN20-9500-C' }).settlement).toBe('linear')
    expect(() => customInstrument('deribit', { name: 'BTC-26JUN20' })).toThrow(/is a future, not an option/)
  })
})
