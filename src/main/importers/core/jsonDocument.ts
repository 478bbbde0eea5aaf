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

/** Deepest nesting of objects and arrays accepted: exchange dumps nest 3–5 deep; the parser (and every
 * reader after it) recurses per level, so a 100,000-deep document would exhaust the stack. */
export const MAX_JSON_DEPTH = 64

/**
 * The offset where `text` first nests deeper than `max` (strings and comments skipped), or -1. One pass,
 * no recursion, so it is safe on any input.
 */
export function depthExceededAt(text: string, max = MAX_JSON_DEPTH): number {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 34) {
      // A string: skip to its closing quote (escapes skipped in pairs).
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i)
        if (d === 92) i++
        else if (d === 34 || d === 10) break
      }
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const end = text.indexOf('\n', i)
      i = end < 0 ? text.length : end
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2)
      i = end < 0 ? text.length : end + 1
    } else if (c === 91 || c === 123) {
      if (++depth > max) return i
    } else if (c === 93 || c === 125) depth--
  }
  return -1
}

/** Each key that appears twice in one object, with the offset of its second appearance (iterative walk). */
export function duplicateKeys(root: Node): Array<{ key: string; offset: number; firstOffset: number }> {
  const out: Array<{ key: string; offset: number; firstOffset: number }> = []
  const stack: Node[] = [root]
  while (stack.length > 0) {
    const n = stack.pop()!
    if (n.type === 'object') {
      const seen = new Map<string, number>()
      for (const prop of n.children ?? []) {
        const keyNode = prop.children?.[0]
        if (!keyNode) continue
        const key = String(keyNode.value)
        const first = seen.get(key)
        if (first !== undefined) out.push({ key, offset: keyNode.offset, firstOffset: first })
        else seen.set(key, keyNode.offset)
        const value = prop.children?.[1]
        if (value) stack.push(value)
      }
    } else if (n.type === 'array') for (const c of n.children ?? []) stack.push(c)
  }
  return out.sort((a, b) => a.offset - b.offset)
}

/**
 * Parses `text` (a UTF-8 BOM is ignored). Refused: malformed JSON, an empty file, nesting deeper than
 * MAX_JSON_DEPTH, and a key given twice in one object (which value counts would be a guess).
 * @throws ImportFailedError with the line and the reason.
 */
export function readJsonDocument(file: string, rawText: string, o: { allowTrailingComma?: boolean } = {}): JsonDocument {
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
  const deep = depthExceededAt(text)
  if (deep >= 0)
    throw new ImportFailedError([
      { file, line: lineOf(deep), column: null, message: `JSON nested more than ${MAX_JSON_DEPTH} levels deep (objects and arrays inside each other); no export nests that deep` },
    ])
  const errors: ParseError[] = []
  const root = parseTree(text, errors, { allowTrailingComma: o.allowTrailingComma === true, disallowComments: false })
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
  const duplicates = duplicateKeys(root)
  if (duplicates.length > 0)
    throw new ImportFailedError(
      duplicates.slice(0, 20).map((d) => ({
        file,
        line: lineOf(d.offset),
        column: d.key.length > 80 ? `${d.key.slice(0, 79)}…` : d.key,
        message: `the key appears twice in one object (first on line ${lineOf(d.firstOffset)}); which value counts would be a guess: keep one`,
      })),
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
