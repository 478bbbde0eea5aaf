/**
 * The web host's answers to bad and excessive requests (issue "Reliability and security", item 8), on the
 * real handler map over a real SQLite file holding the demo book (resources/demo), served by startWebHost
 * on 127.0.0.1 (a one-line index.html stands in for the built renderer; no page is loaded here), with the real
 * BTC daily closes (../shared/data/real/market) for the VaR runs. Expected
 * statuses are the documented ones (docs/security.md): input 400, missing 404, capacity 429; the messages
 * are the services' own (the portfolio list "known: demo" is the demo's one portfolio).
 */
import { writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWebHost, type WebHost } from '../../src/main/hosts/web/webHost'
import { runDemo } from '../../src/main/services/demoService'
import { importFile } from '../../src/main/services/importService'
import { openRuntime, type Runtime } from '../../src/main/services/runtime'
import { MAX_CONCURRENT_STRESS_RUNS } from '../../src/main/services/stressLimits'
import { BTC_DAILY } from '../support/dailyCloses'
import { REPO, tempDir } from '../support/paths'

let rt: Runtime
let host: WebHost

beforeAll(async () => {
  const dir = tempDir()
  rt = openRuntime({ dbPath: join(dir, 'riskdesk.db'), workers: 1 })
  await runDemo(rt.db, rt.stressPool(), join(REPO, 'resources'))
  importFile(rt.db, BTC_DAILY, { underlying: 'BTC' })
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Riskdesk</title>')
  host = await startWebHost({ api: rt.api, rendererDir: dir })
})

afterAll(async () => {
  await host?.close()
  await rt?.close()
})

async function call(name: string, input: unknown): Promise<{ status: number; body: { error?: string; name?: string; result?: unknown } }> {
  const res = await fetch(`${host.origin}/api/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` },
    body: JSON.stringify(input),
  })
  return { status: res.status, body: (await res.json()) as { error?: string; name?: string } }
}

describe('web host: bad input answers 4xx with the message, never 500', () => {
  it.each([
    ['getPositions', { portfolio: 'nope' }, 404, 'no portfolio named "nope"; known: demo'],
    ['runStress', { portfolio: 'nope' }, 404, 'no portfolio named "nope"; known: demo'],
    ['runStress', { set: 'nope' }, 404, 'no scenario set named "nope"'],
    ['getScenarioSet', { name: 'nope' }, 404, 'no saved scenario set named "nope"'],
    ['getStressJob', { jobId: 'nope' }, 404, 'no stress job nope'],
    ['getVarJob', { jobId: 'nope' }, 404, 'no VaR job nope'],
    ['startVar', { workers: 64 }, 400, `workers: 64 asked; at most ${Math.max(4, availableParallelism())} per stress run`],
    ['getVolSurface', { underlying: 'XYZ' }, 404, 'the latest snapshot has no XYZ options; it has BTC'],
    ['runCascade', { portfolio: 'nope' }, 404, 'no portfolio named "nope"'],
    ['runCascade', { path: 'crash:abc' }, 400, 'expected crash:MOVE%[:STEPS]'],
    ['runCascade', { path: 'gap:-150%' }, 400, 'the move must be above −100%'],
    ['runCascade', { path: 'historical:nope' }, 400, 'no historical episode "nope"'],
    ['runCascade', { venueRules: { x: 1 } }, 400, 'margin parameter file'],
    ['runCascade', { steps: 0 }, 400, 'invalid input for runCascade: steps'],
    ['stressDrillDown', { request: {}, scenario: 99_999 }, 400, 'scenario 99999 is out of range: the set has 189 scenarios'],
    ['runStress', { workers: 64 }, 400, `workers: 64 asked; at most ${Math.max(4, availableParallelism())} per stress run`],
    ['getWhatIf', { name: 'nope' }, 404, 'no what-if named "nope"'],
    ['suggestHedge', { whatIf: 'nope', targets: [{ greek: 'delta', target: 0, band: 1 }] }, 404, 'no what-if named "nope"'],
    ['getRiskProfile', { underlying: 'XYZ' }, 400, 'XYZ'],
    ['noSuchCall', {}, 400, 'unknown call "noSuchCall"'],
  ])('%s %j → %i', async (name, input, status, message) => {
    const r = await call(name, input)
    expect(r.status).toBe(status)
    expect(r.body.error).toContain(message)
  })
})

describe('web host: stress capacity', () => {
  it(`runs at most ${MAX_CONCURRENT_STRESS_RUNS} stress runs at once; the next is refused with 429 and a message until one ends`, async () => {
    // The largest grid a run takes (101 × 101 = 10,201 scenarios) on one worker each, so the first runs are
    // still going when the last request arrives; all requests are sent at once.
    const request = { spot: { from: -50, to: 50, step: 1 }, vol: { from: -50, to: 50, step: 1 }, workers: 1 }
    const answers = await Promise.all(Array.from({ length: MAX_CONCURRENT_STRESS_RUNS + 1 }, () => call('startStress', request)))
    const started = answers.filter((a) => a.status === 200).map((a) => (a.body.result as { jobId: string }).jobId)
    const refused = answers.filter((a) => a.status === 429)
    expect(started).toHaveLength(MAX_CONCURRENT_STRESS_RUNS)
    expect(refused).toHaveLength(1)
    expect(refused[0]!.body.error).toBe(
      `${MAX_CONCURRENT_STRESS_RUNS} stress and VaR runs are already running in this Riskdesk; try again when one has finished (or cancel one)`,
    )
    // A synchronous run is counted too.
    expect((await call('runStress', request)).status).toBe(429)
    // Cancelled jobs give their slots back (each ends with a terminal status, read once).
    for (const jobId of started) await call('cancelStress', { jobId })
    for (const jobId of started)
      for (;;) {
        const s = await call('getStressJob', { jobId })
        if ((s.body.result as { status: string }).status !== 'running') break
        await new Promise((r) => setTimeout(r, 50))
      }
    const again = await call('runStress', { workers: 1 })
    expect(again.status).toBe(200)
    // The default grid: 21 spot × 9 vol shocks = 189 scenarios.
    expect((again.body.result as { scenarioCount: number }).scenarioCount).toBe(189)
  })
})

describe('web host: stress and VaR share the capacity', () => {
  it(`counts VaR jobs with stress jobs: of 2 stress and 3 VaR jobs started at once, ${MAX_CONCURRENT_STRESS_RUNS} run and one gets 429`, async () => {
    // Each long enough to still be running when the last request arrives: the largest grid and a
    // 1,000,000-path Monte Carlo (the most a run takes), one worker each; all five requests are sent at once.
    const stress = { spot: { from: -50, to: 50, step: 1 }, vol: { from: -50, to: 50, step: 1 }, workers: 1 }
    const mc = { method: 'montecarlo', paths: 1_000_000, workers: 1 }
    const sent = [['startStress', stress], ['startVar', mc], ['startStress', stress], ['startVar', mc], ['startVar', mc]] as const
    const answers = await Promise.all(sent.map(([name, input]) => call(name, input)))
    const started = answers.flatMap((a, i) => (a.status === 200 ? [{ name: sent[i]![0], jobId: (a.body.result as { jobId: string }).jobId }] : []))
    const refused = answers.filter((a) => a.status === 429)
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 429])
    expect(refused[0]!.body.error).toBe(
      `${MAX_CONCURRENT_STRESS_RUNS} stress and VaR runs are already running in this Riskdesk; try again when one has finished (or cancel one)`,
    )
    // Both kinds are refused while the four run, and a synchronous VaR run is counted too.
    expect((await call('startVar', mc)).status).toBe(429)
    expect((await call('startStress', stress)).status).toBe(429)
    expect((await call('runVar', { method: 'parametric' })).status).toBe(429)
    // Cancelled, every job ends (read once) and gives its slot back.
    const cancel = { startStress: 'cancelStress', startVar: 'cancelVar' } as const
    const status = { startStress: 'getStressJob', startVar: 'getVarJob' } as const
    for (const job of started) expect((await call(cancel[job.name], { jobId: job.jobId })).status).toBe(200)
    for (const job of started)
      for (;;) {
        const s = await call(status[job.name], { jobId: job.jobId })
        expect(s.status).toBe(200)
        if ((s.body.result as { status: string }).status !== 'running') break
        await new Promise((r) => setTimeout(r, 50))
      }
    const again = await call('runVar', { method: 'historical', workers: 1 })
    expect(again.status).toBe(200)
    // The default window: 365 daily returns, one scenario each.
    expect((again.body.result as { scenarios: number }).scenarios).toBe(365)
  })
})
