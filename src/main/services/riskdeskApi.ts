/**
 * The service implementation of the API contract (src/shared/api.ts), and the one dispatcher every host
 * uses: it accepts only known call names and validates each input with the call's zod schema before any
 * work is done (DESIGN.md §2).
 */
import { api, apiNames, type ApiName, type RiskdeskApi } from '../../shared/api'
import { listPortfolios } from '../db/bookStore'
import type { Db } from '../db/database'
import type { StressPool } from '../engine/stressPool'
import { runStress } from './stressService'
import { valueBook } from './valuationService'

export interface ServiceContext {
  db: Db
  /** The process's stress pool, created on first use. */
  stressPool(): StressPool
}

export function createRiskdeskApi(ctx: ServiceContext): RiskdeskApi {
  return {
    listPortfolios: async () =>
      listPortfolios(ctx.db).map((p) => ({
        id: p.id,
        name: p.name,
        positions: p.positions,
        lastImportAt: p.lastImportAt === null ? null : new Date(p.lastImportAt).toISOString(),
      })),
    getPositions: async (input) => valueBook(ctx.db, input.portfolio).report,
    runStress: async (input) => runStress(ctx.db, ctx.stressPool(), input),
  }
}

/** Thrown for an unknown call name or an input that fails its schema; `status` suits an HTTP reply. */
export class ApiRequestError extends Error {
  readonly status = 400
  constructor(message: string) {
    super(message)
    this.name = 'ApiRequestError'
  }
}

export function isApiName(name: string): name is ApiName {
  return (apiNames as string[]).includes(name)
}

/**
 * Validates and runs one call.
 * @throws ApiRequestError for an unknown name or invalid input; otherwise whatever the call throws.
 */
export async function dispatch(impl: RiskdeskApi, name: string, rawInput: unknown): Promise<unknown> {
  if (!isApiName(name)) throw new ApiRequestError(`unknown call "${name}"; known: ${apiNames.join(', ')}`)
  const parsed = api[name].input.safeParse(rawInput ?? {})
  if (!parsed.success)
    throw new ApiRequestError(`invalid input for ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`)
  const call = impl[name] as (input: unknown) => Promise<unknown>
  return call(parsed.data)
}
