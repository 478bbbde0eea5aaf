/**
 * The contract-spec table an import uses: the built-in one (resources/contract-specs.json, bundled) merged
 * with the user's own table when there is one — a file given explicitly (`--specs FILE`), else
 * RISKDESK_CONTRACT_SPECS, else `contract-specs.json` beside the database. The user's rows win ties, so a
 * user can both add instruments and correct built-in figures. Format: docs/importers.md.
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { BUILT_IN_SPECS } from '../domain/instruments/builtInSpecs'
import { ContractSpecTableError, mergeSpecTables, parseContractSpecTable, type ContractSpecTable } from '../domain/instruments/contractSpecs'
import { FileRefusedError, JsonFileError, readJsonFile } from './localFiles'

export const USER_SPECS_FILE = 'contract-specs.json'

/** Thrown by loadContractSpecs (re-exported so hosts need not reach into the domain). */
export { ContractSpecTableError }

/**
 * @param explicit a file the user named: it must exist
 * @param dbPath the database file; its directory may hold the user's `contract-specs.json`
 * @throws ContractSpecTableError for a missing explicit file or a malformed table (with its path)
 */
export function loadContractSpecs(explicit?: string, dbPath?: string, env: NodeJS.ProcessEnv = process.env): ContractSpecTable {
  const file = explicit ?? env.RISKDESK_CONTRACT_SPECS ?? (dbPath && dbPath !== ':memory:' ? join(dirname(dbPath), USER_SPECS_FILE) : undefined)
  if (!file) return BUILT_IN_SPECS
  if (!existsSync(file)) {
    if (explicit !== undefined || env.RISKDESK_CONTRACT_SPECS !== undefined) throw new ContractSpecTableError(file, ['file not found'])
    return BUILT_IN_SPECS
  }
  let value: unknown
  try {
    value = readJsonFile(file, { allowTrailingComma: true })
  } catch (e) {
    if (e instanceof FileRefusedError) throw new ContractSpecTableError(file, [e.message.slice(file.length + 2)])
    if (e instanceof JsonFileError) throw new ContractSpecTableError(file, e.message.split('\n'))
    throw e
  }
  return mergeSpecTables(BUILT_IN_SPECS, parseContractSpecTable(value, file))
}
