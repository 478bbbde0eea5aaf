/**
 * Portfolios: every portfolio with its positions (current book) and last import; rename inline, delete after a
 * confirmation; the imports of the portfolio chosen in the header, each removable (also confirmed), with what
 * was removed before shown as such (the history keeps it: shared/portfolioApi.ts). Each change goes through the
 * typed API and tells the data layer what it made stale; the header's picker follows a rename and a delete.
 */
import { useState } from 'react'
import type { ImportHistoryItem, PortfolioSummary } from '../../../../shared/api'
import { fmt } from '../../../../shared/format'
import { useApiQuery, useInvalidate } from '../../data/useApi'
import { riskdesk } from '../../platform/api'
import type { ViewProps } from '../../views'
import './portfolios.css'

const plural = (n: number, one: string, many = `${one}s`) => `${fmt(n)} ${n === 1 ? one : many}`
const time = (iso: string | null) => (iso === null ? '—' : `${iso.replace('T', ' ').slice(0, 16)} UTC`)

type Pending = { kind: 'delete'; name: string } | { kind: 'removeImport'; entry: ImportHistoryItem }

export function PortfoliosView({ portfolio, selectPortfolio }: ViewProps) {
  const portfolios = useApiQuery('listPortfolios', {})
  const imports = useApiQuery('listImports', portfolio ? { portfolio, limit: 1000 } : undefined)
  const invalidate = useInvalidate()
  const [editing, setEditing] = useState<{ from: string; to: string } | null>(null)
  const [pending, setPending] = useState<Pending | null>(null)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null)

  /** Runs one change; on success says what it did and refreshes what depends on the book. */
  const change = async (work: () => Promise<string>, goneName?: string, then?: () => void) => {
    setBusy(true)
    setMessage(null)
    try {
      const text = await work()
      await invalidate.afterPortfolioChange(goneName, then)
      setMessage({ text, error: false })
    } catch (e) {
      setMessage({ text: (e as Error).message, error: true })
    } finally {
      setBusy(false)
      setPending(null)
    }
  }

  const rename = (from: string, to: string) => {
    const name = to.trim()
    if (name === '' || name === from) return setEditing(null)
    void change(
      async () => {
        await riskdesk.renamePortfolio({ from, to: name })
        return `Renamed "${from}" to "${name}".`
      },
      from,
      () => {
        setEditing(null)
        if (portfolio === from) selectPortfolio(name)
      },
    )
  }

  const remove = (name: string) =>
    void change(
      async () => {
        const r = await riskdesk.deletePortfolio({ name })
        return `Deleted "${r.name}": ${plural(r.imports, 'import')}, ${plural(r.removed.positions, 'position')}, ${plural(r.removed.balances, 'balance')}. Market data and other portfolios are unchanged.`
      },
      name,
      () => {
        if (portfolio === name) selectPortfolio(undefined)
      },
    )

  const removeImport = (entry: ImportHistoryItem) =>
    void change(async () => {
      const r = await riskdesk.removeImport({ importId: entry.id })
      return `Removed import #${r.importId} (${r.fileName}) from "${r.portfolio}": ${plural(r.removed.positions, 'position')}, ${plural(r.removed.balances, 'balance')}; the book holds ${plural(r.positionsAfter, 'position')} (was ${fmt(r.positionsBefore)}).`
    })

  const list = portfolios.data ?? []
  return (
    <div className="portfolios-view">
      <h2>Portfolios</h2>
      {portfolios.error && <p className="error">{portfolios.error.message}</p>}
      {message && (
        <p className={message.error ? 'error' : 'done'} data-testid="portfolios-message" role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {list.length === 0 && portfolios.data && <p className="empty">No portfolio yet: import one on the Import tab, or run riskdesk import FILE.</p>}
      {list.length > 0 && (
        <table className="portfolio-table" data-testid="portfolio-table">
          <thead>
            <tr>
              <th>portfolio</th>
              <th className="num">positions</th>
              <th>last import</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((p: PortfolioSummary) => (
              <tr key={p.id} data-portfolio={p.name} className={p.name === portfolio ? 'chosen' : undefined}>
                <td>
                  {editing?.from === p.name ? (
                    <form
                      className="rename"
                      onSubmit={(e) => {
                        e.preventDefault()
                        rename(p.name, editing.to)
                      }}
                    >
                      <input
                        aria-label={`new name for ${p.name}`}
                        value={editing.to}
                        autoFocus
                        maxLength={100}
                        onChange={(e) => setEditing({ from: p.name, to: e.target.value })}
                        onKeyDown={(e) => e.key === 'Escape' && setEditing(null)}
                      />
                      <button type="submit" disabled={busy || editing.to.trim() === ''}>
                        Save
                      </button>
                      <button type="button" onClick={() => setEditing(null)}>
                        Cancel
                      </button>
                    </form>
                  ) : (
                    p.name
                  )}
                </td>
                <td className="num">{fmt(p.positions)}</td>
                <td>{time(p.lastImportAt)}</td>
                <td className="actions">
                  {pending?.kind === 'delete' && pending.name === p.name ? (
                    <span className="confirm" role="alertdialog" aria-label={`delete ${p.name}`}>
                      Delete "{p.name}" with its {plural(p.positions, 'position')}, imports and balances?{' '}
                      <button type="button" className="danger" disabled={busy} onClick={() => remove(p.name)}>
                        Delete
                      </button>
                      <button type="button" onClick={() => setPending(null)}>
                        Cancel
                      </button>
                    </span>
                  ) : (
                    <>
                      <button type="button" disabled={busy} onClick={() => setEditing({ from: p.name, to: p.name })}>
                        Rename
                      </button>
                      <button type="button" disabled={busy} onClick={() => setPending({ kind: 'delete', name: p.name })}>
                        Delete…
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {portfolio && (
        <>
          <h2>
            Imports of {portfolio} <span className="muted">newest first; removing one takes its positions and balances out of the book (the account's previous import, if any, is its book again)</span>
          </h2>
          {imports.error && <p className="error">{imports.error.message}</p>}
          <table className="portfolio-table" data-testid="portfolio-imports">
            <thead>
              <tr>
                <th>#</th>
                <th>imported</th>
                <th>file</th>
                <th>format</th>
                <th className="num">positions</th>
                <th className="num">balances</th>
                <th>status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(imports.data ?? []).map((e) => (
                <tr key={e.id} data-import={e.id} className={e.removedAt ? 'removed' : undefined}>
                  <td>{e.id}</td>
                  <td>{time(e.importedAt)}</td>
                  <td>{e.fileName}</td>
                  <td>{e.format}</td>
                  <td className="num">{fmt(e.counts.positions)}</td>
                  <td className="num">{fmt(e.counts.balances)}</td>
                  <td>
                    {e.removedAt ? `removed ${time(e.removedAt)}` : 'in the book'}
                    {e.removals
                      .filter((r) => r.action === 'positions')
                      .map((r) => (
                        <div key={r.removedAt} className="muted">
                          {plural(r.rows.positions, 'position')} removed {time(r.removedAt)}
                        </div>
                      ))}
                  </td>
                  <td className="actions">
                    {e.removedAt === null &&
                      (pending?.kind === 'removeImport' && pending.entry.id === e.id ? (
                        <span className="confirm" role="alertdialog" aria-label={`remove import ${e.id}`}>
                          Remove import #{e.id}?{' '}
                          <button type="button" className="danger" disabled={busy} onClick={() => removeImport(e)}>
                            Remove
                          </button>
                          <button type="button" onClick={() => setPending(null)}>
                            Cancel
                          </button>
                        </span>
                      ) : (
                        <button type="button" disabled={busy} onClick={() => setPending({ kind: 'removeImport', entry: e })}>
                          Remove…
                        </button>
                      ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  )
}
