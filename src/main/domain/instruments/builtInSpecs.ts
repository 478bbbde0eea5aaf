/**
 * The built-in contract-spec table, `resources/contract-specs.json`, bundled with the code (no I/O at run
 * time). Venue parsers use it when the caller passes no table of its own.
 */
import table from '../../../../resources/contract-specs.json' with { type: 'json' }
import { parseContractSpecTable, type ContractSpecTable } from './contractSpecs'

/** Validated once at load: a malformed built-in table is a programming error and fails loudly. */
export const BUILT_IN_SPECS: ContractSpecTable = parseContractSpecTable(table, 'resources/contract-specs.json')
