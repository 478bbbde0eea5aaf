/**
 * `riskdesk margin`, `margin-settings` and `cascade` as a user runs them: a child process on a temporary
 * database built by `riskdesk demo` and `riskdesk import`.
 *
 * Independent checks:
 *  - the demo accounts are Deribit BTC accounts: standard margin by default (Deribit's rule per settlement
 *    currency), collateral from resources/demo/demo-balances.csv (45 and 4 BTC, written for the demo);
 *  - cascade invariants stated by issue 6 (and proved in src/main/domain/margin/cascade.ts): with no
 *    participant breaching, the path equals the exogenous path; adding leverage (less collateral for the same
 *    position) or the leveraged market can only lower every step's price; the extra move equals the sum of
 *    the impacts applied and ln(exogenous final ÷ final);
 *  - the venue-rules document round trip: the built-in tables dumped by `--dump-venue-rules` are accepted
 *    back by `--venue-rules` and give the same figures.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CascadeResult, MarginReport, MarginSettingsList, MarginStressResult } from '../../src/shared/marginApi'
import { CHAIN_2020_05_14, tempDir } from '../support/paths'
import { runRiskdesk } from '../support/cli'

async function json<T>(db: string, ...args: string[]): Promise<T> {
  const r = await runRiskdesk(db, ...args, '--json')
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as T
}

const dir = tempDir()
const db = join(dir, 'riskdesk.db')
const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

beforeAll(async () => {
  expect((await runRiskdesk(db, 'demo', '--json')).code).toBe(0)
  // Two one-position books for the cascade: the same long perpetual (100,000 USD face ≈ 10.7 BTC) with
  // 10 BTC of collateral (≈ 1×: liquidated near −48 %) and with 0.3 BTC (≈ 36×: liquidated within −3 %).
  for (const [name, account, collateral] of [
    ['calm', 'calm', '10'],
    ['levered', 'levered', '0.3'],
  ] as const) {
    const pos = file(`${name}.csv`, `venue,account,instrument,quantity,entry_price\nderibit,${account},BTC-PERPETUAL,100000,9347.68\n`)
    const bal = file(`${name}-balances.csv`, `venue,account,currency,amount\nderibit,${account},BTC,${collateral}\n`)
    const r = await runRiskdesk(db, 'import', pos, bal, '--portfolio', name)
    expect(r.code, r.stderr).toBe(0)
  }
  expect((await runRiskdesk(db, 'import', CHAIN_2020_05_14)).code).toBe(0)
})

describe('riskdesk margin', () => {
  it('--json: the demo accounts with equity, IM, MM, ratio, available and liquidation prices', async () => {
    const r = await json<MarginReport>(db, 'margin', '--portfolio', 'demo')
    expect(r.accounts.map((a) => [a.key, a.rule?.id, a.status])).toEqual([
      ['deribit/hedge/BTC', 'deribit-standard', 'ok'],
      ['deribit/options/BTC', 'deribit-standard', 'ok'],
    ])
    const options = r.accounts[1]!
    expect(options.collateral[0]).toMatchObject({ currency: 'BTC', amount: '45', counted: true })
    for (const a of r.accounts) {
      for (const k of ['equity', 'equityUsd', 'initialMargin', 'maintenanceMargin', 'availableBalance'] as const) expect(a[k]).toMatch(/^-?\d+\.\d+$/)
      expect(a.marginRatio).toBeGreaterThan(0)
      expect(a.marginRatio).toBeLessThan(1)
      expect(a.liquidation[0]!.below!.indexPrice).toBeLessThan(a.liquidation[0]!.indexPrice)
      expect(a.liquidation[0]!.below!.dailySigmas).toBeGreaterThan(0)
    }
  })

  it('text output names the accounts, the liquidation prices, the tables and the stress table', async () => {
    const r = await runRiskdesk(db, 'margin', '--portfolio', 'demo', '--stress', 'span16')
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/deribit\/options\/BTC.*deribit-standard/)
    expect(r.stdout).toMatch(/Liquidation and bankruptcy prices/)
    expect(r.stdout).toMatch(/deribit\.futures 2022-01-11 \(effective; EARLIEST ENTRY/)
    expect(r.stdout).toMatch(/Margin under "span16"/)
  })

  it('--as-of picks the tables; a bad date fails with a message', async () => {
    const [r, bad] = await Promise.all([json<MarginReport>(db, 'margin', '--portfolio', 'demo', '--as-of', '2026-11-21'), runRiskdesk(db, 'margin', '--as-of', '2025-02-30')])
    expect(r.asOfBasis).toBe('requested')
    expect(r.accounts[0]!.tables.every((t) => !t.beforeFirstEntry)).toBe(true)
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/2025-02-30.*calendar date/)
  })

  it('--dump-venue-rules round-trips through --venue-rules; an invalid file names the table and field', async () => {
    const dump = await runRiskdesk(db, 'margin', '--dump-venue-rules')
    expect(dump.code).toBe(0)
    const doc = JSON.parse(dump.stdout)
    expect(doc.format).toBe('riskdesk-margin-params/1')
    expect(Object.keys(doc.tables)).toContain('deribit.futures')
    const rulesFile = file('rules.json', dump.stdout)
    // A user entry from the as-of date doubling BTC's maintenance base.
    const edits = { ...doc, tables: { 'deribit.futures': [{ asOf: '2020-05-01', values: { BTC: { initialBase: 0.02, maintenanceBase: 0.02, increasePerCoin: 0.00005 } } }] } }
    const badDoc = { format: 'riskdesk-margin-params/1', tables: { 'deribit.futures': [{ asOf: '2020-05-01', values: { BTC: { initialBase: -1 } } }] } }
    const [same, plain, edited, bad] = await Promise.all([
      json<MarginReport>(db, 'margin', '--portfolio', 'demo', '--venue-rules', rulesFile),
      json<MarginReport>(db, 'margin', '--portfolio', 'demo'),
      json<MarginReport>(db, 'margin', '--portfolio', 'demo', '--venue-rules', file('rules2.json', JSON.stringify(edits))),
      runRiskdesk(db, 'margin', '--venue-rules', file('bad.json', JSON.stringify(badDoc))),
    ])
    expect(same.venueRules).toBe('built-in + user file')
    expect(same.accounts.map((a) => a.maintenanceMargin)).toEqual(plain.accounts.map((a) => a.maintenanceMargin))
    expect(edited.accounts[0]!.tables[0]).toMatchObject({ id: 'deribit.futures', asOf: '2020-05-01', dateBasis: 'user', beforeFirstEntry: false })
    expect(Number(edited.accounts[0]!.maintenanceMargin)).toBeGreaterThan(Number(plain.accounts[0]!.maintenanceMargin))
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/deribit\.futures\[0\]: values\.BTC/)
  })

  it('--stress historical: a scenario × account table; the hedge account is bankrupt in Black Thursday', async () => {
    const r = await json<MarginReport & { stress: MarginStressResult }>(db, 'margin', '--portfolio', 'demo', '--stress', 'historical')
    const s = r.stress
    expect(s.scenarios).toHaveLength(5)
    expect(s.accounts.map((a) => a.key)).toEqual(['deribit/hedge/BTC', 'deribit/options/BTC'])
    const black = s.cells[0]!
    expect(s.scenarios[0]!.name).toBe('2020-03-12 Black Thursday')
    expect(s.scenarios[0]!.spotShocks.BTC).toBe(-0.482)
    expect(black[0]!.liquidated).toBe(true)
    expect(Number(black[0]!.shortfall)).toBeGreaterThan(0)
    expect(s.current[0]!.equity).toBe(r.accounts[0]!.equity)
  })
})

describe('riskdesk margin-settings', () => {
  it('set stores rule, leverage and isolated margin; show lists them; clear removes them', async () => {
    const set = await json<{ key: string; settings: Record<string, unknown> }>(
      db, 'margin-settings', 'set', 'deribit/hedge/BTC', '--portfolio', 'demo', '--rule', 'deribit-portfolio', '--liquidation-fee', '0.005',
    )
    expect(set.key).toBe('deribit/hedge/BTC')
    expect(set.settings).toMatchObject({ rule: 'deribit-portfolio', liquidationFeeRate: 0.005 })
    const pos = await runRiskdesk(db, 'margin-settings', 'set', 'deribit/hedge/BTC', '--portfolio', 'demo', '--position', 'BTC-PERPETUAL', '--leverage', '5')
    expect(pos.code, pos.stderr).toBe(0)
    const list = await json<MarginSettingsList>(db, 'margin-settings', 'show', '--portfolio', 'demo')
    const hedge = list.accounts.find((a) => a.key === 'deribit/hedge/BTC')!
    expect(hedge.settings).toMatchObject({ rule: 'deribit-portfolio', positions: { 'BTC-PERPETUAL': { leverage: 5 } } })
    expect(hedge.positionIds).toEqual(['BTC-25SEP20', 'BTC-PERPETUAL'])
    const m = await json<MarginReport>(db, 'margin', '--portfolio', 'demo')
    expect(m.accounts[0]!.rule).toMatchObject({ id: 'deribit-portfolio', source: 'settings' })
    expect(m.accounts[0]!.assumptions.join(' ')).toMatch(/leverage settings ignored/)
    const [cleared, unknown, badKey] = await Promise.all([
      runRiskdesk(db, 'margin-settings', 'clear', 'deribit/hedge/BTC', '--portfolio', 'demo'),
      runRiskdesk(db, 'margin-settings', 'set', 'deribit/nobody/BTC', '--portfolio', 'demo', '--leverage', '3'),
      runRiskdesk(db, 'margin-settings', 'set', 'deribit-hedge', '--leverage', '3'),
    ])
    expect(cleared.stdout).toMatch(/cleared the settings of deribit\/hedge\/BTC/)
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/no account deribit\/nobody in the portfolio; known: deribit\/hedge, deribit\/options/)
    expect(badKey.stderr).toMatch(/VENUE\/ACCOUNT\/CURRENCY/)
  })
})

describe('riskdesk cascade: invariants', () => {
  const maxAbsDiff = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i]!)))

  function checkAccounting(c: CascadeResult) {
    const sum = c.steps.reduce((a, s) => a + s.impactLog, 0)
    expect(Math.abs(c.extraMoveLog - sum)).toBeLessThan(1e-12)
    expect(Math.abs(c.extraMoveLog - Math.log(c.exogenousFinalPrice / c.finalPrice))).toBeLessThan(1e-12)
    expect(c.steps.at(-1)!.cumulativeImpactLog).toBeCloseTo(c.extraMoveLog, 14)
  }

  it('no breach: the path is the exogenous path exactly, extra move 0', async () => {
    const c = await json<CascadeResult>(db, 'cascade', '--portfolio', 'calm', '--path', 'crash:-40%:20', '--market', 'off')
    expect(c.steps).toHaveLength(21)
    expect(c.startPrice).toBe(9347.68)
    expect(c.outcomes).toEqual([expect.objectContaining({ id: 'deribit/calm/BTC', liquidated: false })])
    for (const s of c.steps) expect(s.priceAfter).toBe(s.exogenousPrice)
    expect(c.extraMoveLog).toBe(0)
    expect(c.exogenousFinalPrice).toBeCloseTo(9347.68 * 0.6, 8)
    checkAccounting(c)
  })

  it('more leverage, or the leveraged market, can only deepen the path; extra move = Σ impacts', async () => {
    const [calm, levered, calmMarket, leveredMarket] = await Promise.all([
      json<CascadeResult>(db, 'cascade', '--portfolio', 'calm', '--market', 'off'),
      json<CascadeResult>(db, 'cascade', '--portfolio', 'levered', '--market', 'off'),
      json<CascadeResult>(db, 'cascade', '--portfolio', 'calm', '--market', 'on'),
      json<CascadeResult>(db, 'cascade', '--portfolio', 'levered', '--market', 'on'),
    ])
    const prices = (c: CascadeResult) => c.steps.map((s) => s.priceAfter)
    expect(levered.outcomes[0]).toMatchObject({ liquidated: true })
    expect(levered.finalPrice).toBeLessThan(calm.finalPrice)
    for (const [deeper, shallower] of [
      [levered, calm],
      [calmMarket, calm],
      [leveredMarket, levered],
      [leveredMarket, calmMarket],
    ] as const)
      prices(deeper).forEach((p, k) => expect(p).toBeLessThanOrEqual(prices(shallower)[k]! * (1 + 1e-12)))
    expect(calmMarket.market).toMatchObject({ included: true, participants: 14 })
    expect(calmMarket.extraMoveRelative).toBeLessThan(0)
    for (const c of [calm, levered, calmMarket, leveredMarket]) checkAccounting(c)
    // Same exogenous path for all four.
    expect(maxAbsDiff(calm.steps.map((s) => s.exogenousPrice), leveredMarket.steps.map((s) => s.exogenousPrice))).toBe(0)
  })

  it('historical:NAME walks the episode’s move; a bad path fails with the choices', async () => {
    const [c, text, bad, history] = await Promise.all([
      json<CascadeResult>(db, 'cascade', '--portfolio', 'demo', '--path', 'historical:2020-03-12:10'),
      runRiskdesk(db, 'cascade', '--portfolio', 'demo', '--path', 'historical:black thursday', '--market', 'on'),
      runRiskdesk(db, 'cascade', '--path', 'historical:nothing'),
      runRiskdesk(db, 'cascade', '--path', 'history:2020-03-01:2020-03-20'),
    ])
    expect(c.path.kind).toBe('historical')
    expect(c.steps).toHaveLength(11)
    expect(c.exogenousFinalPrice / c.startPrice).toBeCloseTo(1 - 0.482, 12)
    expect(c.path.description).toMatch(/Black Thursday/)
    expect(text.stdout).toMatch(/Your accounts:/)
    expect(text.stdout).toMatch(/Market buckets liquidated: /)
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/no historical episode "nothing"; episodes: 2020-03-12 Black Thursday/)
    expect(history.stderr).toMatch(/no stored daily closes of BTC between 2020-03-01 and 2020-03-20/)
  })
})
