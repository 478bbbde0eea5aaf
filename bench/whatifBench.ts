/**
 * What-if benchmark (issue 13): on the 200-position book of the real 2020-05-14 chain (stressBench.ts
 * whatIfDatabase, four accounts, with BTC balances here so every account has equity), adding one leg and
 * recomputing every figure — Greeks and buckets, the worst of a 41 × 21 stress grid (spot −50 … +50 % step 2.5,
 * vol −50 … +50 points step 5) and margin for every account (with its SPAN-16 scan) — through getWhatIf, the call
 * the What-if view makes as the user types. Beside it, in the same process: the book's own valuation (valueBook)
 * and the margin report of the book alone, the in-process references. 30 runs after 10 warm-up; median and p90 of the wall time and of the CPU time the process
 * spent (all of it on this thread: getWhatIf does not use the pool), which is what a run takes with a core to
 * itself on a shared machine.
 */
import { join } from 'node:path'
import { writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { marginRequest } from '../src/shared/marginApi'
import { stressRequest } from '../src/shared/stressApi'
import { getWhatIfRequest } from '../src/shared/whatifApi'
import { importFile } from '../src/main/services/importService'
import { marginReport } from '../src/main/services/marginService'
import { stressWorstOf } from '../src/main/services/stressService'
import { valueBook } from '../src/main/services/valuationService'
import { addLeg, createWhatIf, getWhatIf, removeLeg } from '../src/main/services/whatifService'
import { whatIfDatabase } from './stressBench'

const WARMUP = 10
const RUNS = 30
const GRID = { spot: { from: -50, to: 50, step: 2.5 }, vol: { from: -50, to: 50, step: 5 } }

/** Wall and CPU time (process.cpuUsage: this thread's work, and GC's) of each run, each list sorted. */
function timed(runs: number, f: () => void): { wall: number[]; cpu: number[] } {
  const wall: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage()
    const t = performance.now()
    f()
    wall.push(performance.now() - t)
    const used = process.cpuUsage(c)
    cpu.push((used.user + used.system) / 1000)
  }
  return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b) }
}
const q = (times: number[], p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!
const line = (label: string, t: { wall: number[]; cpu: number[] }) =>
  console.log(
    `  ${label.padEnd(54)} wall median ${q(t.wall, 0.5).toFixed(1).padStart(6)} ms, p90 ${q(t.wall, 0.9).toFixed(1).padStart(6)} ms;  CPU median ${q(t.cpu, 0.5).toFixed(1).padStart(6)} ms, p90 ${q(t.cpu, 0.9).toFixed(1).padStart(6)} ms`,
  )

export default {
  description: 'what-if: one leg added to a 200-position book, Greeks + 41 × 21 grid + margin of every account (getWhatIf)',
  async run(): Promise<void> {
    const { db, positions } = whatIfDatabase()
    const balances = join(tmpdir(), `riskdesk-bench-balances-${process.pid}.csv`)
    writeFileSync(balances, ['venue,account,currency,amount,as_of', ...[0, 1, 2, 3].map((i) => `deribit,acct${i},BTC,${20 + 5 * i},2020-05-14T05:40:00Z`)].join('\n'))
    importFile(db, balances, { portfolio: 'whatif' })
    createWhatIf(db, 'bench', 'whatif')
    const request = getWhatIfRequest.parse({ name: 'bench', ...GRID })
    const leg = { whatIf: 'bench', instrument: 'BTC-26JUN20-9000-C', quantity: '-5', account: 'acct0' }
    const cycle = () => {
      const { leg: added } = addLeg(db, leg)
      const r = getWhatIf(db, request)
      if (r.after.stress.scenarios !== 861) throw new Error('expected a 41 × 21 grid')
      removeLeg(db, 'bench', added.id)
    }
    for (let i = 0; i < WARMUP; i++) cycle()
    console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (${availableParallelism()} cores): on a shared machine the wall time stretches, the CPU time is what a run costs with a core to itself`)
    console.log(`${positions} positions + 4 BTC balances in 4 Deribit accounts; the leg: −5 BTC-26JUN20-9000-C in acct0; ${RUNS} runs after ${WARMUP} warm-up`)
    line('add one leg + getWhatIf (before, after, change)', timed(RUNS, cycle))
    addLeg(db, leg)
    line('getWhatIf alone (leg already added)', timed(RUNS, () => getWhatIf(db, request)))
    console.log('references (the book alone, in process):')
    line('valueBook (Greeks of the book)', timed(RUNS, () => valueBook(db, { portfolio: 'whatif' })))
    const valued = valueBook(db, { portfolio: 'whatif' })
    const sreq = stressRequest.parse({ portfolio: 'whatif', ...GRID })
    line('stressWorstOf, 41 × 21 grid (valuation given)', timed(RUNS, () => stressWorstOf(db, sreq, valued)))
    line('marginReport (every account, with its SPAN-16 scan)', timed(RUNS, () => marginReport(db, marginRequest.parse({ portfolio: 'whatif' }))))
    console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`)
    db.close()
  },
}
