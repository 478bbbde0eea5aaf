/**
 * Column mappings: any CSV read as one of Riskdesk's generic schemas (positions, balances, trades), by a
 * mapping the user gives (JSON file or saved by name for the CLI, the mapping dialog in the Import view).
 * The mapping's shape and meaning: src/shared/importApi.ts `columnMapping`.
 *
 * Each row is rewritten into the target schema — mapped columns, constants, the quantity's sign (negated,
 * or from a side column), times converted with the mapping's stated format and UTC offset — and then goes
 * through the generic format's own validation, so a mapped file is checked exactly like a generic one.
 * Issues name the source column: `Qty (4) → quantity`.
 */
import { MAPPING_FIELDS, type ColumnMapping } from '../../../../shared/importApi'
import { columnLabel } from '../../core/csvTable'
import { dateTimeParser, parseUtcOffset, parseZonedInstant } from '../../core/dates'
import type { CsvFormat, CsvFormatContext, CsvRowHandler } from '../../core/formatTypes'
import { genericBalancesHandler } from './genericBalances'
import { genericPositionsHandler } from './genericPositions'
import { genericTradesHandler } from './genericTrades'
import { ImportFailedError } from '../../core/importIssue'

const TIME_FIELDS = new Set(['entry_time', 'as_of', 'time'])

/** Checks a mapping against its target's fields. Returns problems as messages (empty when fine). */
export function mappingProblems(m: ColumnMapping): string[] {
  const fields = MAPPING_FIELDS[m.target]
  const known = new Set([...fields.required, ...fields.optional])
  const problems: string[] = []
  for (const f of [...Object.keys(m.columns), ...Object.keys(m.constants)])
    if (!known.has(f)) problems.push(`"${f}" is not a field of the ${m.target} schema (fields: ${[...known].join(', ')})`)
  for (const f of fields.required) if (!(f in m.columns) && !(f in m.constants)) problems.push(`required field "${f}" has neither a column nor a constant`)
  for (const f of Object.keys(m.columns)) if (f in m.constants) problems.push(`field "${f}" has both a column and a constant`)
  const fmt = m.time.format
  if (!['iso', 'ms', 's'].includes(fmt) && (m.time.utcOffset === undefined || parseUtcOffset(m.time.utcOffset) === null))
    problems.push(`times in the pattern "${fmt}" need time.utcOffset (e.g. +00:00): a time without zone is never guessed`)
  return problems
}

/**
 * The format a mapping defines.
 * @param name the mapping's name (for the format id shown in history and messages)
 * @throws ImportFailedError when the mapping itself is inconsistent
 */
export function mappedFormat(mapping: ColumnMapping, name = 'inline', file = ''): CsvFormat {
  const problems = mappingProblems(mapping)
  if (problems.length > 0) throw new ImportFailedError(problems.map((message) => ({ file, line: null, column: null, message: `column mapping "${name}": ${message}` })))
  const sourceColumns = [...new Set([...Object.values(mapping.columns), ...(mapping.quantity.sideColumn ? [mapping.quantity.sideColumn] : [])])]
  return {
    type: 'csv',
    id: `mapped-${mapping.target}`,
    description: `${mapping.target} read through the column mapping "${name}"`,
    content: mapping.target === 'trades' ? 'trades' : mapping.target === 'balances' ? 'balances' : 'positions',
    venue: null,
    versions: [{ name, columns: sourceColumns }],
    otherColumns: 'ignore',
    delimiter: mapping.delimiter,
    preamble: mapping.headerLine > 1 ? { maxLines: mapping.headerLine - 1, pattern: /.*/, describe: `${mapping.headerLine - 1} line(s) before the header` } : undefined,
    streaming: mapping.target === 'trades',
    coversWholeAccount: mapping.target === 'positions',
    open: (ctx) => mappedHandler(ctx, mapping),
  }
}

function mappedHandler(ctx: CsvFormatContext, m: ColumnMapping): CsvRowHandler {
  const fields = MAPPING_FIELDS[m.target]
  const targetHeader = [...fields.required, ...fields.optional].filter((f) => f in m.columns || f in m.constants)
  const sourceIndex = targetHeader.map((f) => (f in m.columns ? ctx.col(m.columns[f]!) : -1))
  const constants = targetHeader.map((f) => m.constants[f])
  const labelOf = (target: string) =>
    target in m.columns ? `${columnLabel(ctx.header, m.columns[target]!)} → ${target}` : target in m.constants ? `${target} (constant "${m.constants[target]}")` : target
  const index = new Map(targetHeader.map((f, i) => [f, i]))
  const inner: CsvFormatContext = { ...ctx, header: targetHeader, col: (n) => index.get(n) ?? -1, label: labelOf }
  const offset = m.time.utcOffset === undefined ? 0 : (parseUtcOffset(m.time.utcOffset) ?? 0)
  const fmt = m.time.format
  const pattern = ['iso', 'ms', 's'].includes(fmt) ? null : dateTimeParser(fmt, offset, ctx.options.receivedAt)
  const toMs = (text: string): number | null => {
    if (fmt === 'ms') return /^\d{13}$/.test(text) ? Number(text) : null
    if (fmt === 's') return /^\d{10}$/.test(text) ? Number(text) * 1000 : null
    if (fmt === 'iso') return parseZonedInstant(text)
    return pattern!(text)
  }
  const handler =
    m.target === 'positions' ? genericPositionsHandler(inner, m.quantity.contracts) : m.target === 'balances' ? genericBalancesHandler(inner) : genericTradesHandler(inner, (s) => (/^\d{13}$/.test(s) ? Number(s) : null), m.quantity.contracts)
  const qtyField = m.target === 'balances' ? 'amount' : 'quantity'
  const qtyAt = index.get(qtyField)
  const sideAt = m.quantity.sideColumn ? ctx.col(m.quantity.sideColumn) : -1
  const sells = new Set(m.quantity.sellValues)
  return {
    row(f, line) {
      const out = targetHeader.map((_, i) => (sourceIndex[i]! >= 0 ? f[sourceIndex[i]!]! : (constants[i] ?? '')))
      for (const [i, target] of targetHeader.entries()) {
        if (!TIME_FIELDS.has(target) || out[i] === '') continue
        const ms = toMs(out[i]!)
        if (ms === null) {
          ctx.sink.issue({ file: ctx.file, line, column: labelOf(target), value: out[i], message: `expected a time as ${fmt === 'iso' ? 'ISO-8601 with a zone' : fmt === 'ms' ? 'Unix ms' : fmt === 's' ? 'Unix seconds' : `"${fmt}"`} (the mapping's time format)` })
          return
        }
        out[i] = String(ms)
      }
      if (qtyAt !== undefined && m.target !== 'trades') {
        let q = out[qtyAt]!
        const flip = (s: string) => (s.startsWith('-') ? s.slice(1) : s === '' || /^0*\.?0*$/.test(s) ? s : `-${s}`)
        if (m.quantity.negate) q = flip(q)
        if (sideAt >= 0 && sells.has(f[sideAt]!)) q = flip(q.replace(/^-/, ''))
        out[qtyAt] = q
      }
      handler.row(out, line)
    },
    end: () => handler.end(),
  }
}
