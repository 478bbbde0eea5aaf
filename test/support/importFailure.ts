import { expect } from 'vitest'
import { ImportFailedError, type ImportIssue } from '../../src/main/importers/core/importIssue'

/** Runs an import that must fail and returns its issues; fails the test when it succeeds or throws anything else. */
export function importIssuesOf(run: () => unknown): ImportIssue[] {
  try {
    run()
  } catch (e) {
    expect(e).toBeInstanceOf(ImportFailedError)
    return (e as ImportFailedError).issues
  }
  throw new Error('the import did not fail')
}
