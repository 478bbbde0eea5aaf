/**
 * Header detection (importers/core/csvDetect.ts) with a header line longer than the 64 KiB head the
 * importers read before detection: the line is cut there, and a cut header must never be matched or
 * reported from its fragment (issue "Reliability and security", item 6: a false "duplicated header").
 * The files are built by hand below so that the cut lands where the comments say; they go through
 * openFile (importers/readFile.ts), in the 64 KB byte chunks the pipeline reads.
 */
import { describe, expect, it } from 'vitest'
import { MAX_HEADER_CHARS } from '../../../src/main/importers/core/csvDetect'
import { openFile } from '../../../src/main/importers/readFile'

const REQUIRED = 'venue,account,instrument,quantity,entry_price'

function* chunks64k(text: string): Generator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8')
  for (let i = 0; i < bytes.length; i += 65536) yield bytes.subarray(i, i + 65536)
}

function open(text: string) {
  const r = openFile('wide.csv', chunks64k(text))
  return r.ok ? { ok: true as const, header: r.opened.header } : { ok: false as const, issues: r.issues }
}

describe('a header line longer than 64 KiB', () => {
  it('is refused with its line and the limit, not as a duplicated header when the cut makes "notes" read "note"', () => {
    // `…,note,p0,p1,…,notes`: padding columns put the last column across the 65,536th character, so the
    // head ends after "note" of "notes" — a fragment equal to the earlier column "note".
    const start = `${REQUIRED},note,`
    const pads: string[] = []
    let len = start.length
    for (let i = 0; len + 4 < MAX_HEADER_CHARS; i++) {
      const p = `p${i},`
      if (len + p.length + 4 > MAX_HEADER_CHARS) break
      pads.push(p)
      len += p.length
    }
    // Fill to exactly 65,532 characters, so that "note" ends at character 65,536.
    pads.push('x'.repeat(MAX_HEADER_CHARS - 4 - len - 1) + ',')
    const header = `${start}${pads.join('')}notes`
    expect(header.indexOf('notes')).toBe(MAX_HEADER_CHARS - 4)
    const r = open(`${header}\nderibit,main,BTC-PERPETUAL,1,9000\n`)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.issues).toHaveLength(1)
    expect(r.issues[0]).toMatchObject({ file: 'wide.csv', line: 1, column: null })
    expect(r.issues[0]!.message).toContain('longer than 65,536 characters (64 KiB, the limit for a header line)')
    expect(r.issues[0]!.message).not.toContain('duplicated')
    expect(r.issues[0]!.value!.length).toBeLessThanOrEqual(80)
  })

  it('a header shorter than the limit, followed by a long data line, is still found (only the header line must fit)', () => {
    const r = open(`${REQUIRED}\nderibit,main,BTC-PERPETUAL,1,9000\n${'deribit,main,BTC-PERPETUAL,1,'}${'9'.repeat(70_000)}\n`)
    expect(r).toEqual({ ok: true, header: REQUIRED.split(',') })
  })

  it('a header ending just before the limit is read whole', () => {
    const pad = 'y'.repeat(MAX_HEADER_CHARS - REQUIRED.length - 2) // header = 65,534 characters, then "\n"
    const header = `${REQUIRED},${pad}`
    expect(header.length).toBe(MAX_HEADER_CHARS - 1)
    const r = open(`${header}\nderibit,main,BTC-PERPETUAL,1,9000,\n`)
    expect(r).toEqual({ ok: true, header: [...REQUIRED.split(','), pad] })
  })
})
