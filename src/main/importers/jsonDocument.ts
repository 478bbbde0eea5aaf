/**
 * JSON (and JSON with comments, as exchanges publish their examples) parsed with jsonc-parser, keeping each
 * value's position so errors can name a line, and each number's literal text so amounts stay exact.
 */
import { findNodeAtLocation, getNodeValue, type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser'
import { ImportFailedError } from './importIssue'

export interface JsonDocument {
  text: string
  root: Node
  /** 1-based line of a character offset. */
  lineOf(offset: number): number
}

/**
 * Parses `text` (a UTF-8 BOM is ignored).
 * @throws ImportFailedError with the line and the parser's reason for malformed JSON or an empty file.
 */
export function readJsonDocument(file: string, rawText: string): JsonDocument {
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText
  const lineStarts = [0]
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1)
  const lineOf = (offset: number): number => {
    let lo = 0
    let hi = lineStarts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (lineStarts[mid]! <= offset) lo = mid
      else hi = mid - 1
    }
    return lo + 1
  }
  const errors: ParseError[] = []
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: false })
  if (errors.length > 0 || !root)
    throw new ImportFailedError(
      errors.length > 0
        ? errors.map((e) => ({ file, line: lineOf(e.offset), column: null, message: `malformed JSON: ${printParseErrorCode(e.error)}` }))
        : [{ file, line: null, column: null, message: 'the file is empty' }],
    )
  return { text, root, lineOf }
}

/** The plain JavaScript value of a node. */
export function jsonValue(node: Node): unknown {
  return getNodeValue(node)
}

/** The child node at `path` below `node`, if any. */
export function jsonChild(node: Node, path: Array<string | number>): Node | undefined {
  return findNodeAtLocation(node, path)
}

/** The literal text of a number node (`0.000197283`), so decimals are kept exactly as written. */
export function numberLiteral(doc: JsonDocument, node: Node | undefined): string | null {
  if (!node || node.type !== 'number') return null
  return doc.text.slice(node.offset, node.offset + node.length)
}
