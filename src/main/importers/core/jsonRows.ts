/**
 * Reading JSON API dumps element by element with file, line and key in every issue. Numbers are read from
 * their literal text (or from JSON strings, as Binance, Bybit and OKX send amounts), so decimals stay exact.
 */
import type { Node } from 'jsonc-parser'
import { D } from '../../domain/trades/decimal'
import { readAmount, type AmountOptions } from './fields'
import type { FormatContext } from './formatTypes'
import { jsonChild, jsonValue, numberLiteral, type JsonDocument } from './jsonDocument'

/** The array at `path` (e.g. `['result', 'list']`), the root when `path` is empty, or undefined. */
export function arrayAt(doc: JsonDocument, path: Array<string | number>): Node | undefined {
  const n = path.length === 0 ? doc.root : jsonChild(doc.root, path)
  return n?.type === 'array' ? n : undefined
}

/** The plain value at `path` below the root, or undefined. */
export function valueAt(doc: JsonDocument, path: Array<string | number>): unknown {
  const n = jsonChild(doc.root, path)
  return n === undefined ? undefined : jsonValue(n)
}

/** True when every element of `arr` is an object that has all `keys`. */
export function objectsWith(arr: unknown, keys: readonly string[]): arr is Array<Record<string, unknown>> {
  return Array.isArray(arr) && arr.length > 0 && arr.every((e) => typeof e === 'object' && e !== null && keys.every((k) => k in e))
}

/** One element of an array: typed field readers that report to the sink. */
export class JsonElement {
  readonly line: number
  failed = false
  constructor(
    private readonly ctx: FormatContext,
    private readonly doc: JsonDocument,
    readonly node: Node,
  ) {
    this.line = doc.lineOf(node.offset)
  }

  private lineOf(key: string): number {
    const n = jsonChild(this.node, [key])
    return n ? this.doc.lineOf(n.offset) : this.line
  }

  issue(key: string | null, value: unknown, message: string): undefined {
    this.failed = true
    this.ctx.sink.issue({
      file: this.ctx.file,
      line: key === null ? this.line : this.lineOf(key),
      column: key,
      value: value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value),
      message,
    })
    return undefined
  }

  has(key: string): boolean {
    return jsonChild(this.node, [key]) !== undefined
  }

  /** The raw text of a field: a string's value or a number's literal; undefined when absent. */
  raw(key: string): string | undefined {
    const n = jsonChild(this.node, [key])
    if (!n) return undefined
    if (n.type === 'number') return numberLiteral(this.doc, n)!
    if (n.type === 'string') return n.value as string
    if (n.type === 'null') return ''
    return JSON.stringify(jsonValue(n))
  }

  str(key: string, o: { optional?: boolean; pattern?: RegExp; expected?: string } = {}): string | undefined {
    const v = this.raw(key)
    if (v === undefined || v === '') {
      if (o.optional) return v ?? ''
      return this.issue(key, v, `expected ${o.expected ?? 'a value'}`)
    }
    if (o.pattern && !o.pattern.test(v)) return this.issue(key, v, `expected ${o.expected ?? o.pattern.source}`)
    return v
  }

  /** A decimal (JSON number or numeric string); null for an allowed empty/absent field. */
  dec(key: string, o: AmountOptions = {}): D | null | undefined {
    const v = this.raw(key)
    if (v === undefined) return o.optional ? null : this.issue(key, undefined, 'expected a number (the key is missing)')
    const a = readAmount(v, { file: this.ctx.file, line: this.lineOf(key), column: key }, (i) => {
      this.failed = true
      this.ctx.sink.issue(i)
    }, o)
    return a == null ? a : new D(a.value)
  }

  /** ms since epoch from a 13-digit number or numeric string. */
  ms(key: string, o: { optional?: boolean } = {}): number | null | undefined {
    const v = this.raw(key)
    if ((v === undefined || v === '' || v === '0') && o.optional) return null
    if (v === undefined || !/^\d{13}$/.test(v)) return this.issue(key, v, 'expected ms since epoch (13 digits)')
    return Number(v)
  }
}

/** The elements of an array node as readers. */
export function elements(ctx: FormatContext, doc: JsonDocument, arr: Node): JsonElement[] {
  return (arr.children ?? []).map((n) => new JsonElement(ctx, doc, n))
}
