/** The cover: portfolio, accounts and venues, valuation instant, market snapshot, data sources, version, parameters. */
import type { ReportSection } from '../../../shared/api'
import type { ReportModel } from '../../../shared/reportApi'
import { figure, marketLine, num, table, text } from './blocks'
import type { ReportInputs } from './inputs'

export function coverSection(inputs: ReportInputs, provenance: Pick<ReportModel['provenance'], 'inputs' | 'riskdeskVersion' | 'gitCommit' | 'parameters'>): ReportSection {
  const { report } = inputs.book()
  const accounts = [...new Set(report.positions.map((p) => `${p.venue}/${p.account}`))].sort()
  const venues = [...new Set(report.positions.map((p) => p.venue))].sort()
  const m = report.market
  return {
    id: 'cover',
    title: `Risk report: portfolio ${report.portfolio}`,
    asOf: report.valuationTime,
    market: marketLine(m),
    blocks: [
      {
        kind: 'figures',
        id: 'cover-facts',
        title: 'Report',
        items: [
          figure('Portfolio', report.portfolio, null, null),
          figure('Valuation instant (UTC)', report.valuationTime, null, null, 'the latest instant of the market data used'),
          figure('Market data rule', `${m.rule} (up to ${m.cutoff})`, null, null, 'book: as of the book’s latest import; requested: as of --as-of; latest: the latest stored'),
          figure('Venues', venues.join(', '), null, null),
          figure('Accounts', accounts.join(', '), null, null),
          figure('Lines in the book', report.positions.length, null, 0, 'positions and balances'),
          figure('Riskdesk version', provenance.riskdeskVersion, null, null),
          figure('Git commit', provenance.gitCommit ?? 'not a checkout', null, null),
        ],
      },
      table(
        'cover-market',
        'Market snapshot',
        [text('what', 'Source'), text('detail', 'Detail'), num('price', 'Index', 'USD', 2), text('time', 'As of (UTC)')],
        [
          ...m.snapshots.map((s) => ({ what: `${s.venue} ${s.format}`, detail: `${s.file} (${s.quotesUsed} quotes used)`, price: null, time: s.asOf })),
          ...m.indices.map((i) => ({ what: `${i.underlying} index`, detail: i.source, price: i.price, time: i.time })),
        ],
        { note: m.notes.length > 0 ? m.notes.join(' · ') : null },
      ),
      table(
        'cover-inputs',
        'Data sources (import history)',
        [num('importId', 'Import', null, 0), text('file', 'File'), text('format', 'Format'), text('sha256', 'SHA-256'), text('importedAt', 'Imported at (UTC)'), text('dataAsOf', 'Data as of (UTC)')],
        provenance.inputs.map((i) => ({ ...i })),
      ),
      table(
        'cover-parameters',
        'Parameters',
        [text('name', 'Parameter'), text('value', 'Value')],
        // The stored runs' ids are in the provenance (printed under the cover): they change with every build,
        // the sections do not.
        Object.entries(provenance.parameters).map(([name, v]) => ({ name, value: JSON.stringify(v) })),
      ),
    ],
  }
}
