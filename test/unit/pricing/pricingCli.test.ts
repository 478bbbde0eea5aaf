/**
 * `riskdesk price` and `riskdesk iv` as a user runs them: JSON Lines on stdin, one JSON line out per input
 * line, errors in-band. Expected values: Haug (1998) p. 2-8 (BSM call 2.1334, Black-76 put 1.7011) and
 * QuantLib's BlackCalculator for the same Black-76 put (test/fixtures/quantlib: value 1.701050725236268).
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BIN } from '../../support/cli'
import { REPO, tempDir } from '../../support/paths'


function run(command: string, lines: string[]): Promise<{ code: number; out: unknown[]; db: string }> {
  const db = join(tempDir('riskdesk-pricing-'), 'must-not-exist.db')
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [BIN, command], { cwd: REPO, env: { ...process.env, RISKDESK_DB: db } }, (err, stdout) => {
      if (err && typeof err.code !== 'number') return reject(err)
      resolve({ code: err ? Number(err.code) : 0, out: stdout.trim().split('\n').map((l) => JSON.parse(l)), db })
    })
    child.stdin!.end(lines.join('\n') + '\n')
  })
}

describe('riskdesk price', () => {
  it('answers each line in order, errors in-band, and never opens the database', async () => {
    const { code, out, db } = await run('price', [
      '{"model":"black_scholes_merton","type":"call","S":60,"K":65,"T":0.25,"r":0.08,"q":0,"sigma":0.3}',
      '{"model":"black76","type":"put","F":19,"K":19,"T":0.75,"r":0.1,"sigma":0.28}',
      'not json',
      '',
      '{"model":"black76","type":"put","F":19,"K":19,"T":0.75,"sigma":-0.28}',
      '{"model":"inverse_black76","type":"call","F":9350,"K":10000,"T":0.1,"sigma":0.8}',
      '{"model":"black_scholes","type":"call","S":100,"K":100,"T":1,"sigma":0.2,"vol":1}',
    ])
    expect(code).toBe(0)
    expect(existsSync(db)).toBe(false)
    expect(out).toHaveLength(6) // the blank line is not an input
    const [bsm, b76, bad, neg, inv, typo] = out as Array<Record<string, number | string>>
    expect(Math.abs((bsm!.price as number) - 2.1334)).toBeLessThanOrEqual(0.5e-4)
    expect(Math.abs((b76!.price as number) - 1.701050725236268)).toBeLessThanOrEqual(1e-12)
    expect(Object.keys(b76!).sort()).toEqual(['charm', 'delta', 'gamma', 'price', 'rho', 'theta', 'vanna', 'vega', 'volga'])
    expect(bad!.error).toMatch(/not JSON/)
    expect(neg!.error).toMatch(/sigma/)
    expect(inv!.priceCoin).toBeCloseTo((inv!.price as number) / 9350, 15)
    expect(inv!.deltaCoin).toBeCloseTo((inv!.delta as number) - (inv!.priceCoin as number), 15)
    expect(typo!.error).toMatch(/vol/)
  })
})

describe('riskdesk iv', () => {
  it('returns sigma, or a typed error such as below-intrinsic', async () => {
    const { out } = await run('iv', [
      '{"model":"black76","type":"put","F":19,"K":19,"T":0.75,"r":0.1,"price":1.701050725236268}',
      '{"model":"black76","type":"call","F":100,"K":90,"T":0.5,"price":5}',
      '{"model":"inverse_black76","type":"call","F":9350,"K":10000,"T":0.1,"priceCoin":0.07302916353930623}',
      '{"model":"black_scholes_merton","type":"call","S":60,"K":65,"T":0.25,"r":0.08,"q":0,"price":2.133368444916201}',
      '{"model":"black76","type":"call","F":100,"K":90,"T":0.5}',
    ])
    const [put, below, inv, bsm, missing] = out as Array<Record<string, number | string>>
    expect(Math.abs((put!.sigma as number) - 0.28)).toBeLessThanOrEqual(1e-12)
    expect(below!.error).toMatch(/^below-intrinsic/)
    expect(Math.abs((inv!.sigma as number) - 0.8)).toBeLessThanOrEqual(1e-12)
    expect(Math.abs((bsm!.sigma as number) - 0.3)).toBeLessThanOrEqual(1e-12)
    expect(missing!.error).toMatch(/price/)
  })
})

describe('riskdesk surface', () => {
  it('reports per-expiry RMSE and arbitrage flags for the latest snapshot (the real 2020-05-14 chain via demo)', async () => {
    const db = join(tempDir('riskdesk-surface-'), 'riskdesk.db')
    const exec = (args: string[]) =>
      new Promise<string>((resolve, reject) =>
        execFile(process.execPath, [BIN, '--db', db, ...args], { cwd: REPO, maxBuffer: 16 << 20 }, (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout))),
      )
    await exec(['demo', '--json'])
    const doc = JSON.parse(await exec(['surface', '--json'])) as {
      venue: string
      underlyings: Array<{ underlying: string; expiries: Array<{ expiry: string; rmseVolPoints: number; butterfly: unknown; calendar: unknown }> }>
    }
    expect(doc.venue).toBe('deribit')
    expect(doc.underlyings.map((u) => u.underlying)).toEqual(['BTC'])
    const expiries = doc.underlyings[0]!.expiries
    expect(expiries.map((e) => e.expiry.slice(0, 10))).toEqual(['2020-05-14', '2020-05-15', '2020-05-22', '2020-05-29', '2020-06-26', '2020-09-25', '2020-12-25'])
    for (const e of expiries.slice(2)) expect(e.rmseVolPoints).toBeLessThan(1)
    expect(expiries.every((e) => e.butterfly === null && e.calendar === null)).toBe(true)
  })
})
