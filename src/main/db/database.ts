/**
 * Opens the SQLite database (better-sqlite3): WAL journal, foreign keys on, a short busy timeout (writers wait
 * their turn at the write gate, writeGate.ts, not in SQLite's sleeping busy handler), and every pending
 * migration applied. The file is readable by its owner only (0600; SQLite gives its -wal and -shm files the
 * database file's mode). The only module that knows the file is SQLite.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { MIGRATIONS, type Migration } from './migrations'

export type Db = BetterSqlite3.Database

/** Thrown when the file was written by a newer Riskdesk (its schema version is unknown here). */
export class SchemaTooNewError extends Error {
  constructor(path: string, found: number, known: number) {
    super(`${path} has schema version ${found}, newer than this Riskdesk knows (${known}); upgrade Riskdesk`)
    this.name = 'SchemaTooNewError'
  }
}

/** Applies the migrations above the database's `user_version`, each in its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number
  const latest = migrations.at(-1)?.version ?? 0
  if (current > latest) throw new SchemaTooNewError(db.name, current, latest)
  for (const m of migrations.filter((m) => m.version > current)) {
    db.transaction(() => {
      db.exec(m.sql)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
  return latest
}

/**
 * Opens (creating if needed) the database at `path`, or an in-memory one for `:memory:`.
 * @throws SchemaTooNewError, or better-sqlite3's error when the file is not a database.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') createPrivate(path)
  const db = new BetterSqlite3(path)
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
  if (path !== ':memory:') for (const suffix of ['-wal', '-shm']) if (existsSync(path + suffix)) privateMode(path + suffix)
  migrate(db)
  return db
}

/**
 * SQLite's own busy wait, ms: only for the short locks readers and a commit's checkpoint may meet. Writers
 * take the write lock through the write gate (writeGate.ts), which waits from timers; a write that bypasses
 * it fails after this instead of holding its thread for seconds.
 */
export const BUSY_TIMEOUT_MS = 200

/** The database and its -wal/-shm files: read and write for the owner only (a book is private data). */
export const PRIVATE_FILE_MODE = 0o600

/**
 * Creates the database file (and its folder, 0700) before SQLite opens it, so that it is born 0600 whatever
 * the umask (SQLite's -wal and -shm files take the database file's mode); an existing file is set to 0600.
 */
function createPrivate(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  try {
    closeSync(openSync(path, 'wx', PRIVATE_FILE_MODE))
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
  }
  privateMode(path)
}

/** Sets 0600 (the umask may have taken bits off; an older file may be wider). A file of another user is left as it is. */
function privateMode(path: string): void {
  try {
    chmodSync(path, PRIVATE_FILE_MODE)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw e
  }
}
