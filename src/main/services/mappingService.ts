/**
 * Column mappings: saved by name in the database, or read from a JSON file (CLI `--map FILE`), validated
 * with the contract's schema (src/shared/importApi.ts `columnMapping`) and turned into a format.
 */
import { existsSync } from 'node:fs'
import { basename } from 'node:path'
import { columnMapping, type ColumnMapping } from '../../shared/importApi'
import type { Db } from '../db/database'
import { deleteMapping, getMapping, listMappings, saveMapping } from '../db/mappingStore'
import type { CsvFormat } from '../importers/core/formatTypes'
import { ImportFailedError } from '../importers/core/importIssue'
import { mappedFormat, mappingProblems } from '../importers/venues/generic/mappedCsv'
import { FileRefusedError, JsonFileError, readJsonFile } from './localFiles'

/** Thrown for a mapping that does not exist or does not validate. */
export class MappingError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MappingError'
  }
}

/** Validates a mapping value. @throws MappingError naming each bad field */
export function parseMapping(value: unknown, origin: string): ColumnMapping {
  const parsed = columnMapping.safeParse(value)
  if (!parsed.success)
    throw new MappingError(`${origin}: not a column mapping: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`)
  const problems = mappingProblems(parsed.data)
  if (problems.length > 0) throw new MappingError(`${origin}: ${problems.join('; ')}`)
  return parsed.data
}

/**
 * A mapping by saved name, or from a JSON file when `nameOrFile` is an existing path.
 * @throws MappingError
 */
export function resolveMapping(db: Db, nameOrFile: string): { name: string; mapping: ColumnMapping } {
  const saved = getMapping(db, nameOrFile)
  if (saved) return { name: nameOrFile, mapping: parseMapping(saved.definition, `saved mapping "${nameOrFile}"`) }
  if (existsSync(nameOrFile)) {
    let value: unknown
    try {
      value = readJsonFile(nameOrFile, { allowTrailingComma: true })
    } catch (e) {
      if (e instanceof FileRefusedError || e instanceof JsonFileError) throw new MappingError(e.message)
      throw e
    }
    return { name: basename(nameOrFile), mapping: parseMapping(value, nameOrFile) }
  }
  const known = listMappings(db).map((m) => m.name)
  throw new MappingError(`no saved mapping "${nameOrFile}" and no such file; saved: ${known.length > 0 ? known.join(', ') : 'none'}`)
}

/** The format of a mapping. @throws ImportFailedError for an inconsistent mapping */
export function formatOfMapping(name: string, mapping: ColumnMapping, file: string): CsvFormat {
  return mappedFormat(mapping, name, file)
}

/** The saved mappings, each validated; `updatedAt` ms UTC. @throws MappingError for a stored mapping that no longer validates */
export function listSavedMappings(db: Db): Array<{ name: string; mapping: ColumnMapping; updatedAt: number }> {
  return listMappings(db).map((m) => ({ name: m.name, mapping: parseMapping(m.definition, `saved mapping "${m.name}"`), updatedAt: m.updatedAt }))
}

/** Saves (or replaces) a mapping. @throws MappingError when it does not validate */
export function saveNamedMapping(db: Db, name: string, value: unknown, now = Date.now()): { name: string; mapping: ColumnMapping; updatedAt: number } {
  const mapping = parseMapping(value, `mapping "${name}"`)
  saveMapping(db, name, mapping.target, mapping, now)
  return { name, mapping, updatedAt: now }
}

/** Deletes a saved mapping; false when there was none. */
export function deleteNamedMapping(db: Db, name: string): boolean {
  return deleteMapping(db, name)
}

export { ImportFailedError }
