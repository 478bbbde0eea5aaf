/**
 * The venue's own margin terms and figures in position snapshots (leverage, cross/isolated, isolated margin,
 * liquidation price, IM, MM): read from the real files in shared/data/real/, stored with the position, used
 * by the margin model unless the user's settings say otherwise, and shown beside Riskdesk's figures.
 * Expected values are read by hand from the files (quoted in the comments).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { currentBook, findPortfolio, positionVenueMargins } from '../../src/main/db/bookStore'
import { openDatabase, type Db } from '../../src/main/db/database'
import { importFile } from '../../src/main/services/importService'
import { marginReport, saveMarginSettings } from '../../src/main/services/marginService'
import { marginText } from '../../src/main/hosts/cli/marginText'
import { importIssuesOf } from '../support/importFailure'
import { accountOf } from '../support/marginReport'
import { REAL, tempDir } from '../support/paths'
import { marginRequest } from '../../src/shared/marginApi'

const USDM_V2_HEDGE = join(REAL, 'binance', 'binance_usdm_positionRisk_v2_hedge_docs_example.jsonc')
const USDM_V3_ONEWAY = join(REAL, 'binance', 'binance_usdm_positionRisk_v3_oneway_docs_example.jsonc')
const COINM = join(REAL, 'binance', 'binance_coinm_positionRisk_docs_example.jsonc')
const BYBIT_INVERSE = join(REAL, 'bybit', 'bybit_v5_position_list_inverse_docs_example.json')

let dir: string
let db: Db

function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

/** The stored venue terms of a portfolio's current positions, by instrument name. */
function storedTerms(portfolio: string) {
  const book = currentBook(db, findPortfolio(db, portfolio).id)
  const terms = positionVenueMargins(db, book.map((p) => p.id))
  return new Map(book.map((p) => [p.instrument.name, terms.get(p.id) ?? null]))
}

beforeAll(() => {
  dir = tempDir()
  db = openDatabase(join(dir, 'riskdesk.db'))
})

afterAll(() => db.close())

describe('position snapshots keep the venue margin terms and figures', () => {
  it('Binance USDⓈ-M v2 (hedge mode): leverage 4, cross, liquidationPrice 19731.45529116', () => {
    importFile(db, USDM_V2_HEDGE, { portfolio: 'usdm-v2' })
    // The file's LONG row: "leverage": "4", "marginType": "cross", "liquidationPrice": "19731.45529116",
    // "isolatedMargin": "0.00000000"; the zero SHORT row is skipped.
    expect(storedTerms('usdm-v2').get('BTCUSDT')).toEqual({
      source: 'binance USDⓈ-M positionRisk (leverage, isolatedWallet, liquidationPrice, marginType)',
      leverage: 4,
      mode: 'cross',
      isolatedMargin: null,
      liquidationPrice: 19731.45529116,
      initialMargin: null,
      maintenanceMargin: null,
      currency: 'USDT',
    })
  })

  it('Binance USDⓈ-M v3 (no leverage or marginType): cross from isolatedWallet 0, the venue IM and MM', () => {
    importFile(db, USDM_V3_ONEWAY, { portfolio: 'usdm-v3' })
    // ADAUSDT: "initialMargin": "0.61571385", "maintMargin": "0.08004280", "marginAsset": "USDT",
    // "isolatedWallet": "0", "liquidationPrice": "0" (none).
    const t = storedTerms('usdm-v3').get('ADAUSDT')!
    expect(t).toMatchObject({ leverage: null, mode: 'cross', isolatedMargin: null, liquidationPrice: null, initialMargin: '0.61571385', maintenanceMargin: '0.0800428', currency: 'USDT' })
    expect(t.source).toMatch(/mode from isolatedWallet/)
  })

  it('Binance COIN-M: leverage 125, cross, liquidationPrice 11667.63509587, in BTC', () => {
    importFile(db, COINM, { portfolio: 'coinm' })
    expect(storedTerms('coinm').get('BTCUSD_201225')).toMatchObject({ leverage: 125, mode: 'cross', liquidationPrice: 11667.63509587, currency: 'BTC' })
  })

  it('Bybit v5 inverse: leverage 10, positionIM 0.00010923 and positionMM 0.0000015 BTC, no liqPrice, tradeMode 0 not read as cross', () => {
    importFile(db, BYBIT_INVERSE, { portfolio: 'bybit' })
    const t = storedTerms('bybit').get('BTCUSD')!
    expect(t).toMatchObject({ leverage: 10, mode: null, liquidationPrice: null, initialMargin: '0.00010923', maintenanceMargin: '0.0000015', currency: 'BTC' })
    expect(t.source).toMatch(/tradeMode 0 does not tell the mode/)
  })

  it('a malformed margin field is an error with its line and column, and nothing is imported', () => {
    const text = readFileSync(USDM_V2_HEDGE, 'utf8').replace('"marginType": "cross"', '"marginType": "crossed-ish"')
    const issues = importIssuesOf(() => importFile(db, file('bad-margin-type.jsonc', text), { portfolio: 'bad' }))
    expect(issues).toEqual([expect.objectContaining({ line: 12, column: 'marginType', value: 'crossed-ish', message: expect.stringMatching(/expected cross or CROSSED or isolated or ISOLATED/) })])
    expect(() => findPortfolio(db, 'bad')).toThrow(/no portfolio named "bad"/)
  })
})

describe('the margin model uses the venue terms unless the settings say otherwise', () => {
  it("IM = notional ÷ the file's leverage, and the venue's liquidation price is shown beside Riskdesk's", () => {
    importFile(db, file('usdm-v2-balances.csv', 'venue,account,currency,amount\nbinance,main,USDT,100\n'), { portfolio: 'usdm-v2' })
    const r = marginReport(db, marginRequest.parse({ portfolio: 'usdm-v2' }))
    const a = accountOf(r, 'binance/main/USDT')
    const p = a.positions.find((x) => x.id === 'BTCUSDT')!
    expect([p.leverage, p.leverageSource]).toEqual([4, 'venue file'])
    // The file's own "notional": "21.12305052" (0.001 × markPrice 21123.05052574) ÷ its leverage 4.
    expect(Number(p.initialMargin)).toBeCloseTo(21.12305052 / 4, 6)
    expect(a.unknown.join(' ')).not.toMatch(/no leverage set/)
    expect(p.venue?.liquidationPrice).toBe(19731.45529116)
    const text = marginText(r)
    expect(text).toMatch(/The venue's own figures/)
    expect(text).toMatch(/BTCUSDT\s+│?\s*19,731\.46/)

    // A leverage the user sets wins over the file's.
    saveMarginSettings(db, { portfolio: 'usdm-v2', venue: 'binance', account: 'main', marginCurrency: 'USDT', settings: { leverage: 20, positions: {} } })
    const q = accountOf(marginReport(db, marginRequest.parse({ portfolio: 'usdm-v2' })), 'binance/main/USDT').positions.find((x) => x.id === 'BTCUSDT')!
    expect([q.leverage, q.leverageSource]).toEqual([20, 'account'])
    expect(Number(q.initialMargin)).toBeCloseTo(21.12305052 / 20, 6)
  })

  it("an isolated position takes the file's isolated wallet as its margin, out of the cross wallet", () => {
    // Variant of the real v2 file (written here): the LONG side isolated with 5 USDT in its isolated wallet.
    const text = readFileSync(USDM_V2_HEDGE, 'utf8')
      .replace('"marginType": "cross"', '"marginType": "isolated"')
      .replace('"isolatedWallet": "0"', '"isolatedWallet": "5"')
    importFile(db, file('usdm-v2-isolated-variant.jsonc', text), { portfolio: 'usdm-isolated' })
    // (Not byte-identical to the other balances file: the same content would be refused as a re-import.)
    importFile(db, file('usdm-isolated-balances.csv', 'venue,account,currency,amount\nbinance,main,USDT,100.00\n'), { portfolio: 'usdm-isolated' })
    const a = accountOf(marginReport(db, marginRequest.parse({ portfolio: 'usdm-isolated' })), 'binance/main/USDT')
    const p = a.positions.find((x) => x.id === 'BTCUSDT')!
    expect(p.isolated).toBe(true)
    expect(p.liquidation).not.toBeNull()
    // Isolated equity = isolated wallet + the position's own P&L: 5 + 0.001 × (21123.05052574 − 22185.2).
    expect(Number(p.isolatedEquity)).toBeCloseTo(5 + 0.001 * (21123.05052574 - 22185.2), 6)
    expect(Number(a.collateralValue)).toBeCloseTo(95, 8)
    expect(a.assumptions.join(' ')).toMatch(/BTCUSDT is isolated at the venue with 5 USDT of margin/)
  })
})
