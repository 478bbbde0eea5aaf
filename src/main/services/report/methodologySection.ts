/**
 * Methodology appendix: the models, the conventions, the dated parameter tables in force with their sources,
 * and the assumptions and approximations the figures of this report rest on.
 */
import type { ReportBlock, ReportSection } from '../../../shared/api'
import { REPORT_SECTION_TITLES } from '../../../shared/reportApi'
import { marketLine, notes, num, table, text } from './blocks'
import type { ReportInputs } from './inputs'

const MODELS = [
  'Options: Black-76 on the expiry’s forward (Deribit’s underlying_price), r = 0; inverse (coin-settled) options priced in USD and divided by the forward for the coin premium (Deribit “Options” contract specification).',
  'Futures and perpetuals: linear P&L = quantity × (mark − entry); inverse P&L in coin = USD face × (1/entry − 1/mark), valued in USD at the index.',
  'Stress: full revaluation of every line in every scenario on worker threads (the scalar pricer’s SoA twin); the Taylor column is the delta-gamma-vega-theta estimate shown beside it.',
  'Standard sets: SPAN-16 (price 0, ±1/3, ±2/3, ±1 of the scan range with vol up and down; two extreme moves at 35 % weight), the Deribit portfolio-margin style matrix, historical crypto episodes.',
  'Margin: each venue’s documented rule (standard or portfolio margin), dated tables; liquidation prices solved where the margin ratio reaches 100 %; cascade with square-root market impact.',
  'VaR and ES: historical simulation of the whole book over the daily closes of the window (full revaluation of every line per day’s joint spot and vol-factor move), 99 % 1-day; VaR = −(the ⌈N(1 − α)⌉-th worst P&L), ES = mean of the worst N(1 − α) outcomes (Acerbi & Tasche 2002); Euler contributions; backtest of the daily forecasts with Kupiec POF, Christoffersen independence and the Basel traffic light (docs/var.md).',
]
const CONVENTIONS = [
  'Delta: USD delta in coin, ∂(USD value)/∂(index). The venue’s coin delta (premium-adjusted for inverse options: delta − mark in coin) is given beside it in the positions data.',
  'Gamma in coin per USD; vega in USD per vol point (1 % implied vol); theta in USD per calendar day; ACT/365 year fraction.',
  'Quantities: coin for options, linear contracts and spot; USD face for inverse futures and perpetuals. Prices in USD, inverse option prices in coin.',
  'Whole book = derivatives + balances (collateral and spot holdings as spot lines of 1 coin of delta per coin); USD is cash and carries no risk.',
  'Money crosses every boundary as decimal strings (margin amounts: coins 8 decimals, USD 2); report figures are rounded at the edge with their unit shown.',
]

export async function methodologySection(inputs: ReportInputs): Promise<ReportSection> {
  const { report } = inputs.book()
  const settings = inputs.stressSettings()
  const margin = inputs.margin()
  const tables = new Map<string, (typeof margin.accounts)[number]['tables'][number]>()
  for (const a of margin.accounts) for (const t of a.tables) tables.set(`${t.id}@${t.asOf}`, t)
  const blocks: ReportBlock[] = [
    notes('method-models', 'Models', MODELS),
    notes('method-conventions', 'Conventions', CONVENTIONS),
    table(
      'method-margin-tables',
      'Venue margin tables used (dated)',
      [text('id', 'Table'), text('asOf', 'Entry as of'), text('dateBasis', 'Date basis'), text('sources', 'Sources'), text('note', 'Note')],
      [...tables.values()].map((t) => ({ id: t.id, asOf: t.asOf, dateBasis: t.dateBasis, sources: t.sources.join(' · '), note: t.beforeFirstEntry ? `${t.note ?? ''} (as-of precedes the table: earliest entry used)`.trim() : t.note })),
    ),
    table(
      'method-liquidity',
      `Liquidity table (stress settings, as of ${settings.liquidity.asOf}; impact Y = ${settings.liquidity.impactY})`,
      [
        text('underlying', 'Underlying'),
        num('halfSpread', 'Half spread', 'relative', 5),
        num('optionHalfSpreadVolPoints', 'Option half spread', 'vol pts', 2),
        num('futuresVolumeUsd', 'Futures daily volume', 'USD', 0),
        num('optionsVolumeUsd', 'Options daily volume', 'USD', 0),
        num('dailyVol', 'Daily σ', 'decimal', 4),
      ],
      Object.entries(settings.liquidity.rows).map(([underlying, r]) => ({ underlying, ...r })),
    ),
    table(
      'method-betas',
      'Beta table (spot moves of other coins per move of the driver)',
      [text('driver', 'Driver'), text('betas', 'Betas')],
      Object.entries(settings.betas).map(([driver, b]) => ({ driver, betas: Object.entries(b).map(([c, x]) => `${c} ${x}`).join(', ') })),
    ),
  ]
  const approximations = [...new Set(margin.accounts.flatMap((a) => a.approximations))]
  const assumptions = [...report.market.notes, ...new Set(margin.accounts.flatMap((a) => a.assumptions))]
  // A section left out for want of data says so here, with the reason.
  const v = await inputs.var()
  const leftOut = v instanceof Error ? [`Value at Risk and Expected Shortfall: left out, ${v.message}`] : []
  if (leftOut.length > 0) blocks.push(notes('method-left-out', 'Sections left out', leftOut))
  if (approximations.length > 0) blocks.push(notes('method-approximations', 'Approximations of the margin rules', approximations))
  if (assumptions.length > 0) blocks.push(notes('method-assumptions', 'Stated assumptions', assumptions))
  return { id: 'methodology', title: REPORT_SECTION_TITLES.methodology, asOf: report.valuationTime, market: marketLine(report.market), blocks }
}
