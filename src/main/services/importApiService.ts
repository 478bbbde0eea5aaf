/**
 * The import calls of the API (src/shared/importApi.ts): uploads and previews of files sent as base64
 * bytes (the browser and the desktop app alike), the import history, saved column mappings and the formats.
 * A bad file is a report with its errors (status `failed`), not a thrown error, so the Import view can show
 * the errors grouped by message.
 */
import type { ImportHistoryItem, ImportResult, ImportSettings } from '../../shared/importApi'
import type { Db } from '../db/database'
import { ContractSpecTableError } from '../domain/instruments/contractSpecs'
import { ImportFailedError } from '../importers/core/importIssue'
import { loadContractSpecs } from './contractSpecService'
import { failed, failedResult } from './importResult'
import { importHistory, importSourceAsync, listFormats, type ImportOptions } from './importService'
import { deleteNamedMapping, formatOfMapping, listSavedMappings, MappingError, parseMapping, resolveMapping, saveNamedMapping } from './mappingService'

const MAX_UPLOAD_BYTES = 64 * 1024 * 1024

const refused = (fileName: string, message: string) => failedResult(fileName, [{ file: fileName, line: null, column: null, message }])

function decode(fileName: string, contentBase64: string): Uint8Array | ImportResult {
  const bytes = Buffer.from(contentBase64, 'base64')
  if (bytes.length > MAX_UPLOAD_BYTES) return refused(fileName, `the file is larger than 64 MB; import it with the command line (riskdesk import), which streams any size`)
  return bytes
}

function options(db: Db, fileName: string, s: ImportSettings, host: string): { options: ImportOptions } | { report: ImportResult } {
  let specs
  try {
    specs = loadContractSpecs(undefined, db.name)
  } catch (e) {
    if (e instanceof ContractSpecTableError) return { report: refused(fileName, e.message) }
    throw e
  }
  const o: ImportOptions = {
    portfolio: s.portfolio, format: s.format, account: s.account, utcOffset: s.utcOffset, underlying: s.underlying,
    quoteCurrency: s.quoteCurrency, venue: s.venue, currency: s.currency, snapshotTime: s.snapshotTime, dateOrder: s.dateOrder, specs, host,
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
    if (e instanceof MappingError) return { report: refused(fileName, e.message) }
    if (e instanceof ImportFailedError) return { report: failed(refused(fileName, e.issues[0]!.message), e.issues) }
    throw e
  }
  return { options: o }
}

export interface ImportApiService {
  listFormats(): ReturnType<typeof listFormats>
  previewImport(input: { fileName: string; contentBase64: string; settings: ImportSettings }): Promise<ImportResult>
  importUpload(input: { fileName: string; contentBase64: string; settings: ImportSettings }): Promise<ImportResult>
  listImports(input: { portfolio?: string; limit?: number }): ImportHistoryItem[]
  listMappings(): Array<{ name: string; mapping: ReturnType<typeof parseMapping>; updatedAt: string }>
  saveMapping(input: { name: string; mapping: unknown }): { name: string; mapping: ReturnType<typeof parseMapping>; updatedAt: string }
  deleteMapping(input: { name: string }): { deleted: boolean }
}

/**
 * @param host which host serves the calls (`web`, `desktop`, `app`), recorded in the history. Uploads and
 *   previews of 1 MB or more are read on the import thread (importService.ts importSourceAsync), so the host
 *   keeps answering other calls meanwhile.
 */
export function createImportApi(db: Db, host: string): ImportApiService {
  const run = async (fileName: string, contentBase64: string, settings: ImportSettings, dryRun: boolean) => {
    const bytes = decode(fileName, contentBase64)
    if (!(bytes instanceof Uint8Array)) return bytes
    const o = options(db, fileName, settings, host)
    if ('report' in o) return o.report
    return importSourceAsync(db, { bytes, fileName }, o.options, dryRun, dryRun ? 20 : 0)
  }
  return {
    listFormats,
    previewImport: ({ fileName, contentBase64, settings }) => run(fileName, contentBase64, settings, true),
    importUpload: ({ fileName, contentBase64, settings }) => run(fileName, contentBase64, settings, false),
    listImports({ portfolio, limit }) {
      return importHistory(db, { portfolio, limit })
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
