/** Runs the revaluation kernel on the main thread for hand-built books and scenarios (unit tests). */
import type { Scenario, ScenarioInput } from '../../src/shared/scenario'
import { DEFAULT_BETAS, type BetaTable } from '../../src/main/domain/stress/betaTable'
import { DEFAULT_LIQUIDITY, type LiquidityTable } from '../../src/main/domain/stress/liquidityTable'
import { revalueScenarios } from '../../src/main/domain/stress/revaluationKernel'
import { makeScenario } from '../../src/main/domain/stress/scenarioSets'
import { packBook, type EnginePosition } from '../../src/main/engine/packBook'
import { packScenarios } from '../../src/main/engine/packScenarios'
import { allocateOutput } from '../../src/main/engine/stressPool'

export function scenario(partial: Partial<ScenarioInput>): Scenario {
  return makeScenario({ name: 'test', ...partial } as ScenarioInput & { name: string })
}

export function runKernel(
  positions: EnginePosition[],
  scenarios: Scenario[],
  options: { liquidity?: boolean; betas?: BetaTable; table?: LiquidityTable } = {},
) {
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
