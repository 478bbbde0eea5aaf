/**
 * The `riskdesk` command as a user runs it: a child process on a temporary database. With --json, stdout
 * must hold exactly one JSON document.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { FIXTURES, tempDir } from '../support/paths'
import { runRiskdesk } from '../support/cli'

describe('riskdesk CLI', () => {
  const db = join(tempDir(), 'riskdesk.db')
  let demo: { database: string; imports: Array<{ status: string }>; positions: { positions: unknown[] }; stress: { worst: unknown } }

  beforeAll(async () => {
    const r = await runRiskdesk(db, 'demo', '--json')
    expect(r.code, r.stderr).toBe(0)
    demo = JSON.parse(r.stdout)
  })

  it('demo imports the real chain, the sample book and its balances, and leaves them in the database', async () => {
    expect(demo.database).toBe(db)
    expect(demo.imports.map((i) => i.status)).toEqual(['imported', 'imported', 'imported'])
    expect(demo.positions.positions.length).toBeGreaterThanOrEqual(10)
    expect(demo.stress.worst).not.toBeNull()
    const again = JSON.parse((await runRiskdesk(db, 'demo', '--json')).stdout)
    expect(again.imports.map((i: { status: string }) => i.status)).toEqual(['duplicate', 'duplicate', 'duplicate'])
  })

  it('greeks --by position --json gives instrument, quantity, delta, gamma, vega, theta per position', async () => {
    const r = await runRiskdesk(db, 'greeks', '--by', 'position', '--json')
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc.portfolio).toBe('demo')
    for (const p of doc.positions) {
      expect(typeof p.instrument).toBe('string')
      expect(typeof p.quantity).toBe('string')
      for (const k of ['delta', 'gamma', 'vega', 'theta']) expect(Number.isFinite(p[k])).toBe(true)
    }
    const underlying = JSON.parse((await runRiskdesk(db, 'greeks', '--json')).stdout)
    expect(underlying.totals.map((t: { underlying: string }) => t.underlying)).toEqual(['BTC'])
  })

  it('stress --json gives spotShocks, volShocks and pnlUsd with rows = spot shocks, columns = vol shocks', async () => {
    const r = await runRiskdesk(db, 'stress', '--spot', '-10:10:5', '--vol=-20:20:20', '--workers', '2', '--json')
    expect(r.code, r.stderr).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc.spotShocks).toEqual([-0.1, -0.05, 0, 0.05, 0.1])
    expect(doc.volShocks).toEqual([-20, 0, 20])
    expect(doc.pnlUsd).toHaveLength(5)
    expect(doc.pnlUsd.every((row: number[]) => row.length === 3)).toBe(true)
    expect(doc.pnlUsd[2][1]).toBe(0)
    expect(doc.workers).toBe(2)
    expect(doc.scenarioCount).toBe(15)
  })

  it('stress --set historical --liquidity on --by account gives named scenarios, costs and groups', async () => {
    const r = await runRiskdesk(db, 'stress', '--set', 'historical', '--liquidity', 'on', '--by', 'account', '--json')
    expect(r.code, r.stderr).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc.set.kind).toBe('historical')
    expect(doc.scenarios).toHaveLength(5)
    expect(doc.scenarios.every((s: { liquidityUsd: number }) => s.liquidityUsd > 0)).toBe(true)
    expect(doc.groups.map((g: { key: string }) => g.key).sort()).toEqual(['deribit/hedge', 'deribit/options'])
    expect(doc.pnlUsd).toBeNull()
    const text = await runRiskdesk(db, 'stress', '--set', 'span16')
    expect(text.stdout).toMatch(/16: extreme down 2× range/)
    expect(text.stdout).toMatch(/Taylor error/)
  })

  it('saves, lists, shows, runs and deletes a custom scenario from a JSON file', async () => {
    const file = join(tempDir(), 'crash.json')
    writeFileSync(file, JSON.stringify({ name: 'cli crash', spot: { shock: -0.4 }, vol: { size: 60 }, timeShiftDays: 1 }))
    expect((await runRiskdesk(db, 'scenarios', 'save', file)).stdout).toMatch(/saved "cli crash" \(1 scenarios\)/)
    const list = JSON.parse((await runRiskdesk(db, 'scenarios', 'list', '--json')).stdout)
    expect(list.map((s: { name: string }) => s.name)).toContain('cli crash')
    const shown = JSON.parse((await runRiskdesk(db, 'scenarios', 'show', 'cli crash')).stdout)
    expect(shown.scenarios[0]).toMatchObject({ name: 'cli crash', spot: { driver: 'BTC', shock: -0.4 }, vol: { size: 60, mode: 'absolute', floor: 1 } })
    const run = JSON.parse((await runRiskdesk(db, 'stress', '--set', 'cli crash', '--json')).stdout)
    expect(run.scenarios[0].name).toBe('cli crash')
    expect(run.scenarios[0].spotShocks.BTC).toBe(-0.4)
    expect((await runRiskdesk(db, 'scenarios', 'delete', 'cli crash')).code).toBe(0)
    const gone = await runRiskdesk(db, 'stress', '--set', 'cli crash')
    expect(gone.code).toBe(1)
    expect(gone.stderr).toMatch(/no scenario set named "cli crash"/)
    const bad = join(tempDir(), 'bad.json')
    writeFileSync(bad, JSON.stringify({ name: 'bad', spot: { shock: -1.5 } }))
    const refused = await runRiskdesk(db, 'scenarios', 'save', bad)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/spot\.shock/)
  })

  it('reports a bad file with line and column, exits 1, and keeps stdout one JSON document', async () => {
    const r = await runRiskdesk(db, 'import', join(FIXTURES, 'generic', 'bad-number.csv'), '--json')
    expect(r.code).toBe(1)
    const doc = JSON.parse(r.stdout)
    expect(doc[0].errors[0]).toMatchObject({ line: 3, column: 'quantity (4)', value: 'two' })
    expect(r.stderr).toMatch(/bad-number\.csv, line 3, column quantity \(4\)/)
  })

  it('says what to do when there is no portfolio, and refuses a bad range', async () => {
    const empty = join(tempDir(), 'empty.db')
    const r = await runRiskdesk(empty, 'greeks')
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/no portfolio yet.*riskdesk demo/)
    const bad = await runRiskdesk(db, 'stress', '--spot', '10:-10:5')
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toMatch(/TO must be at least FROM/)
  })

  it('prints human tables without --json', async () => {
    const r = await runRiskdesk(db, 'positions')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/BTC-25DEC20-10000-C/)
    expect(r.stdout).toMatch(/index price \(no perpetual quote in the snapshot\)/)
  })
})
