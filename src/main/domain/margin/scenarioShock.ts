/**
 * A stress-engine scenario (src/shared/scenario.ts) as a margin `MarketShock`, resolved exactly as the stress
 * kernel resolves it (revaluationKernel.ts), so margin under stress and the stress P&L agree:
 *  - spot: per underlying (and per collateral coin) by the beta table and the scenario's stablecoin values,
 *    `resolveScenarioShock` (betaTable.ts);
 *  - vol: the scenario's vol shock per underlying — absolute points or relative, parallel or term-scaled with
 *    DTE measured before the time shift, floored (`shockVol`, volShock.ts); under sticky-moneyness the base
 *    vol first moves along the option's SVI smile, σ₀ + w(ln K/F₁) − w(ln K/F₀), as in the kernel;
 *  - time: `timeShiftDays`;
 *  - oracle lag (`scenario.oracle`): for an account at an oracle-marked venue (oracleVenues.ts) the spot moves
 *    become the moves of the price that venue marks and liquidates on (`venuePriceMoves`); other venues take the
 *    market moves. Stablecoin values (`scenario.stablecoins`, a de-peg) move at every venue.
 * What the margin model does not apply is reported, never dropped silently: a basis shock (the kernel moves a
 * dated future by e^(b·T); margin moves it with spot), perpetual funding over the shift, close-out costs
 * (margin is at marks), and "at expiry" scenarios (returned as not valued).
 *
 * Pure; float64.
 */
import type { Scenario } from '../../../shared/scenario'
import { resolveScenarioShock, type BetaTable } from '../stress/betaTable'
import { smileVol, type SmileSlice } from '../stress/smileSlice'
import { shockVol } from '../stress/volShock'
import type { MarketShock } from './account'
import { DAYS_PER_YEAR, daysToYears } from '../time'
import { venuePriceMoves } from './oracleVenues'

/** The smile of the stress engine (domain/stress/smileSlice.ts), under the names margin exports. */
export type SviSlice = SmileSlice
export const sviVol = smileVol

/** An option of the account, for the vol hook: where it sits and its smile (sticky-moneyness). */
export interface ShockOption {
  underlying: string
  /** Strike, USD. */
  strike: number
  /** Years to expiry before the shift. */
  T: number
  /** Current forward, USD. */
  forward: number
  smile: SviSlice | null
}

export interface ScenarioShock {
  /** Null when the scenario cannot be valued by the margin model (`notValued` says why). */
  shock: MarketShock | null
  notValued: string | null
  /** Relative move per coin of the price the account's venue margins on (the market's unless `basis` is `oracle`). */
  spot: Record<string, number>
  /** Relative market move per coin (what the stress P&L uses). */
  marketSpot: Record<string, number>
  /** `oracle`: the venue marks on its lagging oracle in this scenario (`venueNote` says how); else `market`. */
  basis: 'market' | 'oracle'
  venueNote: string | null
  /** Parts of the scenario the margin model leaves out, one sentence each. */
  notApplied: string[]
  /** Assumptions made resolving moves (an underlying without a beta moved 1:1). */
  assumptions: string[]
}

/**
 * The margin shock of one scenario.
 * @param coins every coin whose price matters: position underlyings and collateral currencies
 * @param options the account's options (for the vol hook); an option not found by (underlying, strike, T) is
 *   shocked without its smile
 * @param venue the account's venue, for the oracle lag; omitted = the market's prices
 * @throws RangeError when a resolved spot move is ≤ −100 %
 */
export function marketShockFromScenario(scenario: Scenario, coins: readonly string[], betas: BetaTable, options: readonly ShockOption[] = [], venue?: string): ScenarioShock {
  const marketSpot: Record<string, number> = {}
  const assumptions: string[] = []
  for (const c of coins) {
    const r = resolveScenarioShock(scenario, c, betas)
    if (!(r.shock > -1)) throw new RangeError(`scenario "${scenario.name}": ${c} would move ${r.shock * 100}%, expected more than −100%`)
    marketSpot[c] = r.shock
    if (r.assumption) assumptions.push(r.assumption)
  }
  const priced = venuePriceMoves(marketSpot, venue === undefined ? null : (scenario.oracle ?? null), venue ?? '')
  const spot = priced.moves
  const basis = priced.basis
  const venueNote = priced.note
  const notApplied: string[] = []
  if (scenario.basisShock !== 0) notApplied.push(`basis shock ${scenario.basisShock} (dated futures move with spot in margin)`)
  if (scenario.fundingRate8h !== null && scenario.fundingRate8h !== 0 && scenario.timeShiftDays > 0)
    notApplied.push(`funding ${scenario.fundingRate8h} per 8 h over ${scenario.timeShiftDays} days`)
  if (scenario.atExpiry)
    return { shock: null, notValued: 'options at their own expiry: not valued by the margin model', spot, marketSpot, basis, venueNote, notApplied, assumptions }
  const v = scenario.vol
  const days = scenario.timeShiftDays
  const relative = v.mode === 'relative'
  const ts = v.termScaling
  const floor = v.floor / 100
  const sticky = v.rule === 'sticky-moneyness'
  const byUnderlying = new Map<string, ShockOption[]>()
  for (const o of options) byUnderlying.set(o.underlying, [...(byUnderlying.get(o.underlying) ?? []), o])
  const find = (u: string, K: number, T0: number): ShockOption | null => {
    let best: ShockOption | null = null
    for (const o of byUnderlying.get(u) ?? []) if (o.strike === K && (best === null || Math.abs(o.T - T0) < Math.abs(best.T - T0))) best = o
    return best
  }
  const shock: MarketShock = {
    spot,
    days,
    volFloor: floor,
    volFor: (u, T1, K, sigma, F1) => {
      const T0 = T1 + daysToYears(days)
      let base = sigma
      if (sticky) {
        const o = find(u, K, T0)
        if (o?.smile) base += sviVol(o.smile, Math.log(K / F1)) - sviVol(o.smile, Math.log(K / o.forward))
      }
      const size = v.byUnderlying[u] ?? v.size
      return shockVol(base, T0 * DAYS_PER_YEAR, size, relative, ts?.refDays ?? 0, ts?.powerShort ?? 0, ts?.powerLong ?? 0, ts?.splitDays ?? 0, floor)
    },
  }
  return { shock, notValued: null, spot, marketSpot, basis, venueNote, notApplied, assumptions }
}

/** The vol shock of a scenario in words: `+20 pts`, `+50 % (relative)`, with `term-scaled` and `sticky-moneyness`. */
export function describeVolShock(scenario: Scenario): string {
  const v = scenario.vol
  const fmt = (x: number) => `${x > 0 ? '+' : ''}${Number(x.toFixed(4))}`
  const base = v.mode === 'relative' ? `${fmt(v.size * 100)} % of vol` : `${fmt(v.size)} pts`
  const by = Object.entries(v.byUnderlying).map(([u, x]) => `${u} ${v.mode === 'relative' ? `${fmt(x * 100)} %` : `${fmt(x)} pts`}`)
  const parts = [by.length > 0 ? `${base} (${by.join(', ')})` : base]
  if (v.termScaling) parts.push(`term-scaled (${v.termScaling.refDays}/DTE)^${v.termScaling.powerShort}/${v.termScaling.powerLong}`)
  if (v.rule === 'sticky-moneyness') parts.push('sticky-moneyness')
  return parts.join(', ')
}
