/** Every row of every data table, as one string: two equal snapshots mean an unchanged database. */
import type { Db } from '../../src/main/db/database'

export function dataSnapshot(db: Db): string {
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all()
    .map((t) => t.name)
  return JSON.stringify(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all()]))
}
