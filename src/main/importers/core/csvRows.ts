/**
 * Helpers every CSV format uses to read its fields with file, line and column in each issue.
 */
import { createHash } from 'node:crypto'
import { D } from '../../domain/trades/decimal'
import { readAmount, type AmountOptions, type FieldAt } from './fields'
import type { CsvFormatContext } from './formatTypes'
import type { ImportIssue } from './importIssue'

export interface FieldReader {
  /** Column index by name (must exist: formats read only their version's columns). */
  idx(name: string): number
  at(name: string, line: number): FieldAt
  issue(line: number, column: string | null, value: string | undefined, message: string): void
  /** A decimal (see fields.readAmount); undefined after an issue, null for an allowed empty field. */
  amount(fields: string[], name: string, line: number, o?: AmountOptions): { value: string; unit: string | null } | null | undefined
  /** A decimal as D; undefined after an issue, null for an allowed empty field. */
  dec(fields: string[], name: string, line: number, o?: AmountOptions): D | null | undefined
  /** True once any issue was reported through this reader. */
  readonly failed: boolean
}

/** A FieldReader over a CSV format's context: issues carry the file, line and `column (position)` label. */
export function fieldReader(ctx: CsvFormatContext): FieldReader {
  /** Per column read: its index and a place object whose line is set before each read (issues copy it). */
  const columns = new Map<string, { index: number; at: FieldAt }>()
  const column = (name: string) => {
    let c = columns.get(name)
    if (c === undefined) {
      const index = ctx.col(name)
      if (index < 0) throw new Error(`format bug: column ${name} read but not in the header`)
      columns.set(name, (c = { index, at: { file: ctx.file, line: 0, column: ctx.label(name) } }))
    }
    return c
  }
  let failed = false
  const issueSink = (i: ImportIssue) => {
    failed = true
    ctx.sink.issue(i)
  }
  const r: FieldReader = {
    idx(name) {
      return column(name).index
    },
    at(name, line) {
      return { ...column(name).at, line }
    },
    issue(line, column, value, message) {
      issueSink({ file: ctx.file, line, column: column === null ? null : r.at(column, line).column, value, message })
    },
    amount(fields, name, line, o) {
      const c = column(name)
      c.at.line = line
      return readAmount(fields[c.index]!, c.at, issueSink, o)
    },
    dec(fields, name, line, o) {
      const a = r.amount(fields, name, line, o)
      return a == null ? a : new D(a.value)
    },
    get failed() {
      return failed
    },
  }
  return r
}

/**
 * A key for rows that carry no id of their own: the row's fields and how many identical rows came before
 * it in this file (two identical fills in one second are two fills; the same file imported again gives the
 * same keys, so its rows are recognised).
 */
export class RowKeys {
  private readonly seen = new Map<string, number>()
  key(prefix: string, fields: readonly string[]): string {
    const digest = createHash('sha1').update(fields.join('\u0001')).digest('base64url')
    const n = (this.seen.get(digest) ?? 0) + 1
    this.seen.set(digest, n)
    return `${prefix}:row:${digest}${n === 1 ? '' : `#${n}`}`
  }
}
