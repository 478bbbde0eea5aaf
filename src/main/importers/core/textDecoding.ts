/**
 * Bytes → text, for the encodings exchange exports and spreadsheets write: UTF-8 with or without a BOM, and
 * UTF-16 LE/BE (Excel's "Unicode text"), recognised by its BOM. Decoding is strict (WHATWG TextDecoder with
 * `fatal`): a byte sequence that is not valid in the detected encoding stops the import with its line,
 * never turns into U+FFFD silently. Streaming: chunks are decoded as they come, so a file of any size is
 * read in bounded memory.
 */
import { ImportFailedError } from './importIssue'

export type TextEncodingName = 'utf-8' | 'utf-8 (BOM)' | 'utf-16le (BOM)' | 'utf-16be (BOM)'

/** Signatures of binary files people pick by mistake (file(1)'s magic numbers), with what they are. */
const BINARY_MAGIC: Array<{ bytes: number[]; what: string }> = [
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'an ELF executable' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive (an .xlsx workbook is one: save it as CSV)' },
  { bytes: [0x50, 0x4b, 0x05, 0x06], what: 'an empty zip archive' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'a PDF document' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive (unpack it first)' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66], what: 'an SQLite database' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Office document (.xls: save it as CSV)' },
  { bytes: [0x4d, 0x5a], what: 'a Windows executable' },
  { bytes: [0xca, 0xfe, 0xba, 0xbe], what: 'a Mach-O or Java class file' },
  { bytes: [0xcf, 0xfa, 0xed, 0xfe], what: 'a Mach-O executable' },
]

/** What a binary file is, by its first bytes, or null. */
function binaryKind(head: Uint8Array): string | null {
  for (const m of BINARY_MAGIC) if (m.bytes.every((b, i) => head[i] === b)) return m.what
  return null
}

/** The encoding of a file from its first bytes. UTF-16 needs its BOM; UTF-16-looking bytes without one are refused, and so are binary files. */
export function detectEncoding(file: string, head: Uint8Array): TextEncodingName {
  const binary = binaryKind(head)
  if (binary !== null)
    throw new ImportFailedError([{ file, line: null, column: null, message: `binary, not a text export: the file is ${binary}; import the CSV or JSON export itself` }])
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8 (BOM)'
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le (BOM)'
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be (BOM)'
  // Mostly-ASCII UTF-16 without a BOM has a NUL in every other byte; UTF-8 text has none.
  const sample = head.subarray(0, 512)
  let nuls = 0
  for (const b of sample) if (b === 0) nuls++
  // UTF-16 without a BOM puts its NULs in every other byte, all at even or all at odd offsets; NULs
  // scattered anywhere else mean a binary file.
  if (nuls > 0) {
    let even = 0
    for (let i = 0; i < sample.length; i += 2) if (sample[i] === 0) even++
    if (even !== 0 && even !== nuls)
      throw new ImportFailedError([{ file, line: null, column: null, message: 'binary, not a text export: the file holds NUL bytes; import the CSV or JSON export itself' }])
  }
  if (sample.length >= 8 && nuls >= sample.length / 4)
    throw new ImportFailedError([
      {
        file,
        line: 1,
        column: null,
        message:
          'wrong encoding: the bytes look like UTF-16 without a byte-order mark; save the file as UTF-8, or as ' +
          'UTF-16 with its BOM (Excel "Unicode text" writes one)',
      },
    ])
  return 'utf-8'
}

const DECODER_LABEL: Record<TextEncodingName, string> = {
  'utf-8': 'utf-8',
  'utf-8 (BOM)': 'utf-8',
  'utf-16le (BOM)': 'utf-16le',
  'utf-16be (BOM)': 'utf-16be',
}

function countLines(text: string): number {
  let n = 0
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++
  return n
}

/**
 * Decodes byte chunks into text chunks (the BOM removed).
 * @throws ImportFailedError "wrong encoding" with the line of the first byte that is not valid text.
 */
export function* decodeChunks(file: string, encoding: TextEncodingName, chunks: Iterable<Uint8Array>): Generator<string> {
  const decoder = new TextDecoder(DECODER_LABEL[encoding], { fatal: true, ignoreBOM: false })
  let lines = 0
  for (const chunk of chunks) {
    let text: string
    try {
      text = decoder.decode(chunk, { stream: true })
    } catch {
      const loose = new TextDecoder(DECODER_LABEL[encoding]).decode(chunk)
      const at = loose.indexOf('\uFFFD')
      const line = lines + countLines(loose.slice(0, Math.max(0, at))) + 1
      // Everything before the first replacement character decoded cleanly, so its UTF-8 length is the
      // offset of the offending byte (UTF-8 files; for UTF-16 the context is enough).
      const offset = at >= 0 && encoding.startsWith('utf-8') ? Buffer.byteLength(loose.slice(0, at), 'utf8') : -1
      const before = at >= 0 ? loose.slice(Math.max(0, loose.lastIndexOf('\n', at - 1) + 1, at - 30), at) : ''
      throw new ImportFailedError([
        {
          file,
          line,
          column: null,
          value: offset >= 0 ? `byte 0x${chunk[offset]!.toString(16).toUpperCase().padStart(2, '0')} after "${before}"` : undefined,
          message: `wrong encoding: not ${encoding.startsWith('utf-8') ? 'UTF-8' : encoding} text (a byte sequence that is not valid there, e.g. Latin-1 or Windows-1252 accents); save the file as UTF-8, or UTF-16 with a BOM`,
        },
      ])
    }
    lines += countLines(text)
    if (text.length > 0) yield text
  }
  let tail: string
  try {
    tail = decoder.decode()
  } catch {
    throw new ImportFailedError([{ file, line: lines + 1, column: null, message: 'wrong encoding: the file ends inside a multi-byte character (truncated?)' }])
  }
  if (tail.length > 0) yield tail
}

/** Decodes a whole buffer (small files, uploads). */
export function decodeAll(file: string, bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  const encoding = detectEncoding(file, bytes.subarray(0, 512))
  return { text: [...decodeChunks(file, encoding, [bytes])].join(''), encoding }
}
