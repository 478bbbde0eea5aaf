/**
 * Pushed stress-job progress (what the web host streams as server-sent events and Electron sends as IPC
 * events), on the real handler map, SQLite and worker threads: the events of a run, of a cancelled run, and
 * of a job watched after it ended.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StressJobEvent } from '../../src/shared/api'
import { openDatabase, type Db } from '../../src/main/db/database'
import { StressPool } from '../../src/main/engine/stressPool'
import { importFile } from '../../src/main/services/importService'
import { createRiskdeskHandlers, dispatch, watchStressJob } from '../../src/main/services/riskdeskApi'
import type { RiskdeskHandlers } from '../../src/shared/api'
import { CHAIN_2020_05_14, REPO, tempDir } from '../support/paths'

let db: Db
let pool: StressPool
let api: RiskdeskHandlers

beforeAll(() => {
  db = openDatabase(join(tempDir(), 'riskdesk.db'))
  importFile(db, CHAIN_2020_05_14)
  importFile(db, join(REPO, 'resources', 'demo', 'demo-portfolio.csv'), { portfolio: 'demo' })
  pool = new StressPool({ workers: 2 })
  api = createRiskdeskHandlers({ db, stressPool: () => pool })
})
afterAll(async () => {
  await pool.close()
  db.close()
})

const start = async (input: unknown) => ((await dispatch(api, 'startStress', input)) as { jobId: string }).jobId

/** Follows a job to its terminal event; resolves with every event it got. */
function collect(jobId: string): Promise<StressJobEvent[]> {
  return new Promise((resolve) => {
    const events: StressJobEvent[] = []
    watchStressJob(api, jobId, (e) => {
      events.push(e)
      if (e.status !== 'running') resolve(events)
    })
  })
}

describe('stress job events', () => {
  it('pushes the state at once, one event per finished range of scenarios, then the terminal one', async () => {
    const jobId = await start({ portfolio: 'demo' })
    const events = await collect(jobId)
    // Watched before the run's first turn: the state at once is "running, nothing done yet".
    expect(events[0]).toEqual({ jobId, status: 'running', done: 0, total: 0, error: null })
    // The default grid: 21 spot shocks (−50 % to +50 % by 5) × 9 vol shocks (−30 to +50 points by 10) = 189
    // scenarios, split for 2 workers into min(189, 2 × 8) = 16 ranges (stressPool.ts): 16 progress events.
    const progress = events.slice(1, -1)
    expect(progress).toHaveLength(16)
    for (const e of progress) expect(e).toMatchObject({ jobId, status: 'running', total: 189 })
    const done = progress.map((e) => e.done)
    expect(done).toEqual([...done].sort((a, b) => a - b))
    expect(done.at(-1)).toBe(189)
    expect(events.at(-1)).toEqual({ jobId, status: 'done', done: 189, total: 189, error: null })
    // Watching reads no result: the job is still there for getStressJob, which reads (and frees) it.
    const status = (await dispatch(api, 'getStressJob', { jobId })) as { status: string; result: { scenarioCount: number } }
    expect(status.status).toBe('done')
    expect(status.result.scenarioCount).toBe(189)
    expect(() => watchStressJob(api, jobId, () => {})).toThrow(/no stress job/)
  })

  it('ends a cancelled run with a cancelled event', async () => {
    // 201 × 99 = 19,899 scenarios, cancelled at once: it ends cancelled, short of its scenarios.
    const jobId = await start({ portfolio: 'demo', spot: { from: -50, to: 50, step: 0.5 }, vol: { from: -50, to: 48, step: 1 } })
    const events = collect(jobId)
    expect(await dispatch(api, 'cancelStress', { jobId })).toEqual({ cancelled: true })
    const last = (await events).at(-1)!
    expect(last).toMatchObject({ jobId, status: 'cancelled', error: 'cancelled' })
    expect(last.done).toBeLessThan(19_899)
  })

  it('gives a job watched after it ended its terminal event at once, and nothing after', async () => {
    const jobId = await start({ portfolio: 'demo' })
    await collect(jobId)
    const late: StressJobEvent[] = []
    const stop = watchStressJob(api, jobId, (e) => late.push(e))
    expect(late).toEqual([{ jobId, status: 'done', done: 189, total: 189, error: null }])
    stop()
  })

  it('refuses handlers it did not make', () => {
    expect(() => watchStressJob({ ...api }, 'x', () => {})).toThrow(/not made by createRiskdeskHandlers/)
  })
})
