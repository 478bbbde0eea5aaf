/**
 * Bytes → text, for the encodings exchange exports and spreadsheets write: UTF-8 with or without a BOM, and
 * UTF-16 LE/BE (Excel's "Unicode text"), recognised by its BOM. Decoding is strict (WHATWG TextDecoder with
 * `fatal`): a byte sequence that is not valid in the detected encoding stops the import with its line,
 * never turns into U+FFFD silently. Streaming: chunks are decoded as they come, so a file of any size is
 * read in bounded memory.
 */
import { ImportFailedError } from './importIssue'

export type TextEncodingName = 'utf-8' | 'utf-8 (BOM)' | 'utf-16le (BOM)' | 'utf-16be (BOM)'

/** The encoding of a file from its first bytes. UTF-16 needs its BOM; UTF-16-looking bytes without one are refused. */
export function detectEncoding(file: string, head: Uint8Array): TextEncodingName {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8 (BOM)'
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le (BOM)'
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be (BOM)'
  // Mostly-ASCII UTF-16 without a BOM has a NUL in every other byte; UTF-8 text has none.
  const sample = head.subarray(0, 512)
  let nuls = 0
  for (const b of sample) if (b === 0) nuls++
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
