/**
 * The replay's fill tape (domain/trades/fillTape.ts): what goes in comes back, in file order, reversed, or
 * sorted by (time, venue sequence, line × direction); beyond one in-memory chunk (16,384 fills) through its
 * spill (in memory by default; the import's scratch SQLite database, db/replayScratchStore.ts, in the last
 * test); values outside int64 kept exactly.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { ReplayScratch } from '../../../src/main/db/replayScratchStore'
import { exact, exactText } from '../../../src/main/domain/trades/exact'
import { FillTape, type TapedFill } from '../../../src/main/domain/trades/fillTape'

let tape: FillTape
afterEach(() => tape.close())

/** What the replay sees of each fill, as plain values. */
function played(order: 'file' | 'reversed' | 'sorted', direction: 1 | -1 = 1) {
  const out: Array<{ slot: number; line: number; seq: number | null; ts: number; q: string; qn: number; pn: number; after: string | null }> = []
  tape.play(order, direction, (f: TapedFill) => {
    const m = f.move
    out.push({ slot: f.slot, line: f.line, seq: f.seq, ts: m.ts, q: exactText(m.quantity), qn: m.quantityNumber, pn: m.priceNumber, after: m.positionAfter && exactText(m.positionAfter) })
    return true
  })
  return out
}

describe('fill tape', () => {
  it('plays the fills back as recorded, forward and reversed, with exact quantities and positions', () => {
    tape = new FillTape()
    tape.add(0, 1000, null, 2, exact('0.010'), 0.01, 37536.1, null)
    tape.add(1, 1000, 7, 3, exact('-2000'), -2000, 31073.6, exact('-2000'))
    // Beyond int64 (and a long fraction): kept exactly.
    tape.add(0, 2000, null, 4, exact('123456789012345678901234.5'), 1.2345678901234568e23, 1, exact('-99999999999999999999.99'))
    const forward = played('file')
    expect(forward).toEqual([
      { slot: 0, line: 2, seq: null, ts: 1000, q: '0.01', qn: 0.01, pn: 37536.1, after: null },
      { slot: 1, line: 3, seq: 7, ts: 1000, q: '-2000', qn: -2000, pn: 31073.6, after: '-2000' },
      { slot: 0, line: 4, seq: null, ts: 2000, q: '123456789012345678901234.5', qn: 1.2345678901234568e23, pn: 1, after: '-99999999999999999999.99' },
    ])
    expect(played('reversed')).toEqual([...forward].reverse())
  })

  it('sorts a file of mixed order by time, venue sequence (none first), then line × direction', () => {
    tape = new FillTape()
    tape.add(0, 3000, null, 2, exact('1'), 1, 10, null)
    tape.add(0, 1000, 5, 3, exact('2'), 2, 10, null)
    tape.add(0, 1000, null, 4, exact('3'), 3, 10, null)
    tape.add(0, 1000, null, 5, exact('4'), 4, 10, null)
    tape.add(0, 2000, null, 6, exact('5'), 5, 10, exact('15'))
    expect(played('sorted', 1).map((f) => f.line)).toEqual([4, 5, 3, 6, 2])
    tape.close()
    tape = new FillTape()
    tape.add(0, 1000, null, 4, exact('3'), 3, 10, null)
    tape.add(0, 1000, null, 5, exact('4'), 4, 10, null)
    tape.add(0, 500, null, 6, exact('5'), 5, 10, exact('15'))
    const sorted = played('sorted', -1)
    expect(sorted.map((f) => f.line)).toEqual([6, 5, 4])
    expect(sorted[0]).toMatchObject({ q: '5', after: '15', ts: 500 })
  })

  it('spills full chunks and plays a long tape back in either order', () => {
    tape = new FillTape()
    const n = 150_000 // nine full chunks of 16,384 and a partial one
    for (let i = 0; i < n; i++) tape.add(i % 3, 1_000_000 + i, null, i + 2, exact(`${i}.5`), i + 0.5, 100 + i, i % 1000 === 0 ? exact(String(-i)) : null)
    expect(tape.size).toBe(n)
    // Checked by hand (an expect per fill would be slow): the first wrong fill, if any.
    let k = 0
    let wrong: string | null = null
    tape.play('file', 1, (f) => {
      const after = f.move.positionAfter === null ? null : exactText(f.move.positionAfter)
      if (f.line !== k + 2 || f.slot !== k % 3 || exactText(f.move.quantity) !== `${k}.5` || after !== (k % 1000 === 0 ? String(-k) : null))
        wrong ??= `forward #${k}: ${JSON.stringify({ line: f.line, slot: f.slot, after })}`
      k++
      return true
    })
    expect(wrong).toBeNull()
    expect(k).toBe(n)
    tape.play('reversed', -1, (f) => {
      k--
      if (f.line !== k + 2 || f.move.ts !== 1_000_000 + k || f.move.priceNumber !== 100 + k) wrong ??= `reversed #${k}: line ${f.line}`
      return true
    })
    expect(wrong).toBeNull()
    expect(k).toBe(0)
    let seen = 0
    tape.play('reversed', -1, () => ++seen < 10)
    expect(seen).toBe(10)
  })

  it('spills to the scratch database the import gives it: the same playback, forward, reversed and sorted', () => {
    tape = new FillTape(() => new ReplayScratch())
    const n = 40_000 // two full chunks of 16,384 and a partial one; times run backwards every 7th fill
    for (let i = 0; i < n; i++) tape.add(0, i % 7 === 0 ? 5_000_000 - i : 1_000_000 + i, null, i + 2, exact(`${i}`), i, 10, null)
    const lines = (order: 'file' | 'reversed' | 'sorted', direction: 1 | -1) => {
      const out: number[] = []
      tape.play(order, direction, (f) => out.push(f.line) > 0)
      return out
    }
    const file = Array.from({ length: n }, (_, i) => i + 2)
    expect(lines('file', 1)).toEqual(file)
    expect(lines('reversed', -1)).toEqual([...file].reverse())
    // By time: fills i ≢ 0 (mod 7) at 1,000,000 + i first, then i ≡ 0 (mod 7) at 5,000,000 − i, largest i first.
    const slow = file.filter((l) => (l - 2) % 7 !== 0)
    const late = file.filter((l) => (l - 2) % 7 === 0).reverse()
    expect(lines('sorted', 1)).toEqual([...slow, ...late])
  })
})
