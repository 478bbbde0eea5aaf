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

/** jsonc-parser's error codes in words. */
const JSON_ERRORS: Record<string, string> = {
  InvalidSymbol: 'a character that cannot start a JSON value',
  InvalidNumberFormat: 'expected a number',
  PropertyNameExpected: 'expected a "property name"',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected "," between elements',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'text after the end of the JSON value',
  UnexpectedEndOfString: 'a string is never closed',
  UnexpectedEndOfNumber: 'a number is cut off',
  InvalidCharacter: 'an invalid character in a string',
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
  if (errors.length > 0 || !root) {
    if (errors.length === 0) throw new ImportFailedError([{ file, line: null, column: null, message: 'the file is empty' }])
    // The parser reports one error per unclosed bracket at the end of a cut-off file: say "truncated" once.
    const end = text.trimEnd().length
    const inside = errors.filter((e) => e.offset < end)
    const truncated = inside.length < errors.length
    throw new ImportFailedError([
      ...inside.slice(0, 20).map((e) => ({
        file,
        line: lineOf(e.offset),
        column: null,
        value: text.slice(e.offset, e.offset + Math.max(1, Math.min(e.length, 40))),
        message: `malformed JSON: ${JSON_ERRORS[printParseErrorCode(e.error)] ?? printParseErrorCode(e.error)}`,
      })),
      ...(truncated
        ? [{ file, line: lineOf(end), column: null, message: 'malformed JSON: the file ends before its objects and arrays are closed (truncated?)' }]
        : []),
    ])
  }
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
