/**
 * The column-mapping dialog: pick which source column (or constant) fills each field of a generic schema,
 * with unit, sign and time options, and see the live preview of the file read through the mapping (every
 * change re-runs the dry-run import). Mappings can be saved by name and reused.
 */
import Papa from 'papaparse'
import { useEffect, useMemo, useState } from 'react'
import { MAPPING_FIELDS, type ColumnMappingInput, type ImportReport, type ImportRequest, type MappingTarget } from '../../../../shared/api'
import { plural } from '../../../../shared/format'
import { useInvalidate } from '../../data/useApi'
import { riskdesk } from '../../platform/api'

interface Props {
  fileName: string
  contentBase64: string
  /** The header the preview found or guessed, its 1-based line and delimiter (comma | semicolon | tab). */
  header: string[]
  headerLine: number | null
  delimiter: string | null
  rawLines: string[]
  initial: ColumnMappingInput | null
  settings: NonNullable<ImportRequest['settings']>
  onUse: (mapping: ColumnMappingInput, name: string | null) => void
  onClose: () => void
}

const DELIMITER_CHARS: Record<string, ',' | ';' | '\t'> = { comma: ',', semicolon: ';', tab: '\t' }

/** The fields of one raw line (quotes honoured, Papa Parse). */
function fieldsOf(line: string | undefined, delimiter: ',' | ';' | '\t'): string[] {
  if (!line) return []
  const parsed = Papa.parse<string[]>(line, { delimiter, header: false })
  return (parsed.data[0] ?? []).map((f) => f.replace(/^\uFEFF/, '').trim())
}

type Source = { kind: 'column'; value: string } | { kind: 'constant'; value: string } | { kind: 'none' }

const GUESSES: Record<string, RegExp> = {
  venue: /^(venue|exchange)$/i,
  account: /^(account|acct|sub.?account)$/i,
  instrument: /^(instrument|symbol|contract|market|pair)$/i,
  quantity: /^(quantity|qty|size|amount|position)$/i,
  entry_price: /^(entry.?price|avg.?(price|px)|average.?price|price)$/i,
  entry_time: /^(entry.?time|time|date)$/i,
  currency: /^(currency|coin|asset|ccy)$/i,
  amount: /^(amount|balance|total)$/i,
  time: /^(time|date|timestamp|date.?time)/i,
  side: /^(side|direction|type)$/i,
  price: /^(price|fill.?price|filled.?price)$/i,
  fee: /^(fee|commission)$/i,
  fee_currency: /^(fee.?currency|fee.?coin|commission.?asset)$/i,
  trade_id: /^(trade.?id|id|exec.?id)$/i,
}

function initialSources(target: MappingTarget, header: string[], initial: ColumnMappingInput | null): Record<string, Source> {
  const fields = [...MAPPING_FIELDS[target].required, ...MAPPING_FIELDS[target].optional]
  return Object.fromEntries(
    fields.map((f) => {
      if (initial?.columns[f]) return [f, { kind: 'column', value: initial.columns[f]! }]
      if (initial?.constants?.[f] !== undefined) return [f, { kind: 'constant', value: initial.constants[f]! }]
      const guess = header.find((h) => GUESSES[f]?.test(h))
      return [f, guess ? { kind: 'column', value: guess } : { kind: 'none' }]
    }),
  )
}

export function MappingDialog({ fileName, contentBase64, header: foundHeader, headerLine: foundLine, delimiter: foundDelimiter, rawLines, initial, settings, onUse, onClose }: Props) {
  const invalidate = useInvalidate()
  const [headerLine, setHeaderLine] = useState(initial?.headerLine ?? foundLine ?? 1)
  const [delimiter, setDelimiter] = useState<',' | ';' | '\t'>(initial?.delimiter ?? DELIMITER_CHARS[foundDelimiter ?? ''] ?? ',')
  // The column names offered: the chosen header line split by the chosen delimiter.
  const header = useMemo(() => {
    const fields = fieldsOf(rawLines[headerLine - 1], delimiter)
    return fields.length > 0 ? fields : foundHeader
  }, [rawLines, headerLine, delimiter, foundHeader])
  const [target, setTarget] = useState<MappingTarget>(initial?.target ?? 'positions')
  const [sources, setSources] = useState<Record<string, Source>>(() => initialSources(initial?.target ?? 'positions', header, initial))
  const [negate, setNegate] = useState(initial?.quantity?.negate ?? false)
  const [contracts, setContracts] = useState(initial?.quantity?.contracts ?? false)
  const [sideColumn, setSideColumn] = useState(initial?.quantity?.sideColumn ?? '')
  const [timeFormat, setTimeFormat] = useState(initial?.time?.format ?? 'iso')
  const [utcOffset, setUtcOffset] = useState(initial?.time?.utcOffset ?? '')
  const [name, setName] = useState('')
  const [preview, setPreview] = useState<ImportReport | null>(null)
  const [message, setMessage] = useState<string | null>(null)

  const fields = MAPPING_FIELDS[target]
  const mapping = useMemo<ColumnMappingInput>(() => {
    const columns: Record<string, string> = {}
    const constants: Record<string, string> = {}
    for (const [f, s] of Object.entries(sources)) {
      if (s.kind === 'column' && s.value) columns[f] = s.value
      if (s.kind === 'constant') constants[f] = s.value
    }
    return {
      target,
      delimiter,
      headerLine,
      columns,
      constants,
      quantity: { negate, contracts, ...(sideColumn ? { sideColumn } : {}) },
      time: { format: timeFormat, ...(utcOffset ? { utcOffset } : {}) },
    }
  }, [target, sources, delimiter, headerLine, negate, contracts, sideColumn, timeFormat, utcOffset])

  // Live preview: a dry-run import through the mapping, 300 ms after the last change.
  useEffect(() => {
    let live = true
    const t = setTimeout(() => {
      riskdesk
        .previewImport({ fileName, contentBase64, settings: { ...settings, format: undefined, mapping } })
        .then((r) => live && setPreview(r))
        .catch((e: Error) => live && setMessage(e.message))
    }, 300)
    return () => {
      live = false
      clearTimeout(t)
    }
  }, [fileName, contentBase64, mapping, settings])

  const changeTarget = (t: MappingTarget) => {
    setTarget(t)
    setSources(initialSources(t, header, null))
  }
  const setSource = (field: string, s: Source) => setSources((prev) => ({ ...prev, [field]: s }))

  return (
    <div className="mapping-dialog" role="dialog" aria-label="Column mapping" data-testid="mapping-dialog">
      <h2>
        Map the columns of {fileName} <span className="muted">onto Riskdesk's generic schema</span>
      </h2>
      <div className="raw-lines">{rawLines.slice(0, 6).join('\n')}</div>
      <div className="options">
        <label>
          Schema{' '}
          <select value={target} onChange={(e) => changeTarget(e.target.value as MappingTarget)} data-testid="mapping-target">
            <option value="positions">positions</option>
            <option value="balances">balances</option>
            <option value="trades">trades (fills)</option>
          </select>
        </label>
        <label>
          Header on line{' '}
          <input
            type="number"
            min={1}
            max={50}
            value={headerLine}
            onChange={(e) => {
              const line = Number(e.target.value) || 1
              setHeaderLine(line)
              setSources(initialSources(target, fieldsOf(rawLines[line - 1], delimiter), null))
            }}
            style={{ width: 50 }}
            data-testid="mapping-header-line"
          />
        </label>
        <label>
          Delimiter{' '}
          <select
            value={delimiter}
            onChange={(e) => {
              const d = e.target.value as ',' | ';' | '\t'
              setDelimiter(d)
              setSources(initialSources(target, fieldsOf(rawLines[headerLine - 1], d), null))
            }}
            data-testid="mapping-delimiter"
          >
            <option value=",">comma</option>
            <option value=";">semicolon</option>
            <option value={'\t'}>tab</option>
          </select>
        </label>
      </div>
      <div className="fields">
        <strong>field</strong>
        <strong>source</strong>
        <strong>constant value</strong>
        {[...fields.required, ...fields.optional].map((f) => {
          const s = sources[f] ?? { kind: 'none' }
          return (
            <FieldRow key={f} field={f} required={fields.required.includes(f)} header={header} source={s} onChange={(v) => setSource(f, v)} />
          )
        })}
      </div>
      <div className="options">
        {target !== 'balances' && (
          <label>
            <input type="checkbox" checked={contracts} onChange={(e) => setContracts(e.target.checked)} /> quantities are contracts (× contract size)
          </label>
        )}
        {target !== 'trades' && (
          <label>
            <input type="checkbox" checked={negate} onChange={(e) => setNegate(e.target.checked)} /> flip signs
          </label>
        )}
        {target === 'positions' && (
          <label>
            sign from column{' '}
            <select value={sideColumn} onChange={(e) => setSideColumn(e.target.value)} data-testid="mapping-side-column">
              <option value="">(quantity is signed)</option>
              {header.map((h) => (
                <option key={h}>{h}</option>
              ))}
            </select>
          </label>
        )}
        <label>
          times{' '}
          <select value={['iso', 'ms', 's'].includes(timeFormat) ? timeFormat : 'pattern'} onChange={(e) => setTimeFormat(e.target.value === 'pattern' ? 'yyyy-MM-dd HH:mm:ss' : e.target.value)}>
            <option value="iso">ISO-8601 with zone</option>
            <option value="ms">Unix ms</option>
            <option value="s">Unix seconds</option>
            <option value="pattern">pattern…</option>
          </select>
        </label>
        {!['iso', 'ms', 's'].includes(timeFormat) && (
          <>
            <label>
              pattern <input value={timeFormat} onChange={(e) => setTimeFormat(e.target.value)} />
            </label>
            <label>
              UTC offset <input value={utcOffset} placeholder="+00:00" onChange={(e) => setUtcOffset(e.target.value)} style={{ width: 70 }} />
            </label>
          </>
        )}
      </div>
      <h3>
        Live preview{' '}
        {preview && (
          <span className={preview.ok ? 'status-ok' : 'status-failed'} data-testid="mapping-preview-status">
            {preview.ok ? `${plural(preview.rows, 'row')} → ${plural(preview.positions.length, 'position')}, ${plural(preview.fills, 'fill')}, ${plural(preview.balances.length, 'balance')}` : plural(preview.errorCount, 'error')}
          </span>
        )}
      </h3>
      {preview && !preview.ok && (
        <ul className="error">
          {preview.errorGroups.slice(0, 8).map((g, i) => (
            <li key={i}>
              {g.count} × {g.column ? `[${g.column}] ` : ''}
              {g.message} {g.lines.length > 0 ? `(line ${g.lines.slice(0, 5).join(', ')})` : ''} {g.values.length > 0 ? `found ${g.values.join(', ')}` : ''}
            </li>
          ))}
        </ul>
      )}
      {preview?.ok && preview.positions.length > 0 && (
        <table>
          <tbody>
            {preview.positions.slice(0, 10).map((p, i) => (
              <tr key={i}>
                <td>
                  {p.venue}/{p.account}
                </td>
                <td>{p.symbol}</td>
                <td className="num">{p.quantity}</td>
                <td className="num">{p.entryPrice}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {message && <p className="error">{message}</p>}
      <div className="options">
        <label>
          save as <input value={name} onChange={(e) => setName(e.target.value)} placeholder="mapping name" />
        </label>
        <button
          disabled={!name}
          onClick={() =>
            riskdesk
              .saveMapping({ name, mapping })
              .then(() => {
                setMessage(`saved "${name}"`)
                void invalidate.afterMapping()
              })
              .catch((e: Error) => setMessage(e.message))
          }
        >
          Save mapping
        </button>
        <button onClick={() => onUse(mapping, name || null)} disabled={!preview?.ok} data-testid="mapping-use">
          Use this mapping
        </button>
        <button onClick={onClose}>Cancel</button>
      </div>
    </div>
  )
}

function FieldRow({ field, required, header, source, onChange }: { field: string; required: boolean; header: string[]; source: Source; onChange: (s: Source) => void }) {
  const value = source.kind === 'column' ? `col:${source.value}` : source.kind === 'constant' ? 'constant' : ''
  return (
    <>
      <span>
        {field}
        {required ? ' *' : ''}
      </span>
      <select
        aria-label={`source of ${field}`}
        value={value}
        onChange={(e) => {
          const v = e.target.value
          onChange(v === '' ? { kind: 'none' } : v === 'constant' ? { kind: 'constant', value: '' } : { kind: 'column', value: v.slice(4) })
        }}
      >
        <option value="">(none)</option>
        <option value="constant">a constant…</option>
        {header.map((h) => (
          <option key={h} value={`col:${h}`}>
            column “{h}”
          </option>
        ))}
      </select>
      {source.kind === 'constant' ? (
        <input aria-label={`constant for ${field}`} value={source.value} onChange={(e) => onChange({ kind: 'constant', value: e.target.value })} />
      ) : (
        <span />
      )}
    </>
  )
}
