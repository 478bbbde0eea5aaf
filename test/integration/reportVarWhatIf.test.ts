/**
 * The VaR/ES and what-if comparison sections of the PDF report: the demo portfolio with the real BTC daily closes
 * (../shared/data/real, mathaszip Bitstamp/Coinbase) and a two-leg what-if, printed by `riskdesk report --whatif`
 * through headless Chromium and read back with poppler-utils. Independent sources: the CLI's own documents —
 * `var --json` (VaR, ES, window, contributions), `backtest --json` (exceptions, Kupiec and Christoffersen LR,
 * Basel zone) and `whatif show NAME --json` (the change of Greeks, buckets, stress worst and margin) — each
 * figure rounded with the decimals the report shows (shared/format.ts `fmt`, the CLI's tables' rounding);
 * pdfinfo for the page count; pdftoppm + pngjs for the chart pages (written to test-output/report-sections/).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { fmt } from '../../src/shared/format'
import { runRiskdesk } from '../support/cli'
import { BTC_DAILY } from '../support/dailyCloses'
import { tempDir, testOutputDir } from '../support/paths'

const dir = tempDir()
const db = join(dir, 'riskdesk.db')
const OUT = join(testOutputDir(), 'report-sections')
const PDF = join(OUT, 'demo-report-var-whatif-a4.pdf')

async function run(...args: string[]) {
  const r = await runRiskdesk(db, ...args)
  expect(r.code, r.stderr).toBe(0)
  return r.stdout
}
const json = async (...args: string[]) => JSON.parse(await run(...args, '--json'))
const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1)
const flat = (s: string) => s.replace(/\s+/g, ' ')
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

let pages: string[]
/** Pages of a section: from the page its title opens to the page before the next section's. */
function sectionPages(title: string, next: string): string {
  const first = pages.findIndex((p) => new RegExp(`^\\s*${escape(title)}\\s*$`, 'm').test(p))
  const end = pages.findIndex((p) => new RegExp(`^\\s*${escape(next)}\\s*$`, 'm').test(p))
  expect(first).toBeGreaterThan(0)
  expect(end).toBeGreaterThan(first)
  return flat(pages.slice(first, end).join(' '))
}

beforeAll(async () => {
  await run('demo')
  await run('import', BTC_DAILY, '--underlying', 'BTC')
  await run('whatif', 'new', 'hedge1')
  // A put bought in the options account and a short perpetual in the hedge account (netted into its 20,000 USD).
  await run('whatif', 'add', 'hedge1', '--instrument', 'BTC-26JUN20-8000-P', '--quantity', '20', '--account', 'options')
  await run('whatif', 'add', 'hedge1', '--instrument', 'BTC-PERPETUAL', '--quantity', '-50000', '--account', 'hedge')
  rmSync(OUT, { recursive: true, force: true })
  mkdirSync(OUT, { recursive: true })
  const written = await json('report', '--whatif', 'hedge1', '--out', PDF)
  expect(written.portfolio).toBe('demo')
  pages = pdfText(PDF)
}, 400_000)

describe('report with VaR/ES and a what-if', () => {
  it('has every section, the header and footer on every page, and as many pages as pdfinfo counts', async () => {
    const n = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [PDF], { encoding: 'utf8' }))![1])
    expect(pages).toHaveLength(n)
    // Nine sections, each from a new page.
    expect(n).toBeGreaterThanOrEqual(9)
    pages.forEach((text, i) => {
      expect(text).toContain('Riskdesk risk report · portfolio demo')
      expect(text).toContain('valued at 2020-05-14T05:44:06.537Z')
      expect(text).toMatch(new RegExp(`page ${i + 1} of ${n}\\b`))
    })
    const model = await json('report', '--whatif', 'hedge1')
    expect(model.sections.map((s: { id: string }) => s.id)).toEqual(['cover', 'summary', 'positions', 'greeks', 'stress', 'margin', 'var', 'whatif', 'methodology'])
    expect(model.provenance.parameters.var).toEqual({ method: 'historical', confidence: 0.99, horizonDays: 1, window: 365, by: 'position' })
  }, 120_000)

  it('shows VaR, ES, window and every contribution as `riskdesk var --json` gives them, and the backtest as `backtest --json`', async () => {
    const v = await json('var')
    expect([v.method, v.confidence, v.horizonDays, v.by]).toEqual(['historical', 0.99, 1, 'position'])
    const text = sectionPages('Value at Risk and Expected Shortfall', 'What-if comparison')
    expect(text).toContain(`Value at Risk ${fmt(v.var, 2)} USD`)
    expect(text).toContain(`Expected Shortfall ${fmt(v.es, 2)} USD`)
    expect(text).toContain(`${v.window.first} … ${v.window.last}`)
    expect(text).toContain(`${v.window.returns} daily returns`)
    for (const c of v.contributions) expect(text).toMatch(new RegExp(`${escape(c.key)} ${escape(fmt(c.var, 2))} ${escape(fmt(c.es, 2))} ${escape(fmt(c.share * 100, 1))}`))
    // Euler components add up to VaR and ES: the total row reads VaR and ES again.
    expect(text).toContain(`Total ${fmt(v.var, 2)} ${fmt(v.es, 2)} 100.0`)
    // The one-page summary carries the same two figures.
    const summary = flat(pages.find((p) => p.includes('Headline'))!)
    expect(summary).toMatch(new RegExp(`VaR, 99 % 1-day, Historical simulation ${escape(fmt(v.var, 2))} USD`))
    expect(summary).toMatch(new RegExp(`ES, 99 % 1-day, Historical simulation ${escape(fmt(v.es, 2))} USD`))
    const b = await json('backtest')
    expect(text).toContain(`${b.from} … ${b.to}`)
    expect(text).toMatch(new RegExp(`Days tested ${fmt(b.days)}\\b`))
    expect(text).toMatch(new RegExp(`Exceptions ${b.exceptions}\\b`))
    expect(text).toContain(`Kupiec POF LR ${fmt(b.kupiec.lr, 4)}`)
    expect(text).toContain(`p-value ${b.kupiec.pValue.toFixed(4)} (Kupiec 1995)`)
    expect(text).toContain(`Christoffersen independence LR ${fmt(b.christoffersen.lr, 4)}`)
    expect(text).toContain(`${b.trafficLight.zone} zone`)
  }, 240_000)

  it('shows the what-if legs and the change of Greeks, tenor buckets, stress worst and margin as `whatif show --json`', async () => {
    const w = await json('whatif', 'show', 'hedge1')
    const text = sectionPages('What-if comparison', 'Methodology')
    expect(w.legs).toHaveLength(2)
    for (const l of w.legs) expect(text).toContain(`${l.id} ${l.venue}/${l.account} ${l.instrument} ${l.kind} ${l.quantity} ${l.quantityUnit} ${l.entryPrice} ${l.priceUnit}`)
    expect(text).toContain(`Book value change ${fmt(w.change.valueUsd, 2)} USD`)
    const g = w.change.greeks[0]
    expect(g.underlying).toBe('BTC')
    const row = [fmt(g.delta, 4), fmt(g.deltaUsd, 0), fmt(g.gamma, 6), fmt(g.gammaUsdPer1Pct, 0), fmt(g.vegaUsd, 0), fmt(g.thetaUsd, 0), fmt(g.valueUsd, 2)].map(escape).join(' ')
    expect(text).toMatch(new RegExp(`BTC change ${row}`))
    for (const b of w.change.buckets.filter((x: { by: string }) => x.by === 'tenor')) expect(text).toContain(`${b.bucket}`)
    // The tenor buckets' delta change: each `change` column figure, in bucket order.
    const tenor = /Delta and vega by tenor bucket.*?Worst scenario/.exec(text)![0]
    for (const b of w.change.buckets.filter((x: { by: string }) => x.by === 'tenor')) expect(tenor).toContain(fmt(b.delta, 4))
    expect(text).toMatch(new RegExp(`change — ${escape(fmt(w.change.stressWorstPnlUsd, 0))} —`))
    for (const m of w.change.margin) {
      const cells = [m.equity, m.initialMargin, m.maintenanceMargin, m.availableBalance].map((x: string | null) => (x === null ? '—' : `${x} ${m.marginCurrency}`))
      expect(text).toContain(`${m.key} change ${cells.join(' ')} ${m.marginRatio === null ? '—' : fmt(m.marginRatio * 100, 2)}`)
    }
  }, 120_000)

  it('renders the VaR and what-if pages (pdftoppm): the P&L distribution is drawn, no raster image', () => {
    execFileSync('pdftoppm', ['-r', '60', '-png', PDF, join(OUT, 'page')])
    const pngs = readdirSync(OUT).filter((f) => /^page-\d+\.png$/.test(f)).sort()
    expect(pngs).toHaveLength(pages.length)
    const k = pages.findIndex((p) => p.includes('P&L distribution over 1 day')) + 1
    const png = PNG.sync.read(readFileSync(join(OUT, pngs.find((f) => Number(/(\d+)/.exec(f)![1]) === k)!)))
    // The histogram's blue fill (rgba(37, 99, 235, 0.25) on white ≈ rgb(201, 216, 250)) covers a good part of the chart.
    let fill = 0
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!]
      if (b > 230 && r < 215 && r > 185 && g > 200 && g < 230) fill++
    }
    expect(fill).toBeGreaterThan(2000)
    expect(execFileSync('pdfimages', ['-list', PDF], { encoding: 'utf8' }).trim().split('\n').slice(2)).toHaveLength(0)
  })
})
