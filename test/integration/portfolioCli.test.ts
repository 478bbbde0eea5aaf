/**
 * The portfolio-management commands (`riskdesk portfolios …`, `positions remove`, `imports remove`) as a user runs
 * them, on a real SQLite file with the real Deribit get_positions docs example (1 position: BTC-PERPETUAL, size 50)
 * and the bundled demo book (resources/demo: 16 positions, 2 balances; hand-counted), and the surface report's
 * quotes on the real 2020-05-14 chain (shared/data/real/market, SOURCES.md), read back against the file itself.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { beforeAll, describe, expect, it } from 'vitest'
import type { VolSurfaceReport } from '../../src/shared/surfaceApi'
import { runRiskdesk } from '../support/cli'
import { CHAIN_2020_05_14, DERIBIT_POSITIONS, REPO, tempDir } from '../support/paths'

const DEMO = join(REPO, 'resources', 'demo')
let db: string

beforeAll(async () => {
  db = join(tempDir(), 'cli.db')
  for (const args of [
    ['import', CHAIN_2020_05_14],
    ['import', join(DEMO, 'demo-portfolio.csv'), join(DEMO, 'demo-balances.csv'), '--portfolio', 'desk'],
    ['import', DERIBIT_POSITIONS, '--portfolio', 'perp'],
  ]) {
    const r = await runRiskdesk(db, ...args)
    expect(r.code, r.stderr).toBe(0)
  }
}, 120_000)

describe('riskdesk portfolios / positions remove / imports remove', () => {
  it('portfolios list shows each book with its positions', async () => {
    const r = await runRiskdesk(db, 'portfolios', '--json')
    expect(r.code).toBe(0)
    expect((JSON.parse(r.stdout) as Array<{ name: string; positions: number }>).map((p) => [p.name, p.positions])).toEqual([
      ['perp', 1],
      ['desk', 16],
    ])
  })

  it('delete without --yes says what would go and deletes nothing', async () => {
    const r = await runRiskdesk(db, 'portfolios', 'delete', 'perp')
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/this deletes portfolio "perp" \(1 position in its book, with its imports and balances\); run again with --yes/)
    expect((await runRiskdesk(db, 'positions', '--portfolio', 'perp', '--json')).code).toBe(0)
  })

  it('positions remove by instrument and account, then imports remove, then rename and delete, each in the history', async () => {
    const removed = await runRiskdesk(db, 'positions', 'remove', '--portfolio', 'desk', '--instrument', 'BTC-25SEP20', '--account', 'hedge')
    expect(removed.code, removed.stderr).toBe(0)
    // demo-portfolio.csv: deribit,hedge,BTC-25SEP20,200000
    expect(removed.stdout).toMatch(/^removed 1 position from "desk" \(15 positions left\):/)
    expect(removed.stdout).toMatch(/BTC-25SEP20\s*│\s*200000/)

    const history = JSON.parse((await runRiskdesk(db, 'imports', '--portfolio', 'desk', '--json')).stdout) as Array<{ id: number; fileName: string }>
    const balances = history.find((e) => e.fileName === 'demo-balances.csv')!
    const r = await runRiskdesk(db, 'imports', 'remove', String(balances.id))
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe(`removed import #${balances.id} (demo-balances.csv) from "desk": 2 balances; book 15 positions before, 15 positions after\n`)

    expect((await runRiskdesk(db, 'portfolios', 'rename', 'desk', 'options desk')).stdout).toBe('renamed portfolio "desk" to "options desk"\n')
    const del = await runRiskdesk(db, 'portfolios', 'delete', 'perp', '--yes')
    expect(del.stdout).toBe('deleted portfolio "perp": 1 import (1 position, 1 market quote); market data and other portfolios untouched\n')

    const text = (await runRiskdesk(db, 'imports')).stdout
    expect(text).toMatch(/demo-portfolio\.csv.*1 position removed at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/)
    expect(text).toMatch(/demo-balances\.csv.*removed at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(import removed from portfolio "desk"\)/)
    expect(text).toMatch(/deribit_get_positions_future_docs_example\.json.*removed at .* \(portfolio "perp" deleted\)/)
    const left = JSON.parse((await runRiskdesk(db, 'portfolios', 'list', '--json')).stdout) as Array<{ name: string; positions: number }>
    expect(left.map((p) => [p.name, p.positions])).toEqual([['options desk', 15]])
  }, 120_000)

  it('refuses a market-wide import and a bad id with a clear message', async () => {
    const chain = (JSON.parse((await runRiskdesk(db, 'imports', '--json')).stdout) as Array<{ id: number; content: string }>).find((e) => e.content === 'market')!
    const r = await runRiskdesk(db, 'imports', 'remove', String(chain.id))
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/is market-wide market data, not part of a portfolio's book/)
    const bad = await runRiskdesk(db, 'imports', 'remove', 'x')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/expected a whole number ≥ 1, got "x"/)
    const neither = await runRiskdesk(db, 'positions', 'remove')
    expect(neither.code).toBe(1)
    expect(neither.stderr).toMatch(/give either --id IDS or --instrument NAME/)
  })
})

describe('surface report: quotes beside the fit, from the file', () => {
  const chain = parse(readFileSync(CHAIN_2020_05_14), { columns: true }) as Array<Record<string, string>>
  const row = (name: string) => chain.find((r) => r.instrument_name === name)!

  it("keeps the file's bid/ask IVs (0 there = no quote = null) and gives the ATM vol of the fitted raw SVI", async () => {
    const report = JSON.parse((await runRiskdesk(db, 'surface', '--json')).stdout) as VolSurfaceReport
    const points = report.underlyings[0]!.expiries.flatMap((e) => e.points)
    const p = points.find((x) => x.instrument === 'BTC-22MAY20-9250-P')!
    expect([p.markIv, p.bidIv, p.askIv]).toEqual([76.87, 80.07, 85.17])
    expect(row('BTC-22MAY20-9250-P').bid_iv).toBe('80.07')
    // BTC-29MAY20-13500-P: bid_iv 0.0 in the file (no bid).
    expect(Number(row('BTC-29MAY20-13500-P').bid_iv)).toBe(0)
    expect(points.find((x) => x.instrument === 'BTC-29MAY20-13500-P')!.bidIv).toBeNull()
    // Every quote of the file with a mark IV is listed beside the fit, once (310 options).
    expect(points).toHaveLength(chain.length)
    for (const e of report.underlyings[0]!.expiries) {
      // Raw SVI (Gatheral 2004): w(k) = a + b(ρ(k − m) + √((k − m)² + σ²)); at the forward k = 0, vol = √(w/T).
      const { a, b, rho, m, s } = e.svi
      const w0 = a + b * (rho * -m + Math.sqrt(m * m + s * s))
      expect(e.atmVolPoints).toBeCloseTo(100 * Math.sqrt(w0 / e.T), 9)
      expect(e.days).toBeCloseTo(e.T * 365, 12)
      expect(e.smile).toHaveLength(41)
    }
    expect(report.snapshots).toEqual([{ snapshotId: report.snapshotId, venue: 'deribit', asOf: '2020-05-14T05:44:06.537Z', fileName: 'deribit_btc_option_chain_2020-05-14_schepal.csv', underlyings: ['BTC'] }])
  })
})
