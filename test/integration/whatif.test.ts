/**
 * What-if books (issue 13, first part): legs valued on top of the whole book, before / after / change, never
 * touching imported data. Real SQLite file, the real Deribit chain of 2020-05-14 and the real Deribit
 * `private/get_positions` example (shared/data/real, SOURCES.md), the bundled demo book.
 *
 * Independent figures:
 *  - the chain's own columns (mark_price, best_bid_price, best_ask_price of BTC-26JUN20-9000-C), read from the
 *    file by this test with a plain CSV reader: the default entry price is mark ± (ask − bid) / 2;
 *  - an inverse perpetual's USD delta, by hand: contracts' USD face ÷ entry price (coin per USD of index);
 *  - Deribit's standard futures margin (support.deribit.com, 11 January 2022): IM = |size| × (2 % + |size| ×
 *    0.005 %), MM = |size| × (1 % + |size| × 0.005 %), size in BTC = USD face ÷ mark — computed in the test.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WhatIfReport } from '../../src/shared/api'
import { openDatabase, type Db } from '../../src/main/db/database'
import { importFile } from '../../src/main/services/importService'
import { createRiskdeskHandlers, dispatch } from '../../src/main/services/riskdeskApi'
import { StressPool } from '../../src/main/engine/stressPool'
import { dataSnapshot } from '../support/dbSnapshot'
import { runRiskdesk } from '../support/cli'
import { valueBook } from '../../src/main/services/valuationService'
import { CHAIN_2020_05_14, DERIBIT_POSITIONS, REPO, tempDir } from '../support/paths'

const DEMO = join(REPO, 'resources', 'demo')
const chain = parse(readFileSync(CHAIN_2020_05_14), { columns: true }) as Array<Record<string, string>>
const quote = (name: string) => chain.find((r) => r.instrument_name === name)!

let db: Db
let dbPath: string
let pool: StressPool | null = null
let api: ReturnType<typeof createRiskdeskHandlers>
const call = async <T = unknown>(name: string, input: unknown) => (await dispatch(api, name, input)) as T

/** Every table but the what-if ones: what a what-if session must leave byte-identical. */
const importedData = () => {
  const all = JSON.parse(dataSnapshot(db)) as Array<[string, unknown]>
  return JSON.stringify(all.filter(([t]) => !t.startsWith('whatif_')))
}

beforeAll(() => {
  dbPath = join(tempDir(), 'whatif.db')
  db = openDatabase(dbPath)
  api = createRiskdeskHandlers({ db, stressPool: () => (pool ??= new StressPool({ workers: 1 })) })
  importFile(db, CHAIN_2020_05_14)
  for (const f of ['demo-portfolio.csv', 'demo-balances.csv']) importFile(db, join(DEMO, f), { portfolio: 'demo' })
  importFile(db, DERIBIT_POSITIONS, { portfolio: 'dump', account: 'acct-1' })
})
afterAll(async () => {
  await pool?.close()
  db.close()
})

describe('what-if books', () => {
  it('adding then removing a leg restores every figure exactly, and imported data stays byte-identical', async () => {
    const imported = importedData()
    await call('createWhatIf', { name: 'trial', portfolio: 'demo' })
    const base = await call<WhatIfReport>('getWhatIf', { name: 'trial' })
    expect(base.legs).toEqual([])
    expect(base.after).toEqual(base.before)
    expect(base.before.margin.map((m) => m.key)).toEqual(['deribit/hedge/BTC', 'deribit/options/BTC'])

    const added = await call<{ leg: { id: number; entryPrice: string; priceSource: string } }>('addWhatIfLeg', {
      whatIf: 'trial',
      instrument: 'BTC-26JUN20-9000-C',
      quantity: '-20',
      account: 'options',
    })
    // A sell at the bid side: mark − (ask − bid)/2 from the chain's own columns: 0.13206676 − (0.134 − 0.1295)/2 = 0.12981676 BTC.
    const q = quote('BTC-26JUN20-9000-C')
    const expected = Number(q.mark_price) - (Number(q.best_ask_price) - Number(q.best_bid_price)) / 2
    expect(Number(added.leg.entryPrice)).toBeCloseTo(expected, 12)
    expect(added.leg.entryPrice).toBe('0.12981676')
    expect(added.leg.priceSource).toMatch(/^bid: mark .* − half the spread/)

    const moved = await call<WhatIfReport>('getWhatIf', { name: 'trial' })
    const btc = moved.change.greeks.find((g) => g.underlying === 'BTC')!
    // Selling 20 calls lowers delta and vega; the change is what the leg's own line adds (its expiry's bucket) plus
    // the premium it receives: Deribit pays an option's premium in BTC (its "Options" contract specification), so
    // the account's BTC balance grows by 20 × 0.12981676 = 2.5963352 BTC, 1 BTC of delta per BTC ("balances").
    expect(btc.delta).toBeLessThan(0)
    expect(btc.vegaUsd).toBeLessThan(0)
    const bucketDelta = (name: string) => moved.change.buckets.filter((b) => b.by === 'expiry' && b.bucket === name)[0]!.delta
    expect(bucketDelta('balances')).toBeCloseTo(2.5963352, 12)
    expect(bucketDelta('2020-06-26') + bucketDelta('balances')).toBeCloseTo(btc.delta, 12)
    // The book's value moves by what the sale earns against the mark: 20 × (0.12981676 − 0.13206676) BTC at the index.
    const index = moved.after.greeks.find((g) => g.underlying === 'BTC')!
    expect(moved.change.valueUsd).toBeCloseTo(20 * (0.12981676 - Number(q.mark_price)) * (index.deltaUsd / index.delta), 6)
    const options = moved.change.margin.find((m) => m.key === 'deribit/options/BTC')!
    expect(Number(options.initialMargin)).toBeGreaterThan(0)
    expect(moved.change.margin.find((m) => m.key === 'deribit/hedge/BTC')!.initialMargin).toBe('0')

    await call('removeWhatIfLeg', { whatIf: 'trial', legId: added.leg.id })
    const back = await call<WhatIfReport>('getWhatIf', { name: 'trial' })
    expect(back.after).toEqual(base.before)
    expect(back.before).toEqual(base.before)
    expect(importedData()).toBe(imported)

    // Rename, duplicate, delete touch only the what-if tables too.
    await call('addWhatIfLeg', { whatIf: 'trial', instrument: 'BTC-PERPETUAL', quantity: '10000', account: 'hedge', price: '9400' })
    await call('renameWhatIf', { from: 'trial', to: 'hedge-more' })
    const copy = await call<{ legs: number }>('duplicateWhatIf', { from: 'hedge-more', to: 'hedge-copy' })
    expect(copy.legs).toBe(1)
    await call('deleteWhatIf', { name: 'hedge-more' })
    expect((await call<Array<{ name: string }>>('listWhatIfs', {})).map((w) => w.name)).toEqual(['hedge-copy'])
    expect(importedData()).toBe(imported)
  })

  it("a perpetual leg's delta change is its USD face ÷ entry price; its margin change follows Deribit's futures rule", async () => {
    await call('createWhatIf', { name: 'perp', portfolio: 'dump' })
    const before = await call<WhatIfReport>('getWhatIf', { name: 'perp' })
    const leg = await call<{ leg: { entryPrice: string; priceSource: string; account: string } }>('addWhatIfLeg', { whatIf: 'perp', instrument: 'BTC-PERPETUAL', quantity: '1000' })
    // The file quotes no bid/ask: the entry is its mark_price 7476.65, said so; the only account is acct-1.
    expect(leg.leg).toMatchObject({ entryPrice: '7476.65', account: 'acct-1' })
    expect(leg.leg.priceSource).toMatch(/^mark .*no bid and ask/)
    const r = await call<WhatIfReport>('getWhatIf', { name: 'perp' })
    expect(r.before).toEqual(before.before)
    // 1 000 USD of face bought at 7 476.65: delta = 1000 / 7476.65 = 0.13374974… BTC.
    const d = r.change.greeks.find((g) => g.underlying === 'BTC')!
    expect(d.delta).toBeCloseTo(1000 / 7476.65, 12)

    // Deribit standard margin: the leg nets into the 50 USD position → 1 050 USD of face at the mark.
    const M = 7476.65
    const im = (usd: number) => (usd / M) * (0.02 + (usd / M) * 0.00005)
    const mm = (usd: number) => (usd / M) * (0.01 + (usd / M) * 0.00005)
    const m = r.change.margin.find((x) => x.key === 'deribit/acct-1/BTC')!
    // im(1050) − im(50) = 0.00280973… − 0.00013375… = 0.00267598 BTC; mm change 0.00133848 BTC; the report rounds
    // each side to 1e-8 BTC.
    expect(Number(m.initialMargin)).toBeCloseTo(im(1050) - im(50), 7)
    expect(Number(m.maintenanceMargin)).toBeCloseTo(mm(1050) - mm(50), 7)
    expect(r.notes.some((n) => n.includes('netted into the account\'s position of 50: now 1050'))).toBe(true)
  })

  it("an option leg pays its premium out of the account's BTC balance; selling a held option receives it and drops its mark", async () => {
    // Deribit pays and receives option premiums in BTC and counts an option at its mark in equity (its "Options"
    // contract specification; equity = balance + options' value + futures' P&L). So buying 5 calls at the ask,
    // mark + (ask − bid)/2, changes the options account's equity by 5 × (mark − ask side) = −5 × (0.134 − 0.1295)/2
    // = −0.01125 BTC (the chain's own columns), and leaves the hedge account alone.
    await call('createWhatIf', { name: 'premium', portfolio: 'demo' })
    const c = quote('BTC-26JUN20-9000-C')
    const bought = await call<{ leg: { entryPrice: string; cash: unknown } }>('addWhatIfLeg', { whatIf: 'premium', instrument: 'BTC-26JUN20-9000-C', quantity: '5', account: 'options' })
    expect(Number(bought.leg.entryPrice)).toBeCloseTo(Number(c.mark_price) + (Number(c.best_ask_price) - Number(c.best_bid_price)) / 2, 12)
    // The leg says the premium it pays: 5 × 0.13431676 = 0.6715838 BTC, exactly.
    expect(bought.leg.cash).toEqual({ amount: '-0.6715838', currency: 'BTC' })
    const r = await call<WhatIfReport>('getWhatIf', { name: 'premium' })
    const equity = (key: string) => Number(r.change.margin.find((m) => m.key === key)!.equity)
    expect(equity('deribit/options/BTC')).toBeCloseTo(-5 * ((0.134 - 0.1295) / 2), 8)
    expect(equity('deribit/hedge/BTC')).toBe(0)
    // Delta: the calls' own, 5 × Δ, less the BTC paid, 5 × entry (Deribit's chain delta, within 5e-4 per coin of
    // Riskdesk's Black-76: deribitChainGreeks.test.ts).
    const chainDelta = (JSON.parse(c.greeks!.replaceAll("'", '"')) as { delta: number }).delta
    const btc = r.change.greeks.find((g) => g.underlying === 'BTC')!
    expect(Math.abs(btc.delta - 5 * (chainDelta - Number(bought.leg.entryPrice)))).toBeLessThan(5 * 5e-4)
    expect(r.notes.some((n) => /premium/.test(n) && /not yet/.test(n))).toBe(false)
    const premiumNote = r.notes.find((n) => n.includes('the premium of what-if leg'))
    expect(premiumNote).toMatch(/^deribit\/options\/BTC: the premium of what-if leg \d+ \(5 BTC-26JUN20-9000-C at 0\.13431676 BTC\) paid: -0\.6715838 BTC in the account's balance$/)

    // Selling the 15 BTC-26JUN20-9000-P the account holds (bought at 0.09) at 0.0905: the position is closed, its
    // value at the mark leaves equity and the 15 × 0.0905 BTC received arrives, so equity changes by
    // 15 × (0.0905 − mark) — nothing is "realized" on top (the premium paid at 0.09 left the balance long ago).
    await call('createWhatIf', { name: 'close-puts', portfolio: 'demo' })
    await call('addWhatIfLeg', { whatIf: 'close-puts', instrument: 'BTC-26JUN20-9000-P', quantity: '-15', account: 'options', price: '0.0905' })
    const closed = await call<WhatIfReport>('getWhatIf', { name: 'close-puts' })
    const p = quote('BTC-26JUN20-9000-P')
    expect(Number(closed.change.margin.find((m) => m.key === 'deribit/options/BTC')!.equity)).toBeCloseTo(15 * (0.0905 - Number(p.mark_price)), 8)
    expect(closed.notes.some((n) => n.includes("netted into the account's position of 15: now 0 (closed)") && !n.includes('realizing'))).toBe(true)
  })

  it('a spot leg pays its price in the quote currency and adds the coin it buys to the account\'s balance', async () => {
    // A copy of the demo book with a Deribit BTC_USDC spot holding (written here, so the pair is a known
    // instrument; spot is marked at the index). Buying 0.5 BTC at 9 000 USDC: the book gains 0.5 BTC (value
    // 0.5 × index, delta +0.5 coin) and pays 0.5 × 9 000 = 4 500 USDC (valued at par: no USDC price is stored);
    // in the BTC-margined options account the BTC bought joins the BTC balance (equity +0.5 BTC exactly) and the
    // USDC paid is a collateral line of another currency, not counted in BTC margin (Deribit margins each
    // currency apart unless cross-collateral is set).
    const file = join(tempDir(), 'demo-with-a-spot-holding.csv')
    // A positions file is the account's whole book: the demo's lines and the spot holding in one file.
    writeFileSync(file, readFileSync(join(DEMO, 'demo-portfolio.csv'), 'utf8').trimEnd() + '\nderibit,options,BTC_USDC,0.1,9000,2020-05-14T05:00:00Z,spot holding\n')
    // Its balances: the demo's 45 BTC of account "options" (the demo's own file is already imported: a new one).
    const balances = join(tempDir(), 'demo-balances-options-only.csv')
    writeFileSync(balances, 'venue,account,currency,amount,as_of\nderibit,options,BTC,45,2020-05-14T05:40:00Z\n')
    for (const f of [file, balances]) expect(importFile(db, f, { portfolio: 'spotbook' }).status).toBe('imported')
    await call('createWhatIf', { name: 'spot', portfolio: 'spotbook' })
    await call('addWhatIfLeg', { whatIf: 'spot', instrument: 'BTC_USDC', quantity: '0.5', account: 'options', price: '9000' })
    const r = await call<WhatIfReport>('getWhatIf', { name: 'spot' })
    const btc = r.after.greeks.find((g) => g.underlying === 'BTC')!
    const index = btc.deltaUsd / btc.delta
    expect(r.change.greeks.find((g) => g.underlying === 'BTC')!.delta).toBeCloseTo(0.5, 12)
    expect(r.change.valueUsd).toBeCloseTo(0.5 * index - 4500, 6)
    expect(Number(r.change.margin.find((m) => m.key === 'deribit/options/BTC')!.equity)).toBe(0.5)
    expect(r.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/what-if leg \d+ \(0\.5 BTC_USDC at 9000\): the BTC bought: 0\.5 BTC in the account's balance/),
        expect.stringMatching(/the price of what-if leg \d+ \(0\.5 BTC_USDC at 9000 USDC\) paid: -4500 USDC in the account's balance/),
      ]),
    )
  })

  it("a leg's taker fee leaves the account's balance in its settlement currency, with the premium", async () => {
    // Deribit charges an option's taker fee in BTC: 0.03 % of the underlying per option (its fee schedule), so
    // 5 calls cost 5 × 0.0003 = 0.0015 BTC; Riskdesk stores the fee in USD (rate × 5 coin × index, to the cent)
    // and books it back in BTC at the index, within half a cent ÷ index (< 1e-6 BTC) of 0.0015. Equity then changes
    // by −5 × (0.134 − 0.1295)/2 − 0.0015 = −0.01275 BTC.
    await call('saveMarginSettings', { portfolio: 'spotbook', venue: 'deribit', account: 'options', marginCurrency: 'BTC', settings: { takerFeeRate: 0.0003 } })
    await call('createWhatIf', { name: 'fee', portfolio: 'spotbook' })
    const added = await call<{ leg: { id: number; feeUsd: string } }>('addWhatIfLeg', { whatIf: 'fee', instrument: 'BTC-26JUN20-9000-C', quantity: '5', account: 'options' })
    const r = await call<WhatIfReport>('getWhatIf', { name: 'fee' })
    const btc = r.after.greeks.find((g) => g.underlying === 'BTC')!
    const index = btc.deltaUsd / btc.delta
    expect(Number(added.leg.feeUsd)).toBeCloseTo(0.0003 * 5 * index, 2)
    expect(Number(r.change.margin.find((m) => m.key === 'deribit/options/BTC')!.equity)).toBeCloseTo(-0.01275, 6)
    // The book's value: the half spread and the fee, in USD.
    expect(r.change.valueUsd).toBeCloseTo(-5 * ((0.134 - 0.1295) / 2) * index - Number(added.leg.feeUsd), 6)
    expect(r.notes.some((n) => n.includes(`its fee ${added.leg.feeUsd} USD paid`))).toBe(true)
  })

  it('says what is wrong with a leg: unknown instrument, ambiguous account, unknown what-if', async () => {
    await expect(call('addWhatIfLeg', { whatIf: 'perp', instrument: 'BTC-1JAN99-1-C', quantity: '1' })).rejects.toThrow(/no instrument named "BTC-1JAN99-1-C"/)
    await call('createWhatIf', { name: 'demo-2', portfolio: 'demo' })
    await expect(call('addWhatIfLeg', { whatIf: 'demo-2', instrument: 'BTC-PERPETUAL', quantity: '10' })).rejects.toThrow(/several deribit accounts \(hedge, options\)/)
    await expect(call('addWhatIfLeg', { whatIf: 'nope', instrument: 'BTC-PERPETUAL', quantity: '10' })).rejects.toThrow(/no what-if named "nope"/)
    await expect(call('addWhatIfLeg', { whatIf: 'demo-2', instrument: 'BTC-PERPETUAL', quantity: '0' })).rejects.toThrow(/quantity/)
    await expect(call('createWhatIf', { name: 'demo-2', portfolio: 'demo' })).rejects.toThrow(/already exists/)
  })

  it('exports the what-if book as a generic positions CSV with the legs netted in, which imports back', async () => {
    // hedge-copy holds one leg: +10 000 USD of BTC-PERPETUAL at 9 400 in account hedge, which holds 20 000 at
    // 9 455.5 (demo-portfolio.csv). Deribit averages inverse contracts harmonically:
    // 30000 / (20000/9455.5 + 10000/9400) = 9436.93… USD.
    const r = await call<{ positions: Array<{ account: string; instrument: string; quantity: string; entryPrice: string }>; notes: string[] }>('getWhatIfPositions', { name: 'hedge-copy' })
    expect(r.positions).toHaveLength(16)
    const perp = r.positions.find((p) => p.instrument === 'BTC-PERPETUAL')!
    expect(perp.quantity).toBe('30000')
    expect(Number(perp.entryPrice)).toBeCloseTo(30000 / (20000 / 9455.5 + 10000 / 9400), 7)
    expect(r.notes).toHaveLength(1)

    const out = join(tempDir(), 'hedge-copy.csv')
    const cli = await runRiskdesk(dbPath, 'whatif', 'export', 'hedge-copy', '--out', out)
    expect(cli.stderr.replace(/riskdesk: running the TypeScript sources.*\n/g, '')).toBe('')
    expect(cli.code).toBe(0)
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('venue,account,instrument,quantity,entry_price,note')
    importFile(db, out, { portfolio: 'hedged' })
    const back = valueBook(db, { portfolio: 'hedged' }).report.positions.filter((p) => p.origin === 'position')
    expect(back.map((p) => [p.account, p.instrument, p.quantity])).toEqual(
      expect.arrayContaining(r.positions.map((p) => [p.account, p.instrument, p.quantity])),
    )
    expect(back).toHaveLength(16)
  })

  it('risk profile: an inverse perpetual book\'s P&L against the index is (held + q·(1/M₀ − 1/M))·S − held·S₀, before and after', async () => {
    // Portfolio "dump": 50 USD of BTC-PERPETUAL entered at 7 440.18, mark 7 476.65 (the Deribit example file);
    // what-if "perp" adds 1 000 USD at the mark. The mark moves with the index (M = M₀·S/S₀).
    const r = await call<{ indexPrice: number; prices: number[]; curves: Array<{ date: number | string; before: number[]; after: number[] }> }>('getRiskProfile', {
      whatIf: 'perp',
      dates: [0, 'expiry'],
      fromPercent: -20,
      toPercent: 20,
      points: 5,
    })
    const S0 = r.indexPrice
    const M0 = 7476.65
    expect(r.prices.map((p) => p / S0)).toEqual([0.8, 0.9, 1, 1.1, 1.2].map((f) => expect.closeTo(f, 12)))
    const held = 50 * (1 / 7440.18 - 1 / M0)
    r.prices.forEach((S, i) => {
      const M = (M0 * S) / S0
      const before = (held + 50 * (1 / M0 - 1 / M)) * S - held * S0
      const after = before + 1000 * (1 / M0 - 1 / M) * S
      for (const c of r.curves) {
        expect(c.before[i]).toBeCloseTo(before, 9)
        expect(c.after[i]).toBeCloseTo(after, 9)
      }
    })
  })

  it("the after curve counts a leg from its entry price: a perpetual bought above the mark starts at q·(S₀/E − 1)", async () => {
    // hedge-copy: +10 000 USD of BTC-PERPETUAL at 9 400 in the demo book, whose perpetual is marked at the index
    // 9 347.68 (no perpetual quote in the chain): at today's index the leg is worth 10000 × (1/9400 − 1/9347.68)
    // × 9347.68 = 10000 × (9347.68/9400 − 1) = −55.6595… USD.
    const r = await call<{ indexPrice: number; curves: Array<{ before: number[]; after: number[] }> }>('getRiskProfile', { whatIf: 'hedge-copy', dates: [0], points: 3 })
    expect(r.indexPrice).toBe(9347.68)
    const c = r.curves[0]!
    expect(c.before[1]).toBe(0)
    expect(c.after[1]! - c.before[1]!).toBeCloseTo(10000 * (9347.68 / 9400 - 1), 9)
  })
})
