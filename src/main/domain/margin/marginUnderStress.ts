/**
 * A margin account under stress scenarios (account.ts revalued at each scenario's market shock): post-shock
 * equity, MM, IM, margin ratio, liquidated or not, and the shortfall beyond equity. The scenarios themselves
 * come from the stress engine's model (scenarioShock.ts).
 */
import { revalueAccount, type MarginAccount, type MarginRule, type MarketShock } from './account'

/** One row of the under-stress table. */
export interface ScenarioMargin {
  /** Post-shock cross equity, margin currency and USD. */
  equity: number
  equityUsd: number
  maintenanceMargin: number
  initialMargin: number
  marginRatio: number
  liquidated: boolean
  /** Beyond equity: what the insurance fund / ADL would absorb (margin currency and USD). */
  shortfall: number
  shortfallUsd: number
  /** Isolated positions liquidated in the scenario. */
  isolatedLiquidated: string[]
}

/**
 * The account under each scenario: post-shock equity (coin collateral falls with the coin in USD), MM,
 * margin ratio, whether it is liquidated, and the shortfall.
 * @throws MarginInputError as revalueAccount.
 */
export function marginUnderScenarios(account: MarginAccount, rule: MarginRule, scenarios: readonly MarketShock[]): ScenarioMargin[] {
  return scenarios.map((s) => {
    const v = revalueAccount(account, rule, s)
    return {
      equity: v.equity,
      equityUsd: v.equityUsd,
      maintenanceMargin: v.maintenanceMargin,
      initialMargin: v.initialMargin,
      marginRatio: v.marginRatio,
      liquidated: v.liquidated,
      shortfall: v.shortfall,
      shortfallUsd: v.shortfallUsd,
      isolatedLiquidated: v.positions.filter((p) => p.isolated && p.isolatedMarginRatio! >= 1).map((p) => p.id),
    }
  })
}

/**
 * Scenarios of the stress engine's current model (one relative spot shock for every underlying, one
 * absolute vol shock; revaluationKernel.ts `PackedScenarios`) as margin shocks.
 * @param spotShock relative (−0.3 = −30%); volShock decimal (0.1 = +10 vol points)
 */
export function shocksFromStressScenarios(
  scenarios: { n: number; spotShock: ArrayLike<number>; volShock: ArrayLike<number> },
  underlyings: readonly string[],
  volFloor = 0.01,
): MarketShock[] {
  const out: MarketShock[] = []
  for (let i = 0; i < scenarios.n; i++) {
    const s = scenarios.spotShock[i]!
    out.push({ spot: Object.fromEntries(underlyings.map((u) => [u, s])), vol: scenarios.volShock[i]!, volFloor })
  }
  return out
}
