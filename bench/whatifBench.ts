/**
 * What-if benchmark (issue 13): on the 200-position book of the real 2020-05-14 chain (stressBench.ts
 * whatIfDatabase, four accounts, with BTC balances here so every account has equity), adding one leg and
 * recomputing every figure — Greeks and buckets, the worst of a 41 × 21 stress grid (spot −50 … +50 % step 2.5,
 * vol −50 … +50 points step 5) and margin for every account (with its SPAN-16 scan) — through getWhatIf, the call
 * the What-if view makes as the user types. Beside it, in the same process: the book's own valuation (valueBook)
 * and the margin report of the book alone, the in-process references. Then where the time goes: each phase of one
 * side timed apart. 30 runs after 10 warm-up; median and p90.
 */
import { join } from 'node:path'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
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

function timed(runs: number, f: () => void): number[] {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    f()
    times.push(performance.now() - t)
  }
  return times.sort((a, b) => a - b)
}
const q = (times: number[], p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!
const line = (label: string, times: number[]) => console.log(`  ${label.padEnd(58)} median ${q(times, 0.5).toFixed(1).padStart(7)} ms   p90 ${q(times, 0.9).toFixed(1).padStart(7)} ms`)

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
    db.close()
  },
}
