/**
 * The write gate (src/main/db/writeGate.ts) on a real SQLite file with two connections: SQLite locks two
 * connections of one process against each other exactly as two processes (a second connection's
 * BEGIN IMMEDIATE is what another riskdesk process holding the write lock looks like).
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../src/main/db/database'
import { DatabaseBusyError, inWriteTransaction } from '../../src/main/db/writeGate'
import { tempDir } from '../support/paths'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const names = (db: Db) => (db.prepare('SELECT name FROM portfolios ORDER BY id').all() as Array<{ name: string }>).map((r) => r.name)
const insert = (db: Db, name: string) => db.prepare('INSERT INTO portfolios (name, created_at) VALUES (?, 0)').run(name)

/** The longest gap between ticks of a 10 ms interval while `p` runs: how long the event loop was held. */
async function longestStall<T>(p: Promise<T>): Promise<{ value: T; stallMs: number }> {
  let last = performance.now()
  let stallMs = 0
  const timer = setInterval(() => {
    const now = performance.now()
    stallMs = Math.max(stallMs, now - last)
    last = now
  }, 10)
  try {
    return { value: await p, stallMs }
  } finally {
    clearInterval(timer)
  }
}

describe('write gate', () => {
  it('waits from timers while another connection holds the write lock, says so once, then writes after it', async () => {
    const path = join(tempDir(), 'gate.db')
    const other = openDatabase(path)
    const db = openDatabase(path)
    other.exec('BEGIN IMMEDIATE')
    insert(other, 'first')
    const told: string[] = []
    setTimeout(() => other.exec('COMMIT'), 600)
    const { value, stallMs } = await longestStall(
      inWriteTransaction(db, () => (insert(db, 'second'), names(db)), { onWait: (m) => told.push(m) }),
    )
    // The write ran after the other's commit (it sees 'first'), and committed (the other connection sees it).
    expect(value).toEqual(['first', 'second'])
    expect(names(other)).toEqual(['first', 'second'])
    expect(told).toEqual([`another writer is using the database ${path}; waiting for it to finish (at most 60 s)…`])
    // SQLite's busy handler would have slept the whole 600 ms (up to its busy timeout) on this thread; the
    // gate's longest hold is one BEGIN attempt. Bound generous for a loaded machine.
    console.log(`longest event-loop stall while waiting 600 ms for the other writer: ${stallMs.toFixed(1)} ms`)
    expect(stallMs).toBeLessThan(150)
    other.close()
    db.close()
  })

  it('gives up after its limit with DatabaseBusyError naming the file, and writes nothing', async () => {
    const path = join(tempDir(), 'gate.db')
    const other = openDatabase(path)
    const db = openDatabase(path)
    other.exec('BEGIN IMMEDIATE')
    const started = performance.now()
    const err = await inWriteTransaction(db, () => insert(db, 'never'), { limitMs: 300, onWait: () => {} }).catch((e: unknown) => e)
    const waited = performance.now() - started
    expect(err).toBeInstanceOf(DatabaseBusyError)
    expect((err as DatabaseBusyError).file).toBe(path)
    expect((err as Error).message).toContain(path)
    expect((err as Error).message).toContain('nothing was written')
    expect(waited).toBeGreaterThanOrEqual(290)
    other.exec('ROLLBACK')
    expect(names(db)).toEqual([])
    expect(db.inTransaction).toBe(false)
    other.close()
    db.close()
  })

  it('queues the writers of one process per file, in order, without the busy wait (two connections, as an upload beside a save)', async () => {
    const path = join(tempDir(), 'gate.db')
    const a = openDatabase(path)
    const b = openDatabase(path)
    const order: string[] = []
    const told: string[] = []
    const onWait = (m: string) => told.push(m)
    // A long writer that holds its transaction across awaits (as the import thread's writes do).
    const long = inWriteTransaction(
      a,
      async () => {
        order.push('long: begin')
        insert(a, 'long-1')
        await sleep(300)
        insert(a, 'long-2')
        order.push('long: end')
      },
      { onWait },
    )
    const short = inWriteTransaction(b, () => (order.push('short'), insert(b, 'short')), { onWait })
    await Promise.all([long, short])
    expect(order).toEqual(['long: begin', 'long: end', 'short'])
    expect(names(a)).toEqual(['long-1', 'long-2', 'short'])
    expect(told).toEqual([]) // in-process writers queue; only another process's lock is waited for
    a.close()
    b.close()
  })

  it("names the other writer from its note beside the database, ignores a killed writer's note, and leaves no note of its own", async () => {
    const path = join(tempDir(), 'gate.db')
    const other = openDatabase(path)
    const db = openDatabase(path)
    // Another process's note: a live process (sleep) named as an import that began 3 s ago.
    const sleeper = spawn('sleep', ['30'])
    const exited = spawn('true')
    await new Promise((r) => exited.once('exit', r))
    try {
      other.exec('BEGIN IMMEDIATE')
      writeFileSync(`${path}-writer`, JSON.stringify({ pid: sleeper.pid, what: 'riskdesk import big.csv', since: Date.now() - 3000 }))
      const told: string[] = []
      const err = await inWriteTransaction(db, () => insert(db, 'never'), { limitMs: 200, onWait: (m) => told.push(m) }).catch((e: unknown) => e)
      expect(told).toEqual([`another writer (riskdesk import big.csv, pid ${sleeper.pid}, writing for 3 s) is using the database ${path}; waiting for it to finish (at most 0 s)…`])
      expect((err as DatabaseBusyError).otherWriter).toBe(`riskdesk import big.csv, pid ${sleeper.pid}, writing for 3 s`)
      // The note of a process that is gone (killed while writing) names nobody.
      writeFileSync(`${path}-writer`, JSON.stringify({ pid: exited.pid, what: 'riskdesk import old.csv', since: Date.now() }))
      told.length = 0
      await inWriteTransaction(db, () => insert(db, 'never'), { limitMs: 50, onWait: (m) => told.push(m) }).catch(() => undefined)
      expect(told).toEqual([`another writer is using the database ${path}; waiting for it to finish (at most 0 s)…`])
      other.exec('ROLLBACK')
      // This process's own note: there (0600, its pid) while it writes, gone after.
      await inWriteTransaction(db, () => {
        const note = JSON.parse(readFileSync(`${path}-writer`, 'utf8')) as { pid: number }
        expect(note.pid).toBe(process.pid)
        expect((statSync(`${path}-writer`).mode & 0o777).toString(8)).toBe('600')
        insert(db, 'mine')
      })
      expect(existsSync(`${path}-writer`)).toBe(false)
      expect(names(db)).toEqual(['mine'])
    } finally {
      sleeper.kill()
      other.close()
      db.close()
    }
  })

  it('rolls back what a failing write did, and lets the next writer in', async () => {
    const path = join(tempDir(), 'gate.db')
    const db = openDatabase(path)
    const failing = inWriteTransaction(db, () => {
      insert(db, 'half')
      throw new Error('boom')
    })
    await expect(failing).rejects.toThrow('boom')
    expect(db.inTransaction).toBe(false)
    await inWriteTransaction(db, () => insert(db, 'next'))
    expect(names(db)).toEqual(['next'])
    db.close()
  })
})
