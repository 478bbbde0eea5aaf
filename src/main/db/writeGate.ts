/**
 * The write gate: one writer at a time per database file, and a writer that has to wait does so without
 * holding its thread.
 *
 * SQLite lets one connection write at a time (in WAL mode readers never wait: they read the last commit).
 * A second writer meets SQLITE_BUSY; SQLite's own busy handler then sleeps *synchronously* (up to the
 * connection's busy_timeout), which in a host freezes the event loop — every other web or IPC call waits —
 * and ends in a bare "database is locked". Here instead:
 *
 *  - writers of this process queue per database file (in-process, in the order they asked);
 *  - the writer at the head tries `BEGIN IMMEDIATE` with busy_timeout 0 (the attempt never sleeps); while
 *    another process holds the write lock it retries from timers, 10 ms doubling to 250 ms between tries, and
 *    says once, through the wait listener, that it waits (the CLI prints it on stderr);
 *  - after WRITE_WAIT_LIMIT_MS (60 s) it gives up with DatabaseBusyError naming the file.
 *
 * The holder notes who it is beside the database (`FILE-writer`, 0600: the command, its pid, since when) and
 * removes the note when it ends, so a waiting writer can name the other one; a note whose process is gone
 * (killed) is ignored.
 *
 * The work then runs inside that transaction (an inner `db.transaction()` becomes a savepoint) and is
 * committed when it returns, rolled back when it throws; work that ends the transaction itself (the import
 * pipeline commits or rolls back its own) is left as it ended it.
 */
import { chmodSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import type { Db } from './database'

/** How long a writer waits for another process's write to end before DatabaseBusyError, ms. */
export const WRITE_WAIT_LIMIT_MS = 60_000

const FIRST_RETRY_MS = 10
const MAX_RETRY_MS = 250

/** Thrown when another writer held the database for longer than the wait limit; nothing was written. */
export class DatabaseBusyError extends Error {
  constructor(
    readonly file: string,
    readonly waitedMs: number,
    /** The other writer as it noted itself (command, pid), when it did. */
    readonly otherWriter: string | null = null,
  ) {
    super(
      `another writer${otherWriter ? ` (${otherWriter})` : ''} is still using the database ${file} after ${Math.round(waitedMs / 1000)} s of waiting; ` +
        'nothing was written: try again when the other import or save has finished',
    )
    this.name = 'DatabaseBusyError'
  }
}

export interface WriteGateOptions {
  /** Give up after this many ms of waiting (default WRITE_WAIT_LIMIT_MS). */
  limitMs?: number
  /** Told once when the writer has to wait for another process (default: the process-wide listener). */
  onWait?: (message: string) => void
}

let waitListener: (message: string) => void = () => {}
let writerName = 'a Riskdesk process'

/** Sets the process-wide listener told when a writer waits for another process (the CLI: stderr). */
export function setWriteWaitListener(listener: (message: string) => void): void {
  waitListener = listener
}

/** Names this process in the note other writers read while it holds the lock (e.g. `riskdesk import trades.csv`). */
export function setWriterName(name: string): void {
  writerName = name.slice(0, 120)
}

/** The message a waiting writer gives (also in docs/security.md). */
export function waitMessage(file: string, limitMs: number, otherWriter: string | null = null): string {
  return `another writer${otherWriter ? ` (${otherWriter})` : ''} is using the database ${file}; waiting for it to finish (at most ${Math.round(limitMs / 1000)} s)…`
}

const noteFile = (db: Db) => `${db.name}-writer`

/** Notes this process as the holder of the write lock (best effort: a note that cannot be written is no note). */
function noteHolder(db: Db): void {
  if (db.memory) return
  try {
    writeFileSync(noteFile(db), JSON.stringify({ pid: process.pid, what: writerName, since: Date.now() }), { mode: 0o600 })
    chmodSync(noteFile(db), 0o600) // a stale note left by a killed writer keeps its mode otherwise
  } catch {
    // A read-only folder: waiters then say "another writer" without a name.
  }
}

/** Removes this process's note (never another's). */
function clearNote(db: Db): void {
  if (db.memory) return
  try {
    if ((JSON.parse(readFileSync(noteFile(db), 'utf8')) as { pid?: unknown }).pid === process.pid) unlinkSync(noteFile(db))
  } catch {
    // No note, or not ours.
  }
}

/** The other holder as its note says (`riskdesk import x.csv, pid 123, for 4 s`), or null (no note, ours, or its process is gone). */
function otherWriter(db: Db): string | null {
  if (db.memory) return null
  try {
    const n = JSON.parse(readFileSync(noteFile(db), 'utf8')) as { pid: number; what: string; since: number }
    if (typeof n.pid !== 'number' || n.pid === process.pid) return null
    process.kill(n.pid, 0) // throws when the process is gone (a killed writer's note)
    return `${String(n.what).slice(0, 120)}, pid ${n.pid}, writing for ${Math.max(0, Math.round((Date.now() - n.since) / 1000))} s`
  } catch {
    return null
  }
}

/** The tail of each file's queue of writers in this process (in-memory databases: per connection). */
const queues = new Map<unknown, Promise<void>>()

const isBusy = (e: unknown) => {
  const code = (e as { code?: unknown }).code
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
}

/** `BEGIN IMMEDIATE` without SQLite's sleeping busy handler. @returns false when another connection writes */
function tryBegin(db: Db): boolean {
  const saved = db.pragma('busy_timeout', { simple: true }) as number
  db.pragma('busy_timeout = 0')
  try {
    db.exec('BEGIN IMMEDIATE')
    return true
  } catch (e) {
    if (isBusy(e)) return false
    throw e
  } finally {
    db.pragma(`busy_timeout = ${saved}`)
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Takes the write lock of `db` (BEGIN IMMEDIATE), waiting from timers. @throws DatabaseBusyError */
async function begin(db: Db, o: WriteGateOptions): Promise<void> {
  const limitMs = o.limitMs ?? WRITE_WAIT_LIMIT_MS
  const started = Date.now()
  let delay = FIRST_RETRY_MS
  let told = false
  while (!tryBegin(db)) {
    const waited = Date.now() - started
    if (waited >= limitMs) throw new DatabaseBusyError(db.name, waited, otherWriter(db))
    if (!told) {
      told = true
      ;(o.onWait ?? waitListener)(waitMessage(db.name, limitMs, otherWriter(db)))
    }
    await sleep(Math.min(delay, limitMs - waited))
    delay = Math.min(delay * 2, MAX_RETRY_MS)
  }
  noteHolder(db)
}

/**
 * Runs `work` as this process's one writer of `db`'s file, inside a write transaction begun once the file's
 * write lock is free (see the module comment); commits when it returns (rolls back when it throws), unless
 * the work ended the transaction itself. Called with a transaction already open on `db` (a write inside a
 * write), runs `work` in it.
 * @throws DatabaseBusyError after the wait limit; whatever `work` throws
 */
export async function inWriteTransaction<T>(db: Db, work: () => T | Promise<T>, o: WriteGateOptions = {}): Promise<T> {
  if (db.inTransaction) return work()
  const key = db.memory ? db : db.name
  const before = queues.get(key) ?? Promise.resolve()
  let release!: () => void
  const mine = new Promise<void>((resolve) => (release = resolve))
  const tail = before.then(() => mine)
  queues.set(key, tail)
  try {
    await before
    await begin(db, o)
    let value: T
    try {
      value = await work()
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK')
      throw e
    } finally {
      if (!db.inTransaction) clearNote(db)
    }
    try {
      if (db.inTransaction) db.exec('COMMIT')
    } finally {
      clearNote(db)
    }
    return value
  } finally {
    release()
    if (queues.get(key) === tail) queues.delete(key)
  }
}
