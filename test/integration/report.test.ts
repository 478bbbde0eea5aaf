/**
 * The PDF risk report of the demo portfolio, printed by `riskdesk report` through headless Chromium, checked
 * with poppler-utils against the CLI's own `--json` documents (the independent source: each figure is the
 * corresponding command's JSON value, rounded with the decimals the report shows — shared/format.ts `fmt`):
 *  - pdftotext: the summary page shows the book value, net Greeks, each stress set's worst loss, every account's
 *    margin ratio and equity, and the nearest liquidation exactly as `positions`, `greeks`, `stress`, `margin`
 *    --json give them;
 *  - pdfinfo: the page count, A4 and US Letter sizes; the header (portfolio, valuation instant) and the footer
 *    (page X of N) are on every page;
 *  - pdftoppm + pngjs: the page of the P&L surface is not blank (coloured pixels where the chart is) and draws it
 *    in vector (no embedded image, pdfimages);
 *  - the sample report and its pages as PNG are written to test-output/report/.
 * Also: without a price history the VaR section is left out and the methodology says why (the `var` command's
 * own error); the same database gives the same model twice (content hash), the stress grid's CSV equals its JSON cell
 * for cell, Greeks buckets add up to the totals, and an existing file is not overwritten without --force.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { PNG } from 'pngjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { fmt } from '../../src/shared/format'
import { runRiskdesk } from '../support/cli'
import { tempDir, testOutputDir } from '../support/paths'

const dir = tempDir()
const db = join(dir, 'riskdesk.db')
const OUT = join(testOutputDir(), 'report')
const PDF = join(OUT, 'demo-report-a4.pdf')

async function json(...args: string[]) {
  const r = await runRiskdesk(db, ...args, '--json')
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout)
}
const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1)
const pdfInfo = (file: string) => execFileSync('pdfinfo', [file], { encoding: 'utf8' })

let pages: string[]
let valuationTime: string

/** `greeks --json`, read once for the tests that compare with it (a read: the database does not change it). */
let greeksDoc: Promise<any> | undefined
const greeks = () => (greeksDoc ??= json('greeks'))

/**
 * One print of the summary alone, on US Letter, into a folder (test-output/report/letter/): the US Letter test and
 * the folder test read the same PDF, one Chromium print instead of two.
 */
let summaryLetter: Promise<{ file: string }> | undefined
const printSummaryLetterIntoFolder = () =>
  (summaryLetter ??= (async () => {
    const folder = join(OUT, 'letter')
    mkdirSync(folder)
    return json('report', '--sections', 'summary', '--paper', 'letter', '--out', `${folder}/`)
  })())

beforeAll(async () => {
  expect((await runRiskdesk(db, 'demo')).code).toBe(0)
  rmSync(OUT, { recursive: true, force: true })
  mkdirSync(OUT, { recursive: true })
  const written = await json('report', '--out', PDF)
  expect(written.file).toBe(PDF)
  valuationTime = written.valuationTime
  pages = pdfText(PDF)
}, 300_000)

describe('riskdesk report (PDF of the demo portfolio)', () => {
  it('has a header with portfolio and valuation instant and a footer "page X of N" on every page; pdfinfo agrees on N', () => {
    const n = Number(/Pages:\s+(\d+)/.exec(pdfInfo(PDF))![1])
    expect(pdfInfo(PDF)).toMatch(/Page size:\s+595\.\d+ x 842\.\d+ pts \(A4\)/)
    // Seven sections, each from a new page; the positions and stress sections run over more than one.
    expect(n).toBeGreaterThanOrEqual(7)
    expect(pages).toHaveLength(n)
    expect(valuationTime).toBe('2020-05-14T05:44:06.537Z') // the chain's snapshot time (resources/demo/SOURCES.md)
    pages.forEach((text, i) => {
      expect(text).toContain('Riskdesk risk report · portfolio demo')
      expect(text).toContain(`valued at ${valuationTime}`)
      expect(text).toMatch(new RegExp(`page ${i + 1} of ${n}\\b`))
    })
  })

  it('the summary page shows the figures of positions, greeks, stress and margin --json, rounded as printed', async () => {
    const summary = pages.find((p) => p.includes('Headline'))!
    const flat = summary.replace(/\s+/g, ' ')
    const positions = await json('positions')
    expect(flat).toContain(`${fmt(positions.book.valueUsd, 2)} USD`)
    expect(flat).toContain(`${fmt(positions.book.derivativesValueUsd, 2)} USD`)
    const t = (await greeks()).totals[0]
    expect(t.underlying).toBe('BTC')
    for (const [x, d] of [[t.indexPrice, 2], [t.delta, 4], [t.derivativesDelta, 4], [t.deltaUsd, 0], [t.derivativesDeltaUsd, 0], [t.gamma, 6], [t.gammaUsdPer1Pct, 0], [t.vegaUsd, 0], [t.thetaUsd, 0]] as const)
      expect(flat).toContain(fmt(x, d))
    // Worst loss per set, and the worst of them in the headline.
    const sets = [['grid'], ['span16'], ['pm'], ['historical', '--liquidity', 'on']]
    const worsts: Array<{ name: string; pnlUsd: number }> = []
    for (const s of sets) {
      const r = await json('stress', '--set', ...s)
      expect(flat).toContain(r.worst.name)
      expect(flat).toContain(fmt(r.worst.pnlUsd, 0))
      worsts.push(r.worst)
    }
    const worst = worsts.reduce((a, b) => (b.pnlUsd < a.pnlUsd ? b : a))
    expect(flat).toMatch(new RegExp(`Worst stress loss ${fmt(worst.pnlUsd, 0)} USD scenario "${worst.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`))
    // Margin: every account's equity (decimal string + currency) and margin ratio in percent, 2 decimals.
    const margin = await json('margin')
    let nearest: { indexPrice: number; distancePercent: number; dailySigmas: number } | null = null
    for (const a of margin.accounts) {
      expect(flat).toContain(`${a.equity} ${a.marginCurrency}`)
      expect(flat).toContain(fmt(a.marginRatio * 100, 2))
      for (const l of a.liquidation)
        for (const p of [l.below, l.above]) if (p && (!nearest || Math.abs(p.distancePercent) < Math.abs(nearest.distancePercent))) nearest = p
    }
    expect(nearest).not.toBeNull()
    expect(flat).toContain(`Nearest liquidation ${fmt(nearest!.indexPrice, 2)} USD`)
    expect(flat).toContain(`${fmt(nearest!.distancePercent, 2)} %`)
    expect(flat).toContain(`${fmt(nearest!.dailySigmas, 2)} σ`)
  }, 240_000)

  it('the P&L surface page is not blank (pdftoppm + pngjs) and draws it in vector, no raster image (pdfimages); every page is written as PNG', () => {
    const k = pages.findIndex((p) => p.includes('P&L surface as lines')) + 1
    expect(k).toBeGreaterThan(0)
    execFileSync('pdftoppm', ['-r', '60', '-png', PDF, join(OUT, 'page')])
    const pngs = readdirSync(OUT).filter((f) => /^page-\d+\.png$/.test(f)).sort()
    expect(pngs).toHaveLength(pages.length)
    const file = pngs.find((f) => Number(/(\d+)/.exec(f)![1]) === k)!
    const png = PNG.sync.read(readFileSync(join(OUT, file)))
    // Strongly coloured pixels (the lines' blue-to-red scale) in the page's lower half, below the heatmap.
    let coloured = 0
    for (let y = Math.floor(png.height * 0.5); y < png.height; y++)
      for (let x = 0; x < png.width; x++) {
        const i = (y * png.width + x) * 4
        const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!]
        if (Math.max(r, g, b) - Math.min(r, g, b) > 80) coloured++
      }
    expect(coloured).toBeGreaterThan(300)
    // No WebGL canvas turned into a bitmap: the chart is SVG, printed as vector paths.
    const images = execFileSync('pdfimages', ['-list', '-f', String(k), '-l', String(k), PDF], { encoding: 'utf8' }).trim().split('\n').slice(2)
    expect(images).toHaveLength(0)
    // The axis ticks are text in the PDF (vector), not pixels.
    expect(pages[k - 1]).toMatch(/spot shock \(%\)/)
  })

  it('leaves the VaR section out without a price history, and says why in the methodology (never a placeholder)', async () => {
    const model = await json('report', '--sections', 'summary,var,methodology')
    expect(model.sections.map((s: { id: string }) => s.id)).toEqual(['summary', 'methodology'])
    const headline = model.sections[0].blocks.find((b: { id: string }) => b.id === 'summary-headline')
    expect(headline.items.some((f: { label: string }) => /VaR|ES,/.test(f.label))).toBe(false)
    const leftOut = model.sections[1].blocks.find((b: { id: string }) => b.id === 'method-left-out')
    // The reason is the VaR command's own error (varCli.test.ts asserts the same text).
    const r = await runRiskdesk(db, 'var')
    expect(r.code).toBe(1)
    // Its error is the last line of stderr (a line before it may say the CLI runs from the sources).
    expect(leftOut.items).toEqual([`Value at Risk and Expected Shortfall: left out, ${r.stderr.trim().split('\n').at(-1)!.replace(/^riskdesk: /, '')}`])
  }, 120_000)

  it('prints US Letter, and only the sections asked for', async () => {
    const letter = (await printSummaryLetterIntoFolder()).file
    expect(pdfInfo(letter)).toMatch(/Page size:\s+612 x 792 pts \(letter\)/)
    const text = pdfText(letter).join('\n')
    expect(text).toContain('Headline')
    expect(text).not.toContain('Methodology')
  }, 120_000)

  it('does not overwrite an existing file without --force, and writes into a folder under a safe name', async () => {
    const before = statSync(PDF).mtimeMs
    const r = await runRiskdesk(db, 'report', '--out', PDF, '--sections', 'summary')
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/exists: not overwritten \(add --force/)
    expect(statSync(PDF).mtimeMs).toBe(before)
    // Into a folder: the file is named after the portfolio and the valuation date.
    const w = await printSummaryLetterIntoFolder()
    expect(w.file).toBe(join(OUT, 'letter', 'riskdesk-report-demo-2020-05-14.pdf'))
    expect(statSync(w.file).size).toBeGreaterThan(0)
  }, 120_000)
})

describe('report model, CSV and buckets', () => {
  it('the same database gives the same model twice (content hash), with the runs it stored and the inputs’ sha256', async () => {
    const a = await json('report')
    const b = await json('report')
    expect(b.sections).toEqual(a.sections)
    expect(b.provenance.contentSha256).toBe(a.provenance.contentSha256)
    expect(b.provenance.runs.map((r: { set: string }) => r.set).sort()).toEqual(['grid', 'historical', 'pm', 'span16'])
    expect(b.provenance.runs[0].id).toBeGreaterThan(a.provenance.runs.at(-1).id)
    // The three demo files, with the hashes the import history holds.
    const history = await json('imports')
    const hashes = Object.fromEntries(history.map((h: { fileName: string; sha256: string }) => [h.fileName, h.sha256]))
    expect(a.provenance.inputs.map((i: { file: string }) => i.file).sort()).toEqual(['demo-balances.csv', 'demo-portfolio.csv', 'deribit_btc_option_chain_2020-05-14.csv'])
    for (const i of a.provenance.inputs) expect(i.sha256).toBe(hashes[i.file])
  }, 120_000)

  it('stress --csv equals stress --json cell for cell (spot shock rows, vol shock columns)', async () => {
    const args = ['stress', '--spot', '-20:20:10', '--vol=-10:20:10']
    const doc = await json(...args)
    const r = await runRiskdesk(db, ...args, '--csv')
    expect(r.code, r.stderr).toBe(0)
    const [head, ...rows] = parse(r.stdout) as string[][]
    expect(head![0]).toBe('spot shock (relative)')
    expect(head!.slice(1).map((h) => Number(/vol ([+-]?[\d.]+) pts/.exec(h)![1]))).toEqual(doc.volShocks)
    expect(rows).toHaveLength(doc.spotShocks.length)
    rows.forEach((row, i) => {
      expect(Number(row[0])).toBe(doc.spotShocks[i])
      row.slice(1).forEach((cell, j) => expect(Number(cell)).toBe(doc.pnlUsd[i][j]))
    })
  }, 120_000)

  it('greeks --by expiry and --by tenor buckets add up to greeks --json totals', async () => {
    const totals = (await greeks()).totals[0]
    const byKind: Record<string, any> = {}
    for (const by of ['expiry', 'tenor', 'strike']) {
      const b = (byKind[by] = (await json('greeks', '--by', by)).buckets) as Array<{ delta: number; vegaUsd: number; thetaUsd: number; gamma: number }>
      expect(b.reduce((s, x) => s + x.delta, 0)).toBeCloseTo(totals.delta, 9)
      expect(b.reduce((s, x) => s + x.gamma, 0)).toBeCloseTo(totals.gamma, 12)
      expect(b.reduce((s, x) => s + x.vegaUsd, 0)).toBeCloseTo(totals.vegaUsd, 9)
      expect(b.reduce((s, x) => s + x.thetaUsd, 0)).toBeCloseTo(totals.thetaUsd, 9)
    }
    // By hand from resources/demo/demo-portfolio.csv: valued 2020-05-14, the two 15MAY20 options (1 day) are the
    // only lines under 7 days; the three 22MAY20 and two 29MAY20 options are 7–30 days; 26JUN20 (43 days) 30–90;
    // the SEP and DEC options and the SEP future over 90; the perpetual and the two balances have no expiry.
    const tenor = byKind.tenor
    expect(tenor.map((b: { bucket: string; lines: number }) => `${b.bucket}:${b.lines}`)).toEqual(['<7d:2', '7–30d:5', '30–90d:3', '>90d:5', 'no expiry:3'])
  }, 120_000)
})
