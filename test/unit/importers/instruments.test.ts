/**
 * Canonical instruments: every venue name maps to one ccxt-style unified symbol with kind, settlement,
 * contract size, expiry, strike and option type. Sources: each parser's docstring (venue naming docs,
 * contract specifications); the contract-spec table resources/contract-specs.json.
 */
import { describe, expect, it } from 'vitest'
import { BUILT_IN_SPECS } from '../../../src/main/domain/instruments/builtInSpecs'
import { ContractSpecTableError, findContractSpec, mergeSpecTables, MissingContractSpecError, parseContractSpecTable } from '../../../src/main/domain/instruments/contractSpecs'
import { lastFridayOfMonth } from '../../../src/main/domain/instruments/expiry'
import { parseUnifiedSymbol, unifiedSymbol } from '../../../src/main/domain/instruments/unifiedSymbol'
import { parseVenueInstrument } from '../../../src/main/domain/instruments/venueInstrument'

const utc = (s: string) => Date.parse(s)

describe('venue names → canonical instruments', () => {
  it.each([
    // venue, name, symbol, kind, settlement, quantity unit, contract size, size unit, price currency, expiry
    ['deribit', 'BTC-PERPETUAL', 'BTC/USD:BTC', 'perpetual', 'inverse', 'usd', '10', 'usd', 'USD', null],
    ['deribit', 'ETH-25SEP20', 'ETH/USD:ETH-200925', 'future', 'inverse', 'usd', '1', 'usd', 'USD', '2020-09-25T08:00:00Z'],
    ['deribit', 'BTC-26JUN20-9000-C', 'BTC/USD:BTC-200626-9000-C', 'option', 'inverse', 'coin', '1', 'coin', 'BTC', '2020-06-26T08:00:00Z'],
    ['deribit', 'XRP_USDC-27DEC24-0d625-P', 'XRP/USDC:USDC-241227-0.625-P', 'option', 'linear', 'coin', '1', 'coin', 'USDC', '2024-12-27T08:00:00Z'],
    ['binance', 'BTCUSDT', 'BTC/USDT:USDT', 'perpetual', 'linear', 'coin', '1', 'coin', 'USDT', null],
    ['binance', 'ETHUSDT_240628', 'ETH/USDT:USDT-240628', 'future', 'linear', 'coin', '1', 'coin', 'USDT', '2024-06-28T08:00:00Z'],
    ['binance', 'BTCUSD_PERP', 'BTC/USD:BTC', 'perpetual', 'inverse', 'usd', '100', 'usd', 'USD', null],
    ['binance', 'ETHUSD_201225', 'ETH/USD:ETH-201225', 'future', 'inverse', 'usd', '10', 'usd', 'USD', '2020-12-25T08:00:00Z'],
    ['binance', 'LTC/BTC', 'LTC/BTC', 'spot', 'linear', 'coin', '1', 'coin', 'BTC', null],
    ['bybit', 'BTCUSD', 'BTC/USD:BTC', 'perpetual', 'inverse', 'usd', '1', 'usd', 'USD', null],
    ['bybit', 'BTCUSDH24', 'BTC/USD:BTC-240329', 'future', 'inverse', 'usd', '1', 'usd', 'USD', '2024-03-29T08:00:00Z'],
    ['bybit', 'ETHPERP', 'ETH/USDC:USDC', 'perpetual', 'linear', 'coin', '1', 'coin', 'USDC', null],
    ['bybit', 'BTC-29MAR24-60000-C', 'BTC/USDC:USDC-240329-60000-C', 'option', 'linear', 'coin', '1', 'coin', 'USDC', '2024-03-29T08:00:00Z'],
    ['okx', 'BTC-USDT-SWAP', 'BTC/USDT:USDT', 'perpetual', 'linear', 'coin', '0.01', 'coin', 'USDT', null],
    ['okx', 'BTC-USD-SWAP', 'BTC/USD:BTC', 'perpetual', 'inverse', 'usd', '100', 'usd', 'USD', null],
    ['okx', 'BTC-USD-241227', 'BTC/USD:BTC-241227', 'future', 'inverse', 'usd', '100', 'usd', 'USD', '2024-12-27T08:00:00Z'],
    ['okx', 'BTC-USD-241227-60000-C', 'BTC/USD:BTC-241227-60000-C', 'option', 'inverse', 'coin', '0.01', 'coin', 'BTC', '2024-12-27T08:00:00Z'],
    ['okx', 'LTC-USDT', 'LTC/USDT', 'spot', 'linear', 'coin', '1', 'coin', 'USDT', null],
    ['bitmex', 'XBTUSD', 'BTC/USD:BTC', 'perpetual', 'inverse', 'usd', '1', 'usd', 'USD', null],
    ['bitmex', 'XBTZ20', 'BTC/USD:BTC-201225', 'future', 'inverse', 'usd', '1', 'usd', 'USD', '2020-12-25T12:00:00Z'],
    // dYdX v4 (docs "Margining": USDC collateral, size in the coin; ccxt names the market BTC/USDC:USDC).
    ['dydx', 'BTC-USD', 'BTC/USDC:USDC', 'perpetual', 'linear', 'coin', '1', 'coin', 'USDC', null],
    ['dydx', '1INCH-USD', '1INCH/USDC:USDC', 'perpetual', 'linear', 'coin', '1', 'coin', 'USDC', null],
  ] as const)('%s %s → %s', (venue, name, symbol, kind, settlement, quantityUnit, contractSize, contractSizeUnit, priceCurrency, expiry) => {
    const i = parseVenueInstrument(venue, name)
    expect(i).toMatchObject({ venue, name, symbol, kind, settlement, quantityUnit, contractSize, contractSizeUnit, priceCurrency })
    expect(i.expiryMs).toBe(expiry === null ? null : utc(expiry))
  })

  it('refuses a dYdX name that is not a BASE-USD perpetual ticker', () => {
    expect(() => parseVenueInstrument('dydx', 'BTC-PERPETUAL')).toThrow(/expected a perpetual ticker BASE-USD/)
    expect(() => parseVenueInstrument('dydx', 'btc-usd')).toThrow(/not a dydx instrument name/)
  })

  it('refuses BitMEX quanto contracts by name instead of mislabelling them', () => {
    expect(() => parseVenueInstrument('bitmex', 'ETHUSD')).toThrow(/quanto and linear BitMEX contracts are not supported/)
  })

  it('never guesses a contract size the table does not give, and says how to add it', () => {
    expect(() => parseVenueInstrument('okx', 'ETH-USDT-SWAP')).toThrow(MissingContractSpecError)
    expect(() => parseVenueInstrument('okx', 'ETH-USDT-SWAP')).toThrow(/add a row \{"venue": "okx", "match": "ETH-USDT-SWAP"/)
  })
})

describe('contract-spec table', () => {
  it('is dated and every row names its source', () => {
    expect(BUILT_IN_SPECS.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    for (const s of BUILT_IN_SPECS.specs) {
      expect(s.source.length).toBeGreaterThan(20)
      expect(s.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    }
  })

  it('picks the most literal pattern: BTCUSD_* (100 USD) beats *USD_* (10 USD)', () => {
    expect(findContractSpec(BUILT_IN_SPECS, 'binance', 'BTCUSD_PERP', 'perpetual')?.contractSize).toBe('100')
    expect(findContractSpec(BUILT_IN_SPECS, 'binance', 'SOLUSD_PERP', 'perpetual')?.contractSize).toBe('10')
  })

  it('lets a user table add instruments and override built-in rows', () => {
    const user = parseContractSpecTable(
      {
        asOf: '2026-11-21',
        specs: [
          { venue: 'okx', match: 'ETH-USDT-SWAP', contractSize: '0.1', unit: 'coin', source: 'my check of OKX instruments', checked: '2026-11-21' },
          { venue: 'binance', match: 'BTCUSD_*', kinds: ['perpetual'], contractSize: '100', unit: 'usd', source: 'same as built-in, restated', checked: '2026-11-21' },
          { venue: 'binance', match: 'ADAUSD_*', contractSize: '5', unit: 'usd', source: 'hypothetical override for the test', checked: '2026-11-21' },
        ],
      },
      'user-specs.json',
    )
    const merged = mergeSpecTables(BUILT_IN_SPECS, user)
    expect(parseVenueInstrument('okx', 'ETH-USDT-SWAP', merged)).toMatchObject({ contractSize: '0.1', quantityUnit: 'coin' })
    expect(parseVenueInstrument('binance', 'ADAUSD_PERP', merged).contractSize).toBe('5')
    expect(merged.origins).toEqual(['resources/contract-specs.json', 'user-specs.json'])
  })

  it('refuses a malformed user table with the bad field named', () => {
    expect(() => parseContractSpecTable({ asOf: '2026-11-21', specs: [{ venue: 'okx', match: 'X', contractSize: 'abc', unit: 'usd', source: 's', checked: '2026-11-21' }] }, 'bad.json')).toThrow(
      ContractSpecTableError,
    )
    expect(() => parseContractSpecTable({ asOf: 'today', specs: [] }, 'bad.json')).toThrow(/asOf: expected a date YYYY-MM-DD/)
  })
})

describe('unified symbols', () => {
  it('round-trips the ccxt shapes', () => {
    expect(unifiedSymbol({ base: 'BTC', quote: 'USD', settle: 'BTC', expiryMs: utc('2024-12-27T08:00:00Z'), strike: 60000, optionType: 'call' })).toBe('BTC/USD:BTC-241227-60000-C')
    expect(parseUnifiedSymbol('BTC/USD:BTC-241227-60000-C')).toMatchObject({ kind: 'option', settle: 'BTC', expiryDate: '241227', strike: '60000', optionType: 'call' })
    expect(parseUnifiedSymbol('BTC/USDT:USDT')?.kind).toBe('perpetual')
    expect(parseUnifiedSymbol('LTC/BTC')?.kind).toBe('spot')
    expect(parseUnifiedSymbol('BTC-PERPETUAL')).toBeNull()
  })

  it('finds last Fridays of the month (BitMEX/Bybit quarterlies) with date-fns', () => {
    expect(lastFridayOfMonth(2020, 11, 12)).toBe(utc('2020-12-25T12:00:00Z'))
    expect(lastFridayOfMonth(2024, 2, 8)).toBe(utc('2024-03-29T08:00:00Z'))
  })
})
