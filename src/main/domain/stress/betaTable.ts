/**
 * How underlyings follow a scenario's driver: relative move of `underlying` = beta × relative move of the
 * driver, unless the scenario gives the underlying's move itself.
 *
 * Defaults (as of 2025-12-31): OLS betas of daily log returns, 2021-01-01 … 2025-12-31 (1,825 days), from the
 * Binance BTCUSDT and ETHUSDT daily closes in shared/data/real/market (CryptoDataDownload files):
 * ETH on BTC 1.10 (correlation 0.81, daily σ BTC 3.07 %, ETH 4.14 %), BTC on ETH 0.60. A user edits the
 * table (stress settings); an underlying missing from it moves 1:1 with the driver, and the run reports
 * that assumption. USD stablecoins do not follow a crypto driver (beta 0): they move only when a scenario
 * names them (a de-peg, `byUnderlying: { USDT: -0.05 }`); USD, the numeraire, never moves.
 */
import { isStablecoin, NUMERAIRE } from '../../../shared/currencies'

/** betas[driver][underlying]: relative move of the underlying per unit relative move of the driver. */
export type BetaTable = Record<string, Record<string, number>>

export const DEFAULT_BETAS_AS_OF = '2025-12-31'
export const DEFAULT_BETAS: BetaTable = {
  BTC: { ETH: 1.1 },
  ETH: { BTC: 0.6 },
}

export interface ResolvedSpotShock {
  /** Relative move, > −1. */
  shock: number
  /** Set when the move rests on the default 1:1 assumption (no explicit move, no beta in the table). */
  assumption: string | null
}

/**
 * The relative move of `underlying` in a scenario.
 * @param spot the scenario's spot block: driver, driver shock, explicit moves
 * @param betas beta table (driver → underlying → beta)
 */
export function resolveSpotShock(
  spot: { driver: string; shock: number; byUnderlying: Record<string, number> },
  underlying: string,
  betas: BetaTable,
): ResolvedSpotShock {
  if (underlying.toUpperCase() === NUMERAIRE) return { shock: 0, assumption: null }
  const explicit = spot.byUnderlying[underlying]
  if (explicit !== undefined) return { shock: explicit, assumption: null }
  if (isStablecoin(underlying) && underlying !== spot.driver) return { shock: 0, assumption: null }
  if (underlying === spot.driver) return { shock: spot.shock, assumption: null }
  const beta = betas[spot.driver]?.[underlying]
  if (beta !== undefined) return { shock: Math.max(beta * spot.shock, -0.999999), assumption: null }
  return {
    shock: spot.shock,
    assumption: spot.shock === 0 ? null : `${underlying} moved 1:1 with ${spot.driver} (no beta in the table)`,
  }
}

/**
 * The relative move of `underlying` in a scenario, stablecoin values included: a stablecoin the scenario values
 * (`stablecoins: { USDC: 0.97 }`) moves by value − 1 (−3 %) from par; anything else as `resolveSpotShock`. The
 * one resolver of every consumer (stress packing, margin under stress), so a de-peg moves a stablecoin balance
 * in the stress P&L and in margin alike.
 */
export function resolveScenarioShock(
  scenario: { spot: { driver: string; shock: number; byUnderlying: Record<string, number> }; stablecoins?: Record<string, number> },
  underlying: string,
  betas: BetaTable,
): ResolvedSpotShock {
  const usd = scenario.stablecoins?.[underlying.toUpperCase()]
  if (usd !== undefined) return { shock: usd - 1, assumption: null }
  return resolveSpotShock(scenario.spot, underlying, betas)
}
