/**
 * Opens the SQLite database (better-sqlite3): WAL journal, foreign keys on, busy timeout, and every pending
 * migration applied. The only module that knows the file is SQLite.
 */
import { mkdirSync } from 'node:fs'
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
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const db = new BetterSqlite3(path)
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  migrate(db)
  return db
}
