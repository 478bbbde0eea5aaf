/** Deribit instrument names. Independent sources: Deribit's naming docs and the expiry column of the real chain. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { InstrumentNameError, parseDeribitExpiry, parseDeribitInstrument } from '../../src/main/domain/instruments/deribitInstrument'
import { CHAIN_2020_05_14 } from '../support/paths'

describe('parseDeribitInstrument', () => {
  it('reads an inverse option: coin-sized, coin-quoted, strike in USD, expiry 08:00 UTC', () => {
    expect(parseDeribitInstrument('BTC-26JUN20-9000-C')).toEqual({
      venue: 'deribit',
      name: 'BTC-26JUN20-9000-C',
      symbol: 'BTC/USD:BTC-200626-9000-C',
      kind: 'option',
      settlement: 'inverse',
      underlying: 'BTC',
      quoteCurrency: 'USD',
      settlementCurrency: 'BTC',
      contractSize: '1',
      contractSizeUnit: 'coin',
      quantityUnit: 'coin',
      priceUnit: 'coin',
      priceCurrency: 'BTC',
      expiryMs: Date.parse('2020-06-26T08:00:00Z'),
      strike: 9000,
      optionType: 'call',
    })
  })

  it('reads perpetuals and futures: USD face, 10 USD contracts for BTC and 1 USD for ETH', () => {
    expect(parseDeribitInstrument('BTC-PERPETUAL')).toMatchObject({ kind: 'perpetual', settlement: 'inverse', quantityUnit: 'usd', contractSize: '10', expiryMs: null })
    expect(parseDeribitInstrument('ETH-25SEP20')).toMatchObject({ kind: 'future', underlying: 'ETH', contractSize: '1', expiryMs: Date.parse('2020-09-25T08:00:00Z') })
  })

  it('reads linear USDC contracts, decimal strikes and spot', () => {
    expect(parseDeribitInstrument('BTC_USDC-PERPETUAL')).toMatchObject({ kind: 'perpetual', settlement: 'linear', settlementCurrency: 'USDC', quantityUnit: 'coin' })
    expect(parseDeribitInstrument('XRP_USDC-27DEC24-0d625-C')).toMatchObject({ kind: 'option', settlement: 'linear', strike: 0.625, priceUnit: 'usd' })
    expect(parseDeribitInstrument('BTC_USDC')).toMatchObject({ kind: 'spot', settlement: 'linear' })
    expect(parseDeribitInstrument('BTC-5JUN20')).toMatchObject({ expiryMs: Date.parse('2020-06-05T08:00:00Z') })
  })

  it.each(['BTC-31FEB20-9000-C', 'BTC-26JUN20-9000-X', 'BTC-26JUN20-abc-C', 'btc-PERPETUAL', 'BTC', 'BTC-26JUN20-9000', 'SYN.BTC-22MAY20'])(
    'refuses %s with a message that shows the expected form',
    (name) => {
      expect(() => parseDeribitInstrument(name)).toThrow(InstrumentNameError)
      expect(() => parseDeribitInstrument(name)).toThrow(/expected e\.g\. BTC-PERPETUAL/)
    },
  )

  it('agrees with the expiration_timestamp Deribit gives for every option of the real chain', () => {
    const lines = readFileSync(CHAIN_2020_05_14, 'utf8').trim().split('\n').slice(1)
    expect(lines).toHaveLength(310)
    for (const line of lines) {
      const [, expiry, , name] = line.split(',')
      expect(parseDeribitInstrument(name!).expiryMs).toBe(Number(expiry))
    }
  })

  it('parses expiry codes and rejects impossible dates', () => {
    expect(parseDeribitExpiry('29FEB20')).toBe(Date.parse('2020-02-29T08:00:00Z'))
    expect(parseDeribitExpiry('29FEB21')).toBeNull()
    expect(parseDeribitExpiry('1XYZ20')).toBeNull()
  })
})
