/**
 * The Import view: drop or pick files, see for each the detected format, encoding and delimiter, a
 * preview of what it gives (positions with canonical instruments, fills, balances), its errors and skipped
 * rows grouped by message, map the columns of an unknown CSV, then confirm. Everything goes through the API
 * (files as base64 bytes), so it works the same in the browser (`riskdesk serve`) and in the desktop app.
 */
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react'
import type { ColumnMappingInput, ImportReport, ImportRequest } from '../../../../shared/api'
import { useApiQuery, useInvalidate } from '../../data/useApi'
import { riskdesk } from '../../platform/api'
import type { ViewProps } from '../../views'
import { fileToBase64 } from './fileBytes'
import { ImportReportCard } from './ImportReportCard'
import { MappingDialog } from './MappingDialog'
import './importView.css'

interface Entry {
  id: number
  fileName: string
  contentBase64: string
  report: ImportReport | null
  mapping: ColumnMappingInput | null
  mappingName: string | null
  busy: boolean
}

interface Settings {
  portfolio: string
  account: string
  format: string
  utcOffset: string
  underlying: string
  venue: string
  currency: string
  /** ISO instant with its zone, for a snapshot that carries no time (Hyperliquid 2023 clearinghouseState). */
  snapshotTime: string
  /** '' (the file must prove it), 'day-first' or 'month-first' (Hyperliquid UI CSV dates). */
  dateOrder: string
  mappingName: string
}

/**
 * The view keeps its files, previews and settings for the page's life: the shell keeps it mounted behind
 * other tabs, and an import no longer re-mounts anything (it invalidates the book's answers instead).
 */
export function ImportView({ portfolio, selectPortfolio }: ViewProps) {
  const [entries, setEntries] = useState<Entry[]>([])
  const [settings, setSettings] = useState<Settings>(() => ({
    portfolio: portfolio ?? 'default',
    account: '',
    format: '',
    utcOffset: '',
    underlying: '',
    venue: '',
    currency: '',
    snapshotTime: '',
    dateOrder: '',
    mappingName: '',
  }))
  const formats = useApiQuery('listFormats', {})
  const mappings = useApiQuery('listMappings', {}).data?.map((x) => x.name) ?? []
  const history = useApiQuery('listImports', { limit: 20 }).data ?? []
  const invalidate = useInvalidate()
  const [over, setOver] = useState(false)
  const [mappingFor, setMappingFor] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const entriesRef = useRef(entries)
  entriesRef.current = entries
  const nextId = useRef(1)
  // The latest preview asked for each file: an earlier preview answering late is dropped.
  const previewOf = useRef(new Map<number, number>())
  const previews = useRef(0)

  const apiSettings = useCallback(
    (e: Pick<Entry, 'mapping' | 'mappingName'>): NonNullable<ImportRequest['settings']> => {
      const s: Record<string, string | undefined> = {}
      for (const [k, v] of Object.entries(settings)) if (v !== '') s[k] = v
      if (e.mapping) return { ...s, format: undefined, mappingName: e.mappingName ?? undefined, mapping: e.mapping }
      return s
    },
    [settings],
  )

  const update = (id: number, patch: Partial<Entry>) => setEntries((list) => list.map((e) => (e.id === id ? { ...e, ...patch } : e)))

  const runPreview = useCallback(
    (e: Entry) => {
      const ask = ++previews.current
      previewOf.current.set(e.id, ask)
      const latest = () => previewOf.current.get(e.id) === ask
      update(e.id, { busy: true })
      riskdesk
        .previewImport({ fileName: e.fileName, contentBase64: e.contentBase64, settings: apiSettings(e) })
        .then((report) => latest() && update(e.id, { report, busy: false }))
        .catch((err: Error) => {
          if (!latest()) return
          update(e.id, { busy: false })
          setError(err.message)
        })
    },
    [apiSettings],
  )

  const addFiles = async (files: FileList | File[]) => {
    setError(null)
    for (const file of Array.from(files)) {
      const entry: Entry = { id: nextId.current++, fileName: file.name, contentBase64: await fileToBase64(file), report: null, mapping: null, mappingName: null, busy: false }
      setEntries((list) => [...list, entry])
      runPreview(entry)
    }
  }

  // Settings changed: preview every pending file again (not on mount: there is nothing to preview yet).
  const mounted = useRef(false)
  useEffect(() => {
    if (!mounted.current) {
      mounted.current = true
      return
    }
    for (const e of entriesRef.current) if (e.report && e.report.status !== 'imported' && e.report.status !== 'duplicate') runPreview(e)
  }, [settings, runPreview])

  const confirm = (e: Entry) => {
    previewOf.current.delete(e.id) // a preview still on its way must not replace the import's report
    update(e.id, { busy: true })
    riskdesk
      .importUpload({ fileName: e.fileName, contentBase64: e.contentBase64, settings: apiSettings(e) })
      .then((report) => {
        update(e.id, { report, busy: false })
        // The book changed (or the history did): every answer read from it is stale now.
        void invalidate.afterImport()
        // The header's picker follows the import: its portfolio is the one to look at next.
        if (report.status === 'imported' && report.portfolio) selectPortfolio(report.portfolio)
      })
      .catch((err: Error) => {
        update(e.id, { busy: false })
        setError(err.message)
      })
  }

  const onDrop = (ev: DragEvent) => {
    ev.preventDefault()
    setOver(false)
    if (ev.dataTransfer.files.length > 0) void addFiles(ev.dataTransfer.files)
  }

  const set = (k: keyof Settings) => (ev: { target: { value: string } }) => setSettings((s) => ({ ...s, [k]: ev.target.value }))
  const mappingEntry = entries.find((e) => e.id === mappingFor) ?? null

  return (
    <div>
      <h2>Import files</h2>
      <div
        className={`drop-zone${over ? ' over' : ''}`}
        onDragOver={(ev) => {
          ev.preventDefault()
          setOver(true)
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="drop-zone"
      >
        Drop exchange exports here (positions, trade logs, balances, price history, option chains), or{' '}
        <label>
          <u>pick files</u>
          <input type="file" multiple hidden data-testid="file-input" onChange={(ev) => ev.target.files && void addFiles(ev.target.files)} />
        </label>
        . Formats are detected from the content; each file is all-or-nothing.
      </div>
      <div className="import-settings">
        <label>
          portfolio <input value={settings.portfolio} onChange={set('portfolio')} data-testid="setting-portfolio" />
        </label>
        <label>
          account (files naming none) <input value={settings.account} placeholder="main" onChange={set('account')} />
        </label>
        <label>
          format
          <select value={settings.format} onChange={set('format')}>
            <option value="">detect</option>
            {(formats.data ?? []).map((f) => (
              <option key={f.id} value={f.id} title={f.description}>
                {f.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          UTC offset of zone-less times <input value={settings.utcOffset} placeholder="e.g. +08:00" onChange={set('utcOffset')} data-testid="setting-utc-offset" />
        </label>
        <label>
          underlying (price files) <input value={settings.underlying} placeholder="e.g. BTC" onChange={set('underlying')} />
        </label>
        <label>
          venue (ccxt dumps) <input value={settings.venue} placeholder="e.g. okx" onChange={set('venue')} />
        </label>
        <label>
          snapshot time (files without one){' '}
          <input value={settings.snapshotTime} placeholder="e.g. 2023-03-27T12:00:00Z" onChange={set('snapshotTime')} data-testid="setting-snapshot-time" />
        </label>
        <label>
          day/month order of dates
          <select value={settings.dateOrder} onChange={set('dateOrder')} data-testid="setting-date-order">
            <option value="">as the file proves</option>
            <option value="day-first">day first (25/09/2025)</option>
            <option value="month-first">month first (9/25/2025)</option>
          </select>
        </label>
        <label>
          saved mapping
          <select value={settings.mappingName} onChange={set('mappingName')}>
            <option value="">none</option>
            {mappings.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
      </div>
      {(error ?? formats.error?.message) && <p className="error">{error ?? formats.error?.message}</p>}
      {entries.map((e) =>
        e.report ? (
          <ImportReportCard
            key={e.id}
            report={e.report}
            busy={e.busy}
            mappingName={e.mappingName ?? (e.mapping ? 'inline' : settings.mappingName || null)}
            onImport={() => confirm(e)}
            onMap={() => setMappingFor(e.id)}
            onRemove={() => setEntries((list) => list.filter((x) => x.id !== e.id))}
          />
        ) : (
          <p key={e.id} className="busy">
            reading {e.fileName}…
          </p>
        ),
      )}
      {mappingEntry && (
        <MappingDialog
          fileName={mappingEntry.fileName}
          contentBase64={mappingEntry.contentBase64}
          header={mappingEntry.report?.header ?? []}
          headerLine={mappingEntry.report?.headerLine ?? null}
          delimiter={mappingEntry.report?.delimiter ?? null}
          rawLines={mappingEntry.report?.rawLines ?? []}
          initial={mappingEntry.mapping}
          settings={apiSettings({ mapping: null, mappingName: null })}
          onClose={() => setMappingFor(null)}
          onUse={(mapping, name) => {
            const next = { ...mappingEntry, mapping, mappingName: name }
            update(mappingEntry.id, { mapping, mappingName: name })
            setMappingFor(null)
            runPreview(next)
          }}
        />
      )}
      <h2>Import history</h2>
      <table className="file-card" data-testid="import-history">
        <thead>
          <tr>
            <th>#</th>
            <th>when (UTC)</th>
            <th>who</th>
            <th>file</th>
            <th>format</th>
            <th>portfolio</th>
            <th>rows</th>
            <th>stored</th>
            <th>skipped</th>
            <th>already imported</th>
            <th>data as of</th>
            <th>removed</th>
          </tr>
        </thead>
        <tbody>
          {history.map((h) => (
            <tr key={h.id}>
              <td>{h.id}</td>
              <td>{h.importedAt.replace('T', ' ').slice(0, 19)}</td>
              <td>{h.importedBy}</td>
              <td>{h.fileName}</td>
              <td>{h.format}</td>
              <td>{h.portfolio ?? '—'}</td>
              <td className="num">{h.rowsRead}</td>
              <td className="num">{h.rowsImported}</td>
              <td className="num">{h.rowsSkipped}</td>
              <td className="num">{h.duplicateRows}</td>
              <td>{h.asOf?.slice(0, 19) ?? '—'}</td>
              <td data-testid="import-removed">
                {h.removals.map((r) => (
                  <div key={`${r.action}-${r.removedAt}`}>
                    {r.action === 'positions' ? `${r.rows.positions} ${r.rows.positions === 1 ? 'position' : 'positions'} removed` : 'removed'} at {r.removedAt.replace('T', ' ').slice(0, 19)}
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
