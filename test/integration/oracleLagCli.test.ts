/**
 * The oracle-lag and de-peg sets as a user runs them (child processes on a temporary database): `riskdesk
 * scenarios list` names the built-in sets, `riskdesk margin --stress oracle-lag` prints each account's outcome on
 * its venue's price, `riskdesk stress --set oracle-lag` points to it. Book and hand-computed figures: those of
 * oracleLag.test.ts (test/fixtures/oracle/README.md): with the oracle 30 s behind a −10 % move, Deribit's
 * margin ratio is 1.345649992 (liquidated) and Hyperliquid's 0.647375465 on an oracle that moved −5 %.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runRiskdesk } from '../support/cli'
import { FIXTURES, tempDir } from '../support/paths'

const dir = tempDir()
const db = join(dir, 'riskdesk.db')
const rules = join(dir, 'rules.json')
const ORACLE = join(FIXTURES, 'oracle')

async function ok(...args: string[]): Promise<string> {
  const r = await runRiskdesk(db, ...args)
  expect(r.code, r.stderr).toBe(0)
  return r.stdout
}

beforeAll(async () => {
  await ok('import', join(ORACLE, 'clearinghouseState_mainnet_2023-03-27_levered_variant.json'), '--portfolio', 'two', '--snapshot-time', '2023-03-27T12:00:00Z')
  await ok('import', join(ORACLE, 'deribit_btc_perpetual_long_270000_variant.csv'), join(ORACLE, 'deribit_btc_balance_1.2_variant.csv'), '--portfolio', 'two')
  // One tier at 20× per coin on the file's date (the 2023 file has no maxLeverage; every position is cross at 20×).
  const coins = ['APE', 'ARB', 'ATOM', 'AVAX', 'BNB', 'BTC', 'DYDX', 'ETH', 'LTC', 'MATIC', 'OP', 'SOL']
  const tables = Object.fromEntries(coins.map((c) => [`hyperliquid.marginTables.${c}`, [{ asOf: '2023-03-27', values: { tiers: [{ lowerBound: '0', maxLeverage: 20 }] } }]]))
  writeFileSync(rules, JSON.stringify({ format: 'riskdesk-margin-params/1', tables }))
}, 120_000)

describe('riskdesk and the oracle-lag set', () => {
  it('scenarios list names the built-in sets', async () => {
    const out = await ok('scenarios', 'list')
    expect(out).toMatch(/^ {2}oracle-lag: Oracle lag/m)
    expect(out).toMatch(/^ {2}stablecoin-depeg: Stablecoin de-peg/m)
  })

  it('margin --stress oracle-lag: Deribit liquidated, Hyperliquid not, on an oracle 30 s behind', async () => {
    const out = await ok('margin', '--portfolio', 'two', '--venue-rules', rules, '--stress', 'oracle-lag')
    const row = out.split('\n').find((l) => l.includes('BTC -10% in 60 s, oracle 30 s behind'))!
    expect(row).toMatch(/134\.6% LIQ .*64\.7% \(on oracle: BTC -5\.0%\)/)
    expect(out).toMatch(/oracle lag: hyperliquid\/main\/USDC is margined and liquidated on the venue's oracle-based price/)
  })

  it('stress --set oracle-lag says where the liquidation outcome is', async () => {
    const out = await ok('stress', '--portfolio', 'two', '--set', 'oracle-lag', '--workers', '1')
    expect(out).toMatch(/margin --stress oracle-lag/)
  })
})
