/**
 * The fills of one import as the replay moves positions with them (positionReplay.ts movePosition),
 * recorded in file order while the file streams: per fill the replay slot (account × instrument), time, the
 * venue's sequence, line, exact quantity, quantity and price as float64, and the venue's own position after
 * it. About 60 bytes a fill, in typed-array chunks of 16,384 fills (1 MB); every full chunk is spilled out of
 * memory to a TapeSpill the caller provides (the import service gives a private scratch SQLite database,
 * db/replayScratchStore.ts), so a log of any length is taped in bounded memory. Pure: no I/O of its own.
 *
 * Played back in time order, as the file allows: forward (a log listed oldest first), backward (newest
 * first: the file order reversed, as Binance, Deribit and Bybit export), or, for a file whose fills are not
 * in time order, sorted by time, then the venue's sequence, then the file's line × direction (by the spill,
 * which can sort more fills than memory holds).
 */
import type { Exact } from './exact'
import type { PositionMove } from './positionReplay'

/** A fill as the spill sorts it: ts, venue sequence, line, slot, quantity units (text), quantity scale,
 * quantity and price as float64, position-after units (text) and scale. */
export type SortedFillRow = [number, number | null, number, number, string, number, number, number, string | null, number | null]

/**
 * Where the tape keeps what does not fit in memory (db/replayScratchStore.ts ReplayScratch is one): full
 * chunks by number, and the external sort of a log that is not in time order.
 */
export interface TapeSpill {
  saveChunk(id: number, bytes: Uint8Array): void
  /** Copies chunk `id` into `into` (at least as large). */
  loadChunk(id: number, into: Uint8Array): void
  addToSort(row: SortedFillRow): void
  /** The rows added, by ts, then the venue's sequence (none first), then line × `direction`. */
  sortedFills(direction: 1 | -1): Iterable<SortedFillRow>
  close(): void
}

const CHUNK_FILLS = 16_384
const MIN_INT64 = -(2n ** 63n)
const MAX_INT64 = 2n ** 63n - 1n
/** Scale marks: no position after the fill; the value is kept in `wide` (outside int64 or an unusual scale). */
const NONE = -1
const WIDE = -2

/** One chunk: parallel typed arrays over one buffer (one blob when spilled). */
class Chunk {
  static readonly BYTES_PER_FILL = 4 * 8 + 2 * 8 + 2 * 4 + 2 * 2
  readonly bytes: Uint8Array
  readonly ts: Float64Array
  readonly seq: Float64Array
  readonly quantityNumber: Float64Array
  readonly priceNumber: Float64Array
  readonly quantityUnits: BigInt64Array
  readonly afterUnits: BigInt64Array
  readonly slot: Int32Array
  readonly line: Int32Array
  readonly quantityScale: Int16Array
  readonly afterScale: Int16Array
  length = 0

  constructor() {
    const buffer = new ArrayBuffer(CHUNK_FILLS * Chunk.BYTES_PER_FILL)
    this.bytes = new Uint8Array(buffer)
    let at = 0
    const f64 = () => new Float64Array(buffer, (at += CHUNK_FILLS * 8) - CHUNK_FILLS * 8, CHUNK_FILLS)
    const i64 = () => new BigInt64Array(buffer, (at += CHUNK_FILLS * 8) - CHUNK_FILLS * 8, CHUNK_FILLS)
    const i32 = () => new Int32Array(buffer, (at += CHUNK_FILLS * 4) - CHUNK_FILLS * 4, CHUNK_FILLS)
    const i16 = () => new Int16Array(buffer, (at += CHUNK_FILLS * 2) - CHUNK_FILLS * 2, CHUNK_FILLS)
    this.ts = f64()
    this.seq = f64()
    this.quantityNumber = f64()
    this.priceNumber = f64()
    this.quantityUnits = i64()
    this.afterUnits = i64()
    this.slot = i32()
    this.line = i32()
    this.quantityScale = i16()
    this.afterScale = i16()
  }
}

/** What the replay gets for each fill, in time order (one object, reused: copy what you keep). */
export interface TapedFill {
  slot: number
  line: number
  /** The venue's sequence within one instant, or null. */
  seq: number | null
  /** ts, exact quantity, float64 shadows, position after (positionAfterUnsigned: false; the caller knows). */
  move: PositionMove
}

function tapedFill(): TapedFill {
  return {
    slot: 0, line: 0, seq: null,
    move: { ts: 0, quantity: { units: 0n, scale: 0 }, quantityNumber: 0, priceNumber: 0, positionAfter: null, positionAfterUnsigned: false },
  }
}

export class FillTape {
  private chunk = new Chunk()
  /** Chunks before the current one, spilled to `scratch`. */
  private spilled = 0
  private scratch: TapeSpill | null = null
  /** Values that do not fit the chunk's columns, by fill index. */
  private readonly wide = new Map<number, Exact>()
  private count = 0

  /**
   * @param spill opens the spill on first need (a log of more than one chunk, or one out of time order);
   *   default: in memory (memorySpill), for callers that tape few fills
   */
  constructor(private readonly spill: () => TapeSpill = memorySpill) {}

  get size(): number {
    return this.count
  }

  /** Records one fill (file order). */
  add(slot: number, ts: number, seq: number | null, line: number, quantity: Exact, quantityNumber: number, priceNumber: number, after: Exact | null): void {
    const c = this.chunk
    if (c.length === CHUNK_FILLS) {
      this.scratch ??= this.spill()
      this.scratch.saveChunk(this.spilled++, c.bytes)
      c.length = 0
    }
    const i = c.length++
    c.slot[i] = slot
    c.ts[i] = ts
    c.seq[i] = seq ?? NaN
    c.line[i] = line
    c.quantityNumber[i] = quantityNumber
    c.priceNumber[i] = priceNumber
    c.quantityScale[i] = this.put(c.quantityUnits, i, quantity, this.count * 2)
    c.afterScale[i] = after === null ? NONE : this.put(c.afterUnits, i, after, this.count * 2 + 1)
    this.count++
  }

  private put(units: BigInt64Array, i: number, x: Exact, wideKey: number): number {
    if (x.units >= MIN_INT64 && x.units <= MAX_INT64 && x.scale <= 0x7fff) {
      units[i] = x.units
      return x.scale
    }
    this.wide.set(wideKey, x)
    return WIDE
  }

  /**
   * Plays the fills back: `file` order, `reversed` file order, or `sorted` by (ts, venue sequence, line ×
   * direction). Stops when `visit` returns false.
   */
  play(order: 'file' | 'reversed' | 'sorted', direction: 1 | -1, visit: (f: TapedFill) => boolean): void {
    if (order === 'sorted') return this.playSorted(direction, visit)
    const f = tapedFill()
    const chunks = this.spilled + 1
    const loaded = this.spilled > 0 ? new Chunk() : null
    for (let k = 0; k < chunks; k++) {
      const index = order === 'file' ? k : chunks - 1 - k
      let c = this.chunk
      if (index < this.spilled) {
        this.scratch!.loadChunk(index, loaded!.bytes)
        loaded!.length = CHUNK_FILLS
        c = loaded!
      }
      const base = index * CHUNK_FILLS
      for (let j = 0; j < c.length; j++) {
        const i = order === 'file' ? j : c.length - 1 - j
        this.read(c, i, base + i, f)
        if (!visit(f)) return
      }
    }
  }

  private read(c: Chunk, i: number, n: number, f: TapedFill): void {
    f.slot = c.slot[i]!
    f.line = c.line[i]!
    const seq = c.seq[i]!
    f.seq = Number.isNaN(seq) ? null : seq
    const m = f.move
    m.ts = c.ts[i]!
    m.quantityNumber = c.quantityNumber[i]!
    m.priceNumber = c.priceNumber[i]!
    const qs = c.quantityScale[i]!
    m.quantity = qs === WIDE ? this.wide.get(n * 2)! : { units: c.quantityUnits[i]!, scale: qs }
    const as = c.afterScale[i]!
    m.positionAfter = as === NONE ? null : as === WIDE ? this.wide.get(n * 2 + 1)! : { units: c.afterUnits[i]!, scale: as }
  }

  private playSorted(direction: 1 | -1, visit: (f: TapedFill) => boolean): void {
    const scratch = (this.scratch ??= this.spill())
    this.play('file', 1, ({ slot, line, seq, move: m }) => {
      scratch.addToSort([
        m.ts, seq, line, slot, m.quantity.units.toString(), m.quantity.scale, m.quantityNumber, m.priceNumber,
        m.positionAfter === null ? null : m.positionAfter.units.toString(), m.positionAfter === null ? null : m.positionAfter.scale,
      ])
      return true
    })
    const f = tapedFill()
    for (const [ts, seq, line, slot, qUnits, qScale, qNumber, pNumber, afterUnits, afterScale] of scratch.sortedFills(direction)) {
      f.slot = slot
      f.line = line
      f.seq = seq
      f.move.ts = ts
      f.move.quantity = { units: BigInt(qUnits), scale: qScale }
      f.move.quantityNumber = qNumber
      f.move.priceNumber = pNumber
      f.move.positionAfter = afterUnits === null ? null : { units: BigInt(afterUnits), scale: afterScale! }
      if (!visit(f)) return
    }
  }

  /** Frees the spill (call once done, also after a failure). */
  close(): void {
    this.scratch?.close()
    this.scratch = null
  }
}

/**
 * A TapeSpill in memory: chunks kept as copies, the sort done by Array.prototype.sort with the same order as
 * the scratch database's (ts, then the venue's sequence with none first, then line × direction). Memory grows
 * with the log: the import service spills to a scratch database instead.
 */
export function memorySpill(): TapeSpill {
  const chunks = new Map<number, Uint8Array>()
  const rows: SortedFillRow[] = []
  return {
    saveChunk: (id, bytes) => void chunks.set(id, bytes.slice()),
    loadChunk(id, into) {
      const bytes = chunks.get(id)
      if (!bytes) throw new Error(`fill tape: no chunk ${id}`)
      into.set(bytes)
    },
    addToSort: (row) => void rows.push(row),
    sortedFills: (direction) =>
      rows.sort((a, b) => a[0] - b[0] || (a[1] === b[1] ? 0 : a[1] === null ? -1 : b[1] === null ? 1 : a[1] - b[1]) || (a[2] - b[2]) * direction),
    close() {
      chunks.clear()
      rows.length = 0
    },
  }
}
