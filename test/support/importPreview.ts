/**
 * The import preview as the tests written before the one import record read it: the record
 * (src/shared/importApi.ts `importResult`) with its `errors` also under `issues`, the pipeline result's old name.
 */
import type { Db } from '../../src/main/db/database'
import { previewImport as preview, type ByteSource, type ImportOptions } from '../../src/main/services/importService'

export function previewImport(db: Db, src: ByteSource, options: ImportOptions = {}, sampleRows = 20) {
  const r = preview(db, src, options, sampleRows)
  return { ...r, issues: r.errors }
}
