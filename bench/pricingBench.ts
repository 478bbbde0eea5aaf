/**
 * Pricing core throughput, single thread: Black-76 price + delta + gamma + vega evaluations per second on
 * 1,000,000 random crypto-like inputs (T log-uniform 1 hour–2 years, σ uniform 20%–200%, K/F log-uniform
 * 0.5–2, calls and puts), beside a minimal reference kernel run in the same process on the same inputs
 * (textbook formulas, Abramowitz–Stegun 26.2.17 normal CDF, three Math.exp per option: the shape of the
 * fastest npm Black-Scholes packages), plus implied-volatility solves per second.
 */
import { Bench } from 'tinybench'
import { black76, black76GreeksBatch, black76PriceFromLogMoneyness, black76PriceUnchecked } from '../src/main/domain/pricing/black76'
import { tryImpliedVolBlack76 } from '../src/main/domain/pricing/impliedVol'

const N = 1_000_000
const N_IV = 100_000

/** Deterministic inputs (a 32-bit LCG, so every run times the same options). */
function inputs(n: number) {
  let seed = 20200514
  const u = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296
  const isCall = new Float64Array(n)
  const F = new Float64Array(n)
  const K = new Float64Array(n)
  const T = new Float64Array(n)
  const sigma = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    isCall[i] = u() < 0.5 ? 1 : 0
    F[i] = 1000 + 99_000 * u()
    K[i] = F[i]! * Math.exp(Math.log(0.5) + u() * Math.log(4))
    T[i] = Math.exp(Math.log(1 / 8760) + u() * Math.log(2 * 8760))
    sigma[i] = 0.2 + 1.8 * u()
  }
  return { isCall, F, K, T, sigma }
}

/** Abramowitz–Stegun 26.2.17 (7.5e-8 absolute). */
function cdfAS(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x))
  const y =
    0.3989422804014327 * Math.exp(-0.5 * x * x) * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))))
  return x > 0 ? 1 - y : y
}

/** The minimal reference kernel: same outputs and loop shape as black76GreeksBatch (r = 0). */
function referenceBatch(
  n: number,
  isCall: Float64Array,
  F: Float64Array,
  K: Float64Array,
  T: Float64Array,
  sigma: Float64Array,
  price: Float64Array,
  delta: Float64Array,
  gamma: Float64Array,
  vega: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const f = F[i]!
    const k = K[i]!
    const sqrtT = Math.sqrt(T[i]!)
    const s = sigma[i]! * sqrtT
    const d1 = Math.log(f / k) / s + 0.5 * s
    const d2 = d1 - s
    const pdf = 0.3989422804014327 * Math.exp(-0.5 * d1 * d1)
    const n1 = cdfAS(d1)
    const n2 = cdfAS(d2)
    const call = isCall[i] === 1
    price[i] = call ? f * n1 - k * n2 : k * (1 - n2) - f * (1 - n1)
    delta[i] = call ? n1 : n1 - 1
    gamma[i] = pdf / (f * s)
    vega[i] = f * pdf * sqrtT * 0.01
  }
}

const rate = (bench: Bench, i: number, perRun: number) =>
  (perRun / (bench.tasks[i]!.result as { latency: { mean: number } }).latency.mean) * 1000

export default {
  description: `Black-76 price+delta+gamma+vega per second, ${N.toLocaleString('en-US')} random crypto-like options, one thread; IV solves per second`,
  async run() {
    const x = inputs(N)
    const out = [new Float64Array(N), new Float64Array(N), new Float64Array(N), new Float64Array(N)] as const
    const ref = [new Float64Array(N), new Float64Array(N), new Float64Array(N), new Float64Array(N)] as const
    let sink = 0
    // What a stress kernel can hoist: ln(F₀/K) per position (then + ln(1 + shock) per scenario) and √T.
    const x0 = x.F.map((f, i) => Math.log(f / x.K[i]!))
    const sqrtT = x.T.map(Math.sqrt)
    const bench = new Bench({ time: 4000, warmupTime: 1000 })
    bench
      .add('reference kernel (A&S 26.2.17 CDF)', () => {
        referenceBatch(N, x.isCall, x.F, x.K, x.T, x.sigma, ref[0], ref[1], ref[2], ref[3])
      })
      .add('black76GreeksBatch', () => {
        black76GreeksBatch(N, x.isCall, x.F, x.K, x.T, x.sigma, null, out[0], out[1], out[2], out[3])
      })
      .add('black76PriceUnchecked (price only, per call)', () => {
        let acc = 0
        for (let i = 0; i < N; i++) acc += black76PriceUnchecked(x.isCall[i] === 1, x.F[i]!, x.K[i]!, x.T[i]!, x.sigma[i]!)
        sink += acc
      })
      .add('black76PriceFromLogMoneyness (ln F/K, √T hoisted)', () => {
        let acc = 0
        const lnMove = Math.log(1 + 1e-9)
        for (let i = 0; i < N; i++) acc += black76PriceFromLogMoneyness(x.isCall[i] === 1, x.F[i]!, x.K[i]!, x0[i]! + lnMove, sqrtT[i]!, x.sigma[i]!)
        sink += acc
      })
    await bench.run()

    // Accuracy beside speed, against the accurate black76 (few-ulp) on the first 100,000 options.
    let errOurs = 0
    let errRef = 0
    for (let i = 0; i < N_IV; i++) {
      const g = black76({ type: x.isCall[i] === 1 ? 'call' : 'put', F: x.F[i]!, K: x.K[i]!, T: x.T[i]!, sigma: x.sigma[i]! })
      errOurs = Math.max(errOurs, Math.abs(out[0][i]! - g.price) / x.F[i]!)
      errRef = Math.max(errRef, Math.abs(ref[0][i]! - g.price) / x.F[i]!)
    }

    // Implied vol: solve back the accurate prices of the first 100,000 options.
    const prices = new Float64Array(N_IV)
    for (let i = 0; i < N_IV; i++)
      prices[i] = black76({ type: x.isCall[i] === 1 ? 'call' : 'put', F: x.F[i]!, K: x.K[i]!, T: x.T[i]!, sigma: x.sigma[i]! }).price
    const iterations = new Map<number | string, number>()
    const ivBench = new Bench({ time: 3000, warmupTime: 500 })
    ivBench.add('tryImpliedVolBlack76', () => {
      iterations.clear()
      for (let i = 0; i < N_IV; i++) {
        const r = tryImpliedVolBlack76({ type: x.isCall[i] === 1 ? 'call' : 'put', F: x.F[i]!, K: x.K[i]!, T: x.T[i]!, price: prices[i]! })
        const key = r.ok ? r.iterations : r.reason
        iterations.set(key, (iterations.get(key) ?? 0) + 1)
      }
    })
    await ivBench.run()

    const m = (v: number) => `${(v / 1e6).toFixed(2)} M/s`
    const refRate = rate(bench, 0, N)
    const ours = rate(bench, 1, N)
    const priceOnly = rate(bench, 2, N)
    const hoisted = rate(bench, 3, N)
    console.log(`options per run ${N.toLocaleString('en-US')}; T 1h–2y, sigma 20%–200%, K/F 0.5–2`)
    console.log(`reference kernel (A&S CDF, 3 exp)      ${m(refRate)}   max |price error| ${errRef.toExponential(1)} × F`)
    console.log(`black76GreeksBatch (price+3 Greeks)    ${m(ours)}   (${(ours / refRate).toFixed(2)}× reference)   max |price error| ${errOurs.toExponential(1)} × F`)
    console.log(`black76PriceUnchecked (price only)     ${m(priceOnly)}`)
    console.log(`  … ln F/K and √T hoisted (stress loop) ${m(hoisted)}`)
    const iv = rate(ivBench, 0, N_IV)
    const hist = [...iterations.entries()].map(([k, v]) => `${k}: ${v}`).join(', ')
    console.log(`implied vol (Let's Be Rational-style)  ${(iv / 1e6).toFixed(2)} M solves/s   iterations/outcomes on ${N_IV.toLocaleString('en-US')}: {${hist}}`)
    if (sink === 42) console.log('')
  },
}
