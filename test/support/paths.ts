/** Paths tests use: the repo, the shared real data beside it, fixtures, temp databases, test output. */
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO = fileURLToPath(new URL('../../', import.meta.url))
/** shared/data/real beside the repository (DESIGN.md: CI runs with ../shared beside the clone). */
export const REAL = join(REPO, '..', 'shared', 'data', 'real')
export const CHAIN_2020_05_14 = join(REAL, 'market', 'deribit_btc_option_chain_2020-05-14_schepal.csv')
export const DERIBIT_POSITIONS = join(REAL, 'deribit', 'deribit_get_positions_future_docs_example.json')
export const FIXTURES = join(REPO, 'test', 'fixtures')
export const TEST_OUTPUT = join(REPO, 'test-output')

/** A fresh directory for one test's database and files. */
export function tempDir(prefix = 'riskdesk-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export function testOutputDir(): string {
  mkdirSync(TEST_OUTPUT, { recursive: true })
  return TEST_OUTPUT
}

/** The importers' fixtures (good and broken files per format). */
export const IMPORT_FIXTURES = join(FIXTURES, 'importers')
