/**
 * What-if benchmark (issue 13): on the 200-position book of the real 2020-05-14 chain (stressBench.ts
 * whatIfDatabase, four accounts, with BTC balances here so every account has equity), adding one leg
 * (addWhatIfLeg) and recomputing every figure (getWhatIf) through the API's handler map, as the What-if view
 * calls them while the user types: Greeks and buckets, the worst of a 41 × 21 stress grid (spot −50 … +50 %
 * step 2.5, vol −50 … +50 points step 5) and margin with liquidation prices for every account; the leg is removed
 * after each run, untimed. Beside it, in the same process, the book alone: its valuation (valueBook), the grid
 * (stressWorstOf) and the margin report (with its SPAN-16 scan). 30 runs after 10 warm-up; median and p90 of the
 * wall time and of the CPU time the process spent (all on this thread: getWhatIf does not use the pool), which
 * is what a run takes with a core to itself on a shared machine.
 */
import { join } from 'node:path'
import { writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { marginRequest } from '../src/shared/marginApi'
import { stressRequest } from '../src/shared/stressApi'
import type { WhatIfReport } from '../src/shared/whatifApi'
import { importFile } from '../src/main/services/importService'
import { marginReport } from '../src/main/services/marginService'
import { stressWorstOf } from '../src/main/services/stressService'
import { valueBook } from '../src/main/services/valuationService'
import { createRiskdeskHandlers, dispatch } from '../src/main/services/riskdeskApi'
import { whatIfDatabase } from './stressBench'

const WARMUP = 10
const RUNS = 30
const GRID = { spot: { from: -50, to: 50, step: 2.5 }, vol: { from: -50, to: 50, step: 5 } }

/** Wall and CPU time (process.cpuUsage: this thread's work, and GC's) of each run, each list sorted. */
async function timed(runs: number, f: () => unknown, untimed?: (result: unknown) => unknown): Promise<{ wall: number[]; cpu: number[] }> {
  const wall: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage()
    const t = performance.now()
    const result = await f()
    wall.push(performance.now() - t)
    const used = process.cpuUsage(c)
    cpu.push((used.user + used.system) / 1000)
    await untimed?.(result)
  }
  return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b) }
}
const q = (times: number[], p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!
const line = (label: string, t: { wall: number[]; cpu: number[] }) =>
  console.log(
    `  ${label.padEnd(54)} wall median ${q(t.wall, 0.5).toFixed(1).padStart(6)} ms, p90 ${q(t.wall, 0.9).toFixed(1).padStart(6)} ms;  CPU median ${q(t.cpu, 0.5).toFixed(1).padStart(6)} ms, p90 ${q(t.cpu, 0.9).toFixed(1).padStart(6)} ms`,
  )

export default {
  description: 'what-if: one leg added to a 200-position book, Greeks + 41 × 21 grid + margin of every account (addWhatIfLeg, getWhatIf)',
  async run(): Promise<void> {
    const { db, positions } = whatIfDatabase()
    const balances = join(tmpdir(), `riskdesk-bench-balances-${process.pid}.csv`)
    writeFileSync(balances, ['venue,account,currency,amount,as_of', ...[0, 1, 2, 3].map((i) => `deribit,acct${i},BTC,${20 + 5 * i},2020-05-14T05:40:00Z`)].join('\n'))
    importFile(db, balances, { portfolio: 'whatif' })
    // Through the API's handler map, as the app calls it: input validated, writes through the write gate.
    const api = createRiskdeskHandlers({ db, stressPool: () => { throw new Error('getWhatIf runs on the main thread') } })
    const call = <T>(name: string, input: unknown) => dispatch(api, name, input) as Promise<T>
    await call('createWhatIf', { name: 'bench', portfolio: 'whatif' })
    const request = { name: 'bench', ...GRID }
    const leg = { whatIf: 'bench', instrument: 'BTC-26JUN20-9000-C', quantity: '-5', account: 'acct0' }
    const cycle = async () => {
      const { leg: added } = await call<{ leg: { id: number } }>('addWhatIfLeg', leg)
      const r = await call<WhatIfReport>('getWhatIf', request)
      if (r.after.stress.scenarios !== 861) throw new Error('expected a 41 × 21 grid')
      return added.id
    }
    const removing = async () => {
      const id = await cycle()
      await call('removeWhatIfLeg', { whatIf: 'bench', legId: id })
    }
    for (let i = 0; i < WARMUP; i++) await removing()
    console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (${availableParallelism()} cores): on a shared machine the wall time stretches, the CPU time is what a run costs with a core to itself`)
    console.log(`${positions} positions + 4 BTC balances in 4 Deribit accounts; the leg: −5 BTC-26JUN20-9000-C in acct0; ${RUNS} runs after ${WARMUP} warm-up`)
    // Each run adds the leg and recomputes (timed), then removes it (not timed): every run does the same work.
    line('addWhatIfLeg + getWhatIf (before, after, change)', await timed(RUNS, cycle, (id) => call('removeWhatIfLeg', { whatIf: 'bench', legId: id })))
    await cycle()
    line('getWhatIf alone (leg already added)', await timed(RUNS, () => call('getWhatIf', request)))
    console.log('references (the book alone, in process):')
    line('valueBook (Greeks of the book)', await timed(RUNS, () => valueBook(db, { portfolio: 'whatif' })))
    const valued = valueBook(db, { portfolio: 'whatif' })
    const sreq = stressRequest.parse({ portfolio: 'whatif', ...GRID })
    line('stressWorstOf, 41 × 21 grid (valuation given)', await timed(RUNS, () => stressWorstOf(db, sreq, valued)))
    line('marginReport (every account, with its SPAN-16 scan)', await timed(RUNS, () => marginReport(db, marginRequest.parse({ portfolio: 'whatif' }))))
    console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`)
    db.close()
  },
}
