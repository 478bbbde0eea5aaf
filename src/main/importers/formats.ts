/**
 * The file formats Riskdesk reads, and detection from content: a JSON shape or a CSV header signature.
 * `riskdesk formats` lists this table; `--format` overrides detection.
 */
import { parse } from 'csv-parse/sync'
import { parse as parseJsonc } from 'jsonc-parser'
import { DERIBIT_OPTION_CHAIN_FORMAT, looksLikeDeribitOptionChain, readDeribitOptionChain } from './deribitOptionChain'
import { DERIBIT_POSITIONS_FORMAT, looksLikeDeribitPositions, readDeribitPositions } from './deribitPositions'
import { GENERIC_POSITIONS_FORMAT, looksLikeGenericPositions, readGenericPositions } from './genericPositions'
import { ImportFailedError } from './importIssue'
import type { ImportedFile } from './importTypes'

export interface ReadOptions {
  /** Account for formats that do not name one (Deribit get_positions). */
  account?: string
  /** Import time, ms since epoch, for formats without their own timestamp. */
  receivedAt?: number
}

export interface FileFormat {
  id: string
  /** One line for `riskdesk formats`. */
  description: string
  read(file: string, text: string, options: ReadOptions): ImportedFile
}

export const FORMATS: readonly FileFormat[] = [
  {
    id: GENERIC_POSITIONS_FORMAT,
    description: 'Riskdesk generic positions CSV: venue,account,instrument,quantity,entry_price[,entry_time][,note]',
    read: (file, text) => readGenericPositions(file, text),
  },
  {
    id: DERIBIT_POSITIONS_FORMAT,
    description: 'Deribit private/get_positions JSON response (positions of one account, with marks)',
    read: (file, text, o) => readDeribitPositions(file, text, o),
  },
  {
    id: DERIBIT_OPTION_CHAIN_FORMAT,
    description: 'Deribit option-chain snapshot CSV (public/ticker per option: mark price, mark IV, forward, Greeks)',
    read: (file, text) => readDeribitOptionChain(file, text),
  },
]

/** The format with this id. @throws ImportFailedError naming the known ids. */
export function formatById(file: string, id: string): FileFormat {
  const format = FORMATS.find((f) => f.id === id)
  if (!format)
    throw new ImportFailedError([
      { file, line: null, column: null, message: `unknown format "${id}"; known: ${FORMATS.map((f) => f.id).join(', ')}` },
    ])
  return format
}

/**
 * Detects the format of a file from its content.
 * @throws ImportFailedError when no known format matches, saying what was seen.
 */
export function detectFormat(file: string, text: string): FileFormat {
  const body = text.replace(/^\uFEFF/, '').trimStart()
  if (body.length === 0) throw new ImportFailedError([{ file, line: null, column: null, message: 'the file is empty' }])
  if (body.startsWith('{') || body.startsWith('[')) {
    const value: unknown = parseJsonc(body)
    if (looksLikeDeribitPositions(value)) return formatById(file, DERIBIT_POSITIONS_FORMAT)
    throw new ImportFailedError([
      { file, line: 1, column: null, message: 'JSON of an unknown shape; known JSON formats: Deribit get_positions' },
    ])
  }
  let header: string[] = []
  try {
    header = (parse(body, { to_line: 1, relax_column_count: true, trim: true }) as string[][])[0] ?? []
  } catch {
    // An unparseable first line is reported below as an unknown header.
  }
  if (looksLikeDeribitOptionChain(header)) return formatById(file, DERIBIT_OPTION_CHAIN_FORMAT)
  if (looksLikeGenericPositions(header)) return formatById(file, GENERIC_POSITIONS_FORMAT)
  throw new ImportFailedError([
    {
      file,
      line: 1,
      column: null,
      value: header.slice(0, 8).join(','),
      message:
        'unrecognised header; a generic positions CSV starts with venue,account,instrument,quantity,entry_price ' +
        '(see `riskdesk formats`)',
    },
  ])
}
