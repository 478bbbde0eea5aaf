/**
 * Saved scenario sets and stress settings. Definitions are stored as JSON and validated with the shared zod
 * schemas when read, so a hand-edited row fails loudly instead of running a half-understood scenario.
 */
import { z } from 'zod'
import { scenarioSchema } from '../../shared/scenario'
import type { Db } from './database'

const storedSet = z.object({ name: z.string(), description: z.string().default(''), scenarios: z.array(scenarioSchema).min(1) })
export type StoredScenarioSet = z.infer<typeof storedSet>

export interface ScenarioSetSummary {
  name: string
  description: string
  scenarios: number
  /** ms since epoch UTC. */
  updatedAt: number
}

export function listScenarioSets(db: Db): ScenarioSetSummary[] {
  return db
    .prepare<[], { definition: string; updated_at: number }>('SELECT definition, updated_at FROM scenario_sets ORDER BY name')
    .all()
    .map((r) => {
      const d = JSON.parse(r.definition) as StoredScenarioSet
      return { name: d.name, description: d.description ?? '', scenarios: d.scenarios.length, updatedAt: r.updated_at }
    })
}

/** The saved set, or null. @throws ZodError when the stored JSON is no longer a valid set. */
export function getScenarioSet(db: Db, name: string): StoredScenarioSet | null {
  const row = db.prepare<[string], { definition: string }>('SELECT definition FROM scenario_sets WHERE name = ?').get(name)
  return row ? storedSet.parse(JSON.parse(row.definition)) : null
}

/** Inserts or replaces the set of that name. */
export function saveScenarioSet(db: Db, set: StoredScenarioSet, now: number): ScenarioSetSummary {
  db.prepare(
    `INSERT INTO scenario_sets (name, definition, created_at, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at`,
  ).run(set.name, JSON.stringify(set), now, now)
  return { name: set.name, description: set.description, scenarios: set.scenarios.length, updatedAt: now }
}

export function deleteScenarioSet(db: Db, name: string): boolean {
  return db.prepare('DELETE FROM scenario_sets WHERE name = ?').run(name).changes > 0
}

/** A stored setting's JSON value, or null. */
export function readSetting(db: Db, key: string): unknown {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM stress_settings WHERE key = ?').get(key)
  return row ? JSON.parse(row.value) : null
}

export function writeSetting(db: Db, key: string, value: unknown, now: number): void {
  db.prepare(
    `INSERT INTO stress_settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(key, JSON.stringify(value), now)
}
