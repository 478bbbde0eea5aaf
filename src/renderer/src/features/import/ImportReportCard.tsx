/** One file in the Import view: what was detected, a preview, errors and skipped rows grouped, and the actions. */
import type { ImportReport } from '../../../../shared/api'
import { plural } from '../../../../shared/format'

interface Props {
  report: ImportReport
  busy: boolean
  mappingName: string | null
  onImport: () => void
  onMap: () => void
  onRemove: () => void
}

export function ImportReportCard({ report: r, busy, mappingName, onImport, onMap, onRemove }: Props) {
  const done = r.status === 'imported' || r.status === 'duplicate'
  return (
    <article className="file-card" data-testid="import-file" data-status={r.status}>
      <header>
        <strong>{r.fileName}</strong>
        <span className={r.ok ? 'status-ok' : 'status-failed'} data-testid="import-status">
          {r.status === 'preview' ? 'ready to import' : r.status === 'failed' ? 'cannot be imported' : r.status === 'duplicate' ? `already imported (#${r.duplicateOf})` : `imported (#${r.importId})`}
        </span>
        <span className="muted" data-testid="import-format">
          {r.format ? `${r.format}${mappingName ? ` (mapping "${mappingName}")` : ''}` : 'format not recognised'}
          {r.encoding ? ` · ${r.encoding}` : ''}
          {r.delimiter ? ` · ${r.delimiter}-separated` : ''}
        </span>
      </header>
      {r.formatDescription && <p className="muted">{r.formatDescription}</p>}
      {r.ok && (
        <p data-testid="import-counts">
          {plural(r.rows, 'row')} read: {plural(r.positions.length, 'position')}{r.fills > 0 ? `, ${plural(r.fills, 'fill')}` : ''}
          {r.ledgerEntries > 0 ? `, ${r.ledgerEntries} ledger entries` : ''}
          {r.balances.length > 0 ? `, ${plural(r.balances.length, 'balance')}` : ''}
          {r.quotes > 0 ? `, ${plural(r.quotes, 'quote')}` : ''}
          {r.closes > 0 ? `, ${r.closes} closes` : ''}
          {r.asOf ? `; data as of ${r.asOf}` : ''}
          {r.duplicateRows > 0 ? `; ${r.duplicateRows} rows were already imported (#${r.duplicateOf}) and are not stored twice` : ''}
        </p>
      )}
      {r.errorGroups.length > 0 && (
        <div className="scroll">
          <h3 className="error">
            {r.errorCount} error{r.errorCount === 1 ? '' : 's'} (nothing is written until the file is clean)
          </h3>
          <table data-testid="import-errors">
            <thead>
              <tr>
                <th>count</th>
                <th>column</th>
                <th>problem and what was expected</th>
                <th>lines</th>
                <th>found</th>
              </tr>
            </thead>
            <tbody>
              {r.errorGroups.map((g, i) => (
                <tr key={i}>
                  <td className="num">{g.count}</td>
                  <td>{g.column ?? ''}</td>
                  <td style={{ whiteSpace: 'normal', maxWidth: 560 }}>{g.message}</td>
                  <td>{g.lines.slice(0, 10).join(', ')}{g.count > 10 ? ', …' : ''}</td>
                  <td>{g.values.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {r.skipped.length > 0 && (
        <>
          <h3>Skipped rows ({r.skippedCount})</h3>
          <ul data-testid="import-skipped">
            {r.skipped.map((g, i) => (
              <li key={i}>
                {g.count} × {g.reason} <span className="muted">(line {g.lines.slice(0, 8).join(', ')}{g.count > 8 ? ', …' : ''})</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {r.notes.length > 0 && (
        <ul className="muted" data-testid="import-notes">
          {r.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
      {r.positions.length > 0 && (
        <div className="scroll">
          <h3>Positions</h3>
          <table data-testid="import-positions">
            <thead>
              <tr>
                <th>venue / account</th>
                <th>instrument</th>
                <th>canonical</th>
                <th>kind</th>
                <th>quantity</th>
                <th>entry</th>
                <th>realized P&amp;L</th>
              </tr>
            </thead>
            <tbody>
              {r.positions.slice(0, 50).map((p, i) => (
                <tr key={i}>
                  <td>
                    {p.venue}/{p.account}
                  </td>
                  <td>{p.instrument}</td>
                  <td>{p.symbol}</td>
                  <td>
                    {p.kind}, {p.settlement}
                  </td>
                  <td className="num">
                    {p.quantity} {p.quantityUnit === 'usd' ? 'USD' : p.symbol.split('/')[0]}
                  </td>
                  <td className="num">
                    {p.entryPrice} {p.priceCurrency}
                  </td>
                  <td className="num">{p.realizedPnl === null ? '' : `${p.realizedPnl} ${p.pnlCurrency}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {r.balances.length > 0 && (
        <table>
          <tbody>
            {r.balances.map((b, i) => (
              <tr key={i}>
                <td>
                  {b.venue}/{b.account}
                </td>
                <td className="num">
                  {b.amount} {b.currency}
                </td>
                <td className="muted">{b.asOf ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {r.header && r.sample.length > 0 && (
        <details>
          <summary className="muted">first rows as read</summary>
          <div className="scroll">
            <table>
              <thead>
                <tr>
                  <th>line</th>
                  {r.header.map((h, i) => (
                    <th key={i}>{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {r.sample.map((s) => (
                  <tr key={s.line}>
                    <td className="num">{s.line}</td>
                    {s.fields.map((f, i) => (
                      <td key={i}>{f}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
      {!r.ok && r.rawLines.length > 0 && <div className="raw-lines">{r.rawLines.slice(0, 6).join('\n')}</div>}
      <div className="actions">
        {!done && (
          <button disabled={busy || !r.ok} onClick={onImport} data-testid="import-confirm">
            Import
          </button>
        )}
        {!done && (
          <button disabled={busy} onClick={onMap}>
            Map columns…
          </button>
        )}
        <button className="link" onClick={onRemove}>
          remove
        </button>
      </div>
    </article>
  )
}
