/**
 * `npm run bench [-- NAME...]`: runs the named benchmarks (all when none is named) and prints their figures.
 * Each benchmark prints its own reference run from the same process beside its figures, so ratios are
 * meaningful on any machine. Speed is measured here, never asserted in tests.
 */
import { availableParallelism, cpus } from 'node:os'

type Bench = { description: string; run: () => Promise<void> }

const BENCHES: Record<string, () => Promise<Bench>> = {
  stress: async () => (await import('./stressBench')).default,
  import: async () => (await import('./importBench')).default,
  // The import bench's one-long-line part alone (1, 10 and 50 MB lines).
  longline: async () => {
    process.env.IMPORT_BENCH_PARTS = 'long-lines'
    return (await import('./importBench')).default
  },
  pricing: async () => (await import('./pricingBench')).default,
  startup: async () => (await import('./startupBench')).default,
  var: async () => (await import('./varBench')).default,
  report: async () => (await import('./reportBench')).default,
  hedge: async () => (await import('./hedgeBench')).default,
  whatif: async () => (await import('./whatifBench')).default,
}

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'))
const names = requested.length > 0 ? requested : Object.keys(BENCHES)
const unknown = names.filter((n) => !(n in BENCHES))
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`)
  process.exit(2)
}
console.log(`Node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'})`)
for (const name of names) {
  const bench = await BENCHES[name]!()
  console.log(`\n## ${name}: ${bench.description}`)
  await bench.run()
}
