/**
 * The import calls of the API (src/shared/importApi.ts): uploads and previews of files sent as base64
 * bytes (the browser and the desktop app alike), the import history, saved column mappings and the formats.
 * A bad file is a report with its errors (status `failed`), not a thrown error, so the Import view can show
 * the errors grouped by message.
 */
import type { ImportHistoryItem, ImportReport, ImportSettings } from '../../shared/importApi'
import type { Db } from '../db/database'
import { listImports } from '../db/importHistoryStore'
import { ContractSpecTableError } from '../domain/instruments/contractSpecs'
import { loadContractSpecs } from './contractSpecService'
import { failedReport, toImportReport } from './importReport'
import { listFormats, previewImport, runPipelineOnBytes, type ImportOptions } from './importService'
import { deleteNamedMapping, formatOfMapping, listSavedMappings, MappingError, parseMapping, resolveMapping, saveNamedMapping } from './mappingService'
import { ImportFailedError } from '../importers/core/importIssue'

const MAX_UPLOAD_BYTES = 64 * 1024 * 1024

function decode(fileName: string, contentBase64: string): Uint8Array | ImportReport {
  const bytes = Buffer.from(contentBase64, 'base64')
  if (bytes.length > MAX_UPLOAD_BYTES) return failedReport(fileName, `the file is larger than 64 MB; import it with the command line (riskdesk import), which streams any size`)
  return bytes
}

function options(db: Db, fileName: string, s: ImportSettings, host: string): { options: ImportOptions } | { report: ImportReport } {
  let specs
  try {
    specs = loadContractSpecs(undefined, db.name)
  } catch (e) {
    if (e instanceof ContractSpecTableError) return { report: failedReport(fileName, e.message) }
    throw e
  }
  const o: ImportOptions = {
    portfolio: s.portfolio, format: s.format, account: s.account, utcOffset: s.utcOffset, underlying: s.underlying,
    quoteCurrency: s.quoteCurrency, venue: s.venue, currency: s.currency, specs, host,
  }
  try {
    if (s.mapping) {
      const mapping = parseMapping(s.mapping, 'the mapping')
      formatOfMapping(s.mappingName ?? 'inline', mapping, fileName)
      return { options: { ...o, format: undefined, mapping: { name: s.mappingName ?? 'inline', mapping } } }
    }
    if (s.mappingName) {
      const { name, mapping } = resolveMapping(db, s.mappingName)
      formatOfMapping(name, mapping, fileName)
      return { options: { ...o, format: undefined, mapping: { name, mapping } } }
    }
  } catch (e) {
    if (e instanceof MappingError) return { report: failedReport(fileName, e.message) }
    if (e instanceof ImportFailedError) return { report: { ...failedReport(fileName, e.issues[0]!.message), errors: e.issues, errorCount: e.issues.length } }
    throw e
  }
  return { options: o }
}

export interface ImportApiService {
  listFormats(): ReturnType<typeof listFormats>
  previewImport(input: { fileName: string; contentBase64: string; settings: ImportSettings }): ImportReport
  importUpload(input: { fileName: string; contentBase64: string; settings: ImportSettings }): ImportReport
  listImports(input: { portfolio?: string; limit?: number }): ImportHistoryItem[]
  listMappings(): Array<{ name: string; mapping: ReturnType<typeof parseMapping>; updatedAt: string }>
  saveMapping(input: { name: string; mapping: unknown }): { name: string; mapping: ReturnType<typeof parseMapping>; updatedAt: string }
  deleteMapping(input: { name: string }): { deleted: boolean }
}

/** @param host which host serves the calls (`web`, `desktop`), recorded in the history */
export function createImportApi(db: Db, host: string): ImportApiService {
  return {
    listFormats,
    previewImport({ fileName, contentBase64, settings }) {
      const bytes = decode(fileName, contentBase64)
      if (!(bytes instanceof Uint8Array)) return bytes
      const o = options(db, fileName, settings, host)
      if ('report' in o) return o.report
      return toImportReport(previewImport(db, { bytes, fileName }, o.options))
    },
    importUpload({ fileName, contentBase64, settings }) {
      const bytes = decode(fileName, contentBase64)
      if (!(bytes instanceof Uint8Array)) return bytes
      const o = options(db, fileName, settings, host)
      if ('report' in o) return o.report
      return toImportReport(runPipelineOnBytes(db, fileName, bytes, o.options))
    },
    listImports({ portfolio, limit }) {
      return listImports(db, { portfolio, limit }).map((e) => ({
        id: e.id, portfolio: e.portfolio, content: e.content, format: e.format, fileName: e.fileName, sha256: e.sha256,
        importedAt: new Date(e.importedAt).toISOString(), importedBy: e.importedBy, host: e.host, asOf: e.asOf === null ? null : new Date(e.asOf).toISOString(),
        rowsRead: e.rowsRead, rowsImported: e.rowsImported, rowsSkipped: e.rowsSkipped, duplicateRows: e.duplicateRows, encoding: e.encoding,
        delimiter: e.delimiter, options: e.options, notes: e.notes, skipped: e.skipped, accounts: e.accounts, counts: e.counts,
      }))
    },
    listMappings() {
      return listSavedMappings(db).map((m) => ({ ...m, updatedAt: new Date(m.updatedAt).toISOString() }))
    },
    saveMapping({ name, mapping }) {
      const saved = saveNamedMapping(db, name, mapping)
      return { ...saved, updatedAt: new Date(saved.updatedAt).toISOString() }
    },
    deleteMapping({ name }) {
      return { deleted: deleteNamedMapping(db, name) }
    },
  }
}
