/**
 * Saved column mappings, by name. The definition is stored as JSON; its shape is validated by the service
 * (src/shared/importApi.ts `columnMapping`) before it is saved and after it is read.
 */
import type { Db } from './database'

export interface StoredMapping {
  name: string
  target: 'positions' | 'balances' | 'trades'
  definition: unknown
  createdAt: number
  updatedAt: number
}

const toStored = (r: Record<string, string | number>): StoredMapping => ({
  name: r.name as string,
  target: r.target as StoredMapping['target'],
  definition: JSON.parse(r.definition as string) as unknown,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
})

/** Every saved mapping, by name (definitions as stored, not yet validated). */
export function listMappings(db: Db): StoredMapping[] {
  return db.prepare<[], Record<string, string | number>>('SELECT * FROM column_mappings ORDER BY name').all().map(toStored)
}

/** The mapping saved under `name`, or null. */
export function getMapping(db: Db, name: string): StoredMapping | null {
  const r = db.prepare<[string], Record<string, string | number>>('SELECT * FROM column_mappings WHERE name = ?').get(name)
  return r ? toStored(r) : null
}

/** Inserts or replaces the mapping of this name. */
export function saveMapping(db: Db, name: string, target: StoredMapping['target'], definition: unknown, now: number): void {
  db.prepare(
    `INSERT INTO column_mappings (name, target, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET target = excluded.target, definition = excluded.definition, updated_at = excluded.updated_at`,
  ).run(name, target, JSON.stringify(definition), now, now)
}

/** Deletes the mapping of this name; false when there was none. */
export function deleteMapping(db: Db, name: string): boolean {
  return db.prepare('DELETE FROM column_mappings WHERE name = ?').run(name).changes === 1
}
