/**
 * Saved scenario sets and stress settings, for the CLI and the API: validated on the way in, ISO times out.
 */
import { savedSet, stressSettings, type StressSettings } from '../../shared/stressApi'
import type { Db } from '../db/database'
import * as store from '../db/scenarioStore'
import { loadStressSettings } from './stressService'

export interface SavedSetSummary {
  name: string
  description: string
  scenarios: number
  /** ISO-8601 UTC. */
  updatedAt: string
}

const summary = (s: store.ScenarioSetSummary): SavedSetSummary => ({ ...s, updatedAt: new Date(s.updatedAt).toISOString() })

export const listSavedSets = (db: Db): SavedSetSummary[] => store.listScenarioSets(db).map(summary)

/** Thrown when no saved scenario set has the name asked for. */
export class SavedSetNotFoundError extends Error {
  constructor(name: string) {
    super(`no saved scenario set named "${name.slice(0, 120)}" (riskdesk scenarios list shows the saved ones)`)
    this.name = 'SavedSetNotFoundError'
  }
}

/** @throws SavedSetNotFoundError when there is no saved set of that name */
export function getSavedSet(db: Db, name: string): store.StoredScenarioSet {
  const set = store.getScenarioSet(db, name)
  if (!set) throw new SavedSetNotFoundError(name)
  return set
}

/** Validates and saves (replacing a set of the same name). @throws ZodError for an invalid set */
export function saveSet(db: Db, set: unknown, now = Date.now()): SavedSetSummary {
  return summary(store.saveScenarioSet(db, savedSet.parse(set), now))
}

export const deleteSavedSet = (db: Db, name: string): boolean => store.deleteScenarioSet(db, name)

/** Validates and stores both tables. @throws ZodError for invalid settings */
export function saveStressSettings(db: Db, settings: unknown, now = Date.now()): StressSettings {
  const parsed = stressSettings.parse(settings)
  store.writeSetting(db, 'betas', parsed.betas, now)
  store.writeSetting(db, 'liquidity', parsed.liquidity, now)
  return loadStressSettings(db)
}

export { loadStressSettings }
