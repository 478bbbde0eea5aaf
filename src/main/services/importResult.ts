/**
 * Building the one record of an import (src/shared/importApi.ts `importResult`): a failed file's, a
 * duplicate's, issues grouped by message, and the history's rows as the API gives them.
 */
import type { ImportHistoryItem, ImportResult } from '../../shared/importApi'
import type { ImportHistoryEntry } from '../db/importHistoryStore'
import { shorten } from '../../shared/ranges'
import type { ImportIssue } from '../importers/core/importIssue'

/** Issues kept in a result (the count says how many there were). */
export const MAX_ISSUES = 1000

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

/** Issues grouped by message (the UI and the CLI show one line per message with its count and lines). */
export function groupIssues(issues: ImportIssue[]): ImportResult['errorGroups'] {
  const groups = new Map<string, ImportResult['errorGroups'][number]>()
  for (const i of issues) {
    const k = `${i.column ?? ''}\u0000${i.message}`
    let g = groups.get(k)
    if (!g) groups.set(k, (g = { message: i.message, count: 0, column: i.column, lines: [], values: [] }))
    g.count++
    if (i.line !== null && g.lines.length < 20) g.lines.push(i.line)
    if (i.value !== undefined && g.values.length < 5 && !g.values.includes(i.value)) g.values.push(i.value)
  }
  return [...groups.values()]
}

/** A result with nothing read yet (status `failed` until set otherwise). */
export function emptyResult(fileName: string): ImportResult {
  return {
    fileName, status: 'failed', ok: false, format: null, formatDescription: null, content: null, importId: null, portfolio: null, sha256: null,
    encoding: null, delimiter: null, header: null, headerLine: null, rawLines: [], sample: [], rows: 0, positions: [], quotes: 0, fills: 0,
    ledgerEntries: 0, balances: [], closes: 0, skipped: [], skippedCount: 0, duplicateRows: 0, duplicateOf: null, notes: [], errors: [],
    errorGroups: [], errorCount: 0, asOf: null,
  }
}

/** `r` failed with these issues (at most MAX_ISSUES kept; `count` says how many were found). */
export function failed(r: ImportResult, issues: ImportIssue[], count = issues.length): ImportResult {
  // Values and names from the file are echoed shortened: a 1 MB field must not come back three times.
  const errors = issues.slice(0, MAX_ISSUES).map((i) => ({
    ...i,
    message: shorten(i.message, 400),
    ...(i.column !== null ? { column: shorten(i.column, 80) } : {}),
    ...(i.value !== undefined ? { value: shorten(i.value, 80) } : {}),
  }))
  return { ...r, status: 'failed', ok: false, errors, errorGroups: groupIssues(errors), errorCount: Math.max(count, issues.length) }
}

/** The result of a file refused before it was read (an unknown column mapping, a bad stated option…). */
export function failedResult(fileName: string, issues: ImportIssue[]): ImportResult {
  return failed(emptyResult(fileName), issues)
}

/** A file whose bytes an earlier import holds: nothing read, nothing written. */
export function duplicateResult(fileName: string, sha256: string, earlier: ImportHistoryEntry): ImportResult {
  return {
    ...emptyResult(fileName), status: 'duplicate', ok: true, sha256, format: earlier.format, content: earlier.content, importId: earlier.id,
    duplicateOf: earlier.id, portfolio: earlier.portfolio, rows: earlier.rowsRead, firstImportedAt: new Date(earlier.importedAt).toISOString(),
  }
}

/** A stored import as the API and `riskdesk imports --json` give it (times ISO-8601 UTC). */
export function historyItem(e: ImportHistoryEntry): ImportHistoryItem {
  return {
    id: e.id, portfolio: e.portfolio, content: e.content, format: e.format, fileName: e.fileName, sha256: e.sha256, importedAt: iso(e.importedAt)!,
    importedBy: e.importedBy, host: e.host, asOf: iso(e.asOf), rowsRead: e.rowsRead, rowsImported: e.rowsImported, rowsSkipped: e.rowsSkipped,
    duplicateRows: e.duplicateRows, encoding: e.encoding, delimiter: e.delimiter, options: e.options, notes: e.notes, skipped: e.skipped,
    accounts: e.accounts, counts: e.counts, removedAt: iso(e.removedAt),
    removals: e.removals.map((r) => ({ removedAt: iso(r.removedAt)!, action: r.action, what: r.what, rows: r.rows })),
  }
}
