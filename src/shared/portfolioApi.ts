/**
 * API schema of portfolio management: rename and delete a portfolio, remove positions or a whole import from
 * a book (services/portfolioService.ts). Each call is one transaction; what it removes is recorded in the import
 * history (importApi.ts `importHistoryEntry.removals` / `removedAt`), never silently forgotten. Market-wide data
 * (option chains, price history, tier tables), scenario sets and other portfolios are never touched. Times
 * ISO-8601 UTC.
 */
import { z } from 'zod'

const portfolioName = z.string().trim().min(1).max(100)

/** Rows taken out of the database, per kind (the same kinds as an import's `counts`). */
export const removedRows = z.object({
  positions: z.number().int(),
  balances: z.number().int(),
  fills: z.number().int(),
  ledgerEntries: z.number().int(),
  /** Market quotes of the portfolio's own imports (a venue position dump's marks), never a shared chain's. */
  quotes: z.number().int(),
  closes: z.number().int(),
})
export type RemovedRows = z.infer<typeof removedRows>

/** One removal as the import history shows it. */
export const importRemoval = z.object({
  removedAt: z.string(),
  /** `import`: the import was removed; `portfolio`: its portfolio was deleted; `positions`: some of its positions were removed. */
  action: z.enum(['import', 'portfolio', 'positions']),
  /** What was removed, in words (`BTC-PERPETUAL in deribit/main`, `portfolio "desk"`…). */
  what: z.string(),
  rows: removedRows,
})
export type ImportRemoval = z.infer<typeof importRemoval>

export const renamePortfolioRequest = z.object({ from: portfolioName, to: portfolioName })
export const renamedPortfolio = z.object({ id: z.number().int(), name: z.string(), previousName: z.string() })

export const deletePortfolioRequest = z.object({ name: portfolioName })
export const deletedPortfolio = z.object({
  name: z.string(),
  /** Imports of the portfolio that were removed with it (each recorded in the history). */
  imports: z.number().int(),
  removed: removedRows,
  /** Saved stress runs of the portfolio removed with it. */
  stressRuns: z.number().int(),
})

/**
 * Positions to take out of a portfolio's current book: by row id (getPositions' `id` of `position` rows), or
 * every position in one instrument (the venue's own name), optionally of one account (and venue). Exactly one
 * of `positionIds` and `instrument` is given. Only positions of the current book can be removed; an id that is
 * not in it fails the whole call (nothing removed).
 */
export const removePositionsRequest = z
  .object({
    /** Portfolio name; omitted = the most recently imported portfolio. */
    portfolio: portfolioName.optional(),
    positionIds: z.array(z.number().int().positive()).min(1).max(100_000).optional(),
    instrument: z.string().trim().min(1).optional(),
    account: z.string().trim().min(1).optional(),
    venue: z.string().trim().min(1).optional(),
  })
  .refine((r) => (r.positionIds === undefined) !== (r.instrument === undefined), {
    message: 'give either positionIds or instrument (with optional account and venue), not both',
  })
  .refine((r) => r.instrument !== undefined || (r.account === undefined && r.venue === undefined), {
    message: 'account and venue select positions of an instrument: give instrument too',
  })

export const removedPositions = z.object({
  portfolio: z.string(),
  /** The positions removed, as they were. Quantities are decimal strings in the instrument's quantity unit. */
  positions: z.array(z.object({ id: z.number().int(), venue: z.string(), account: z.string(), instrument: z.string(), quantity: z.string(), importId: z.number().int() })),
  /** Positions left in the portfolio's current book. */
  positionsLeft: z.number().int(),
})

export const removeImportRequest = z.object({ importId: z.number().int().positive() })
export const removedImport = z.object({
  importId: z.number().int(),
  fileName: z.string(),
  portfolio: z.string(),
  removed: removedRows,
  /**
   * Positions in the portfolio's current book before and after. Removing an account's latest import brings back
   * what its previous import held for that account (the book is per account the latest import that speaks for it).
   */
  positionsBefore: z.number().int(),
  positionsAfter: z.number().int(),
})

/** The portfolio calls; api.ts merges them into the contract. */
export const portfolioCalls = {
  renamePortfolio: { input: renamePortfolioRequest, output: renamedPortfolio },
  deletePortfolio: { input: deletePortfolioRequest, output: deletedPortfolio },
  removePositions: { input: removePositionsRequest, output: removedPositions },
  removeImport: { input: removeImportRequest, output: removedImport },
} as const
