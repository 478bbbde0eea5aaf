/**
 * Draws the report model's blocks (shared/reportApi.ts): figures as a definition list, tables with their header
 * repeated on every printed page (a real <thead>), the stress grid as a coloured heatmap table, charts as images.
 * Numbers are formatted here, at the edge, with shared/format.ts and the decimals the model gives.
 */
import type { ReportBlock, ReportCell, ReportColumn, ReportFigure } from '../../../../shared/reportApi'
import { fmt, pct, volPts } from '../../../../shared/format'
import { pnlColor } from '../../components/pnlColor'
import { ReportChart } from './ReportChart'

/** A cell as printed: numbers with their decimals (percent columns ×100), texts as given, empty as —. */
export function cellText(value: ReportCell, digits: number | null, percent?: boolean): string {
  if (value === null) return '—'
  if (typeof value === 'string') return value
  return fmt(percent ? value * 100 : value, digits ?? 0)
}

const header = (c: ReportColumn) => (c.unit ? `${c.label} (${c.unit})` : c.label)

function Figures({ items }: { items: ReportFigure[] }) {
  return (
    <dl className="report-figures">
      {items.map((f) => (
        <div key={f.label} className="report-figure">
          <dt>{f.label}</dt>
          <dd>
            <span className="value">{cellText(f.value, f.digits, f.percent)}</span>
            {f.value !== null && f.unit ? <span className="unit"> {f.unit}</span> : null}
            {f.note ? <span className="figure-note">{f.note}</span> : null}
          </dd>
        </div>
      ))}
    </dl>
  )
}

export function ReportBlockView({ block, onChartDone }: { block: ReportBlock; onChartDone: (error?: string) => void }) {
  switch (block.kind) {
    case 'figures':
      return (
        <div className="report-block" data-block={block.id}>
          <h3>{block.title}</h3>
          <Figures items={block.items} />
        </div>
      )
    case 'table':
      return (
        <div className="report-block" data-block={block.id}>
          <h3>{block.title}</h3>
          <table className="report-table">
            <thead>
              <tr>
                {block.columns.map((c) => (
                  <th key={c.key} className={c.digits === null ? 'text' : 'num'}>
                    {header(c)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((r, i) => (
                <tr key={i} className={block.totalRows.includes(i) ? 'total' : undefined}>
                  {block.columns.map((c) => (
                    <td key={c.key} className={c.digits === null ? 'text' : 'num'}>
                      {cellText(r[c.key] ?? null, c.digits, c.percent)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {block.note ? <p className="report-note">{block.note}</p> : null}
        </div>
      )
    case 'heatmap': {
      const maxAbs = Math.max(...block.values.flat().map(Math.abs))
      return (
        <div className="report-block" data-block={block.id}>
          <h3>{block.title}</h3>
          <table className="report-table heatmap">
            <thead>
              <tr>
                <th className="text">spot \ vol</th>
                {block.volShocks.map((v) => (
                  <th key={v} className="num">
                    {volPts(v)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.values.map((row, i) => (
                <tr key={i}>
                  <th className="text">{pct(block.spotShocks[i]!)}</th>
                  {row.map((x, j) => (
                    <td key={j} className="num" style={{ backgroundColor: pnlColor(x, maxAbs) }}>
                      {fmt(x, block.digits)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="report-note">P&amp;L in {block.unit}; red losses, green gains, white zero.</p>
        </div>
      )
    }
    case 'chart':
      return (
        <div className="report-block chart-block" data-block={block.id}>
          <h3>{block.title}</h3>
          <ReportChart block={block} onDone={onChartDone} />
        </div>
      )
    case 'notes':
      return (
        <div className="report-block" data-block={block.id}>
          <h3>{block.title}</h3>
          <ul className="report-notes">
            {block.items.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </div>
      )
  }
}
