/** Runs the revaluation kernel on the main thread for hand-built books and scenarios (unit tests). */
import type { Scenario, ScenarioInput } from '../../src/shared/scenario'
import { DEFAULT_BETAS, type BetaTable } from '../../src/main/domain/stress/betaTable'
import { DEFAULT_LIQUIDITY, type LiquidityTable } from '../../src/main/domain/stress/liquidityTable'
import { black76PriceUnchecked } from '../../src/main/domain/pricing/black76'
import { revalueScenarios } from '../../src/main/domain/stress/revaluationKernel'
import { makeScenario } from '../../src/main/domain/stress/scenarioSets'
import { packBook, type EnginePosition } from '../../src/main/engine/packBook'
import { packScenarios } from '../../src/main/engine/packScenarios'
import { allocateOutput } from '../../src/main/engine/stressPool'

export function scenario(partial: Partial<ScenarioInput>): Scenario {
  return makeScenario({ name: 'test', ...partial } as ScenarioInput & { name: string })
}

/**
 * Hand-built option inputs (`inputs()` below, mark source `test`) carry the option's Black-76 value as the
 * venue's mark — in coin for inverse options — as a real chain's mark would be.
 */
function withModelMarks(positions: EnginePosition[]): EnginePosition[] {
  return positions.map((p) => {
    const { instrument: ins, inputs: m } = p
    if (ins.kind !== 'option' || m.markSource !== 'test') return p
    const v = black76PriceUnchecked(ins.optionType === 'call', m.underlying, ins.strike!, m.T!, m.sigma!)
    return { ...p, inputs: { ...m, mark: ins.settlement === 'inverse' ? v / m.underlying : v } }
  })
}

export function runKernel(
  hand: EnginePosition[],
  scenarios: Scenario[],
  options: { liquidity?: boolean; betas?: BetaTable; table?: LiquidityTable } = {},
) {
  const positions = withModelMarks(hand)
  const packed = packBook(positions, { liquidity: options.table ?? DEFAULT_LIQUIDITY })
  const sc = packScenarios(scenarios, packed.underlyings, options.betas ?? DEFAULT_BETAS).scenarios
  const n = positions.length
  const out = allocateOutput(sc.n, packed.underlyings.length, n, n)
  const groupId = Float64Array.from(positions, (_, i) => i)
  revalueScenarios(packed.book, sc, 0, sc.n, { liquidity: options.liquidity ?? false, impactY: (options.table ?? DEFAULT_LIQUIDITY).impactY, groupId, nGroups: n }, out)
  const perPosition = (k: number) => Array.from({ length: n }, (_, i) => out.groupPnlUsd[k * n + i]!)
  const coin = (k: number, u: string) => out.pnlCoin[k * packed.underlyings.length + packed.underlyings.indexOf(u)]!
  return { out, underlyings: packed.underlyings, perPosition, coin }
}

/** Market inputs for a hand-built position (USD prices, decimal vol, years). */
export const inputs = (index: number, underlying: number, sigma: number | null = null, T: number | null = null, asOfMs = 0) => ({
  index,
  underlying,
  sigma,
  T,
  mark: underlying,
  markSource: 'test',
  asOfMs,
})
