/**
 * Solves a linear programme with HiGHS (University of Edinburgh's LP/MIP solver, compiled to WebAssembly by the
 * `highs` package): minimise cᵀx subject to rowLower ≤ Ax ≤ rowUpper and colLower ≤ x ≤ colUpper, A in
 * compressed sparse columns. The WebAssembly module is compiled once per process, on first use (about half a
 * second), then every solve runs synchronously on the calling thread.
 *
 * The package is kept outside the CLI bundle (vite.cli.config.ts), so its loader finds `highs.wasm` beside its
 * own JavaScript in node_modules, from the sources and from out/cli alike.
 */
import loadHighs, { type Highs } from 'highs'
import type { HedgeProgramme } from '../domain/hedge/hedgeProblem'

let runtime: Promise<Highs> | null = null

/** The HiGHS runtime, loaded once. */
export function highsRuntime(): Promise<Highs> {
  runtime ??= loadHighs().catch((e: unknown) => {
    runtime = null
    throw new Error(`the LP solver (HiGHS, WebAssembly) could not be loaded: ${(e as Error).message}`)
  })
  return runtime
}

export interface LpResult {
  status: 'optimal' | 'infeasible' | 'unbounded' | 'failed'
  /** HiGHS's own status text when not optimal. */
  detail: string
  objective: number | null
  colValue: Float64Array
  rowValue: Float64Array
  colDual: Float64Array
  rowDual: Float64Array
  /** Wall time of the solve, ms (model load included, runtime load not). */
  solveMs: number
}

type LpData = Pick<HedgeProgramme, 'numCols' | 'numRows' | 'colCost' | 'colLower' | 'colUpper' | 'rowLower' | 'rowUpper' | 'starts' | 'indices' | 'values'>

/**
 * One programme held by HiGHS for several solves: after the first, a change of column bounds is solved again
 * from the previous basis (warm start), which the hedge's rounding does once per fixed leg. Dispose it.
 */
export class LpSession {
  private readonly model: ReturnType<Highs['createModel']>
  private readonly inf: number
  private readonly size: { numCols: number; numRows: number }

  constructor(
    private readonly highs: Highs,
    p: LpData,
  ) {
    this.inf = highs.infinity
    this.size = { numCols: p.numCols, numRows: p.numRows }
    const clamp = (a: Float64Array) => a.map((x) => this.finite(x))
    this.model = highs.createModel({
      numCols: p.numCols,
      numRows: p.numRows,
      colCost: p.colCost,
      colLower: clamp(p.colLower),
      colUpper: clamp(p.colUpper),
      rowLower: clamp(p.rowLower),
      rowUpper: clamp(p.rowUpper),
      matrix: { format: 'csc', numRows: p.numRows, numCols: p.numCols, starts: p.starts, indices: p.indices, values: p.values },
    })
    this.model.options.set({ output_flag: false })
  }

  private finite(x: number): number {
    return x === Infinity ? this.inf : x === -Infinity ? -this.inf : x
  }

  /** Sets one column's bounds for the next solve. */
  setColBounds(col: number, lower: number, upper: number): void {
    this.model.changeColBounds(col, this.finite(lower), this.finite(upper))
  }

  solve(): LpResult {
    const t0 = performance.now()
    const model = this.model
    model.run()
    const code = model.getModelStatus()
    const s = this.highs.constants.modelStatus
    // A model without columns (nothing to trade) is `empty`: its only point, x = (), is the optimum when its rows
    // admit 0 (the caller checks that first).
    if (code === s.empty) {
      const { numCols, numRows } = this.size
      return { status: 'optimal', detail: 'empty', objective: 0, colValue: new Float64Array(numCols), rowValue: new Float64Array(numRows), colDual: new Float64Array(numCols), rowDual: new Float64Array(numRows), solveMs: performance.now() - t0 }
    }
    const status: LpResult['status'] = code === s.optimal ? 'optimal' : code === s.infeasible ? 'infeasible' : code === s.unbounded ? 'unbounded' : 'failed'
    const name = Object.entries(s).find(([, v]) => v === code)?.[0] ?? String(code)
    const sol = status === 'optimal' ? model.getSolution() : null
    const empty = new Float64Array(0)
    return {
      status,
      detail: name,
      objective: sol ? model.getObjectiveValue() : null,
      colValue: sol?.colValue ?? empty,
      rowValue: sol?.rowValue ?? empty,
      colDual: sol?.colDual ?? empty,
      rowDual: sol?.rowDual ?? empty,
      solveMs: performance.now() - t0,
    }
  }

  dispose(): void {
    this.model.dispose()
  }
}

/** Solves `p` once (the runtime must have been loaded with highsRuntime). */
export function solveLp(highs: Highs, p: LpData): LpResult {
  const t0 = performance.now()
  const session = new LpSession(highs, p)
  try {
    const r = session.solve()
    return { ...r, solveMs: performance.now() - t0 }
  } finally {
    session.dispose()
  }
}
