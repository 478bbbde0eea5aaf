/**
 * Reads a whole text with one format, in memory, without a database: for tests, previews of small
 * snippets, and callers that want the domain objects of a file (e.g. the option chain for Greeks checks).
 */
import { BUILT_IN_SPECS } from '../../domain/instruments/builtInSpecs'
import { detectCsvLayout } from './csvDetect'
import { readCsv } from './csvRead'
import type { FileFormat, ReadOptions } from './formatTypes'
import { ImportFailedError } from './importIssue'
import { collectingSink, type ImportedFile } from './importTypes'
import { readJsonDocument } from './jsonDocument'

/**
 * @param options defaults: now as the clock, the built-in contract specs, `file` as the file name
 * @throws ImportFailedError listing every issue of the file
 */
export function readText(format: FileFormat, file: string, text: string, options: Partial<ReadOptions> = {}): ImportedFile {
  const { sink, file: out, issues } = collectingSink(format.id)
  const read: ReadOptions = { receivedAt: Date.now(), specs: BUILT_IN_SPECS, fileName: file, ...options }
  if (format.type === 'json') out.rowsRead = format.read(readJsonDocument(file, text), { file, options: read, sink })
  else out.rowsRead = readCsv(detectCsvLayout(file, text.replace(/^\uFEFF/, '').slice(0, 65536), [format], format), [text.replace(/^\uFEFF/, '')], { file, options: read, sink })
  if (issues.length > 0) throw new ImportFailedError(issues)
  return out
}
