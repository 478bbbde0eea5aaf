import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveDbPath, userDataDir } from '../../src/main/db/dataDir'
import { migrate, openDatabase, SchemaTooNewError } from '../../src/main/db/database'
import { MIGRATIONS } from '../../src/main/db/migrations'
import { tempDir } from '../support/paths'

describe('database', () => {
  it('opens a real file in WAL mode with foreign keys on and every migration applied', () => {
    const path = join(tempDir(), 'sub', 'riskdesk.db')
    const db = openDatabase(path)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version)
    expect(() => db.prepare('INSERT INTO positions (import_id, account_id, instrument_id, quantity, entry_price, source_line) VALUES (99, 99, 99, 1, 1, 1)').run()).toThrow(/FOREIGN KEY/)
    db.close()
    // reopening applies nothing twice
    const again = openDatabase(path)
    expect(migrate(again)).toBe(MIGRATIONS.at(-1)!.version)
    again.close()
  })

  it('creates the database, its WAL and its shared-memory file readable and writable by the owner only (0600)', () => {
    const dir = tempDir()
    // What the process's umask gives a plain new file here (typically 0644: group and others may read).
    writeFileSync(join(dir, 'plain.txt'), 'x')
    const plain = statSync(join(dir, 'plain.txt')).mode & 0o777
    const path = join(dir, 'riskdesk.db')
    const db = openDatabase(path)
    db.prepare('INSERT INTO portfolios (name, created_at) VALUES (?, ?)').run('p', 0) // a write, so the -wal has content
    for (const f of [path, `${path}-wal`, `${path}-shm`]) expect({ f, mode: (statSync(f).mode & 0o777).toString(8) }).toEqual({ f, mode: '600' })
    db.close()
    // An older file created wider (as the umask had it) is narrowed when opened.
    const old = join(dir, 'old.db')
    writeFileSync(old, '')
    expect((statSync(old).mode & 0o777).toString(8)).toBe(plain.toString(8))
    openDatabase(old).close()
    expect((statSync(old).mode & 0o777).toString(8)).toBe('600')
  })

  it('refuses a database written by a newer Riskdesk', () => {
    const path = join(tempDir(), 'riskdesk.db')
    const db = openDatabase(path)
    db.pragma('user_version = 999')
    db.close()
    expect(() => openDatabase(path)).toThrow(SchemaTooNewError)
  })

  it('puts the default file where the desktop app keeps its data (Electron userData) unless overridden', () => {
    expect(userDataDir({ XDG_CONFIG_HOME: '/x/cfg' }, 'linux')).toBe('/x/cfg/Riskdesk')
    expect(userDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toMatch(/Roaming[\\/]Riskdesk$/)
    expect(userDataDir({}, 'darwin')).toMatch(/Library[\\/]Application Support[\\/]Riskdesk$/)
    expect(resolveDbPath('/a/b.db', { RISKDESK_DB: '/c/d.db' })).toBe('/a/b.db')
    expect(resolveDbPath(undefined, { RISKDESK_DB: '/c/d.db' })).toBe('/c/d.db')
  })
})
