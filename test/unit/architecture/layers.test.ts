/**
 * The layering of DESIGN.md §2 and docs/architecture.md, checked on every import of every source file: a
 * layer imports only what the table below allows, only the Electron host (and the preload bridge) imports
 * `electron`, the domain does no I/O (no `node:` module), and no two rooms import each other (a folder-level
 * cycle such as stress ↔ margin).
 */
import { describe, expect, it } from 'vitest'
import { REPO } from '../../support/paths'
import { importGraph, type ImportEdge } from './importGraph'

interface Layer {
  /** Files of the layer: a path prefix. */
  prefix: string
  /** Source prefixes it may import (its own prefix always). */
  may: string[]
  /** Packages it may import: names, `node:*` for every builtin. */
  packages: string[]
}

const DOMAIN_PACKAGES = ['decimal.js', 'zod', 'date-fns', '@date-fns/utc']
// VaR's statistics (domain/risk): seeded generator, samplers, distribution functions, a minimiser.
const RISK_PACKAGES = [
  'pure-rand',
  '@stdlib/random-base-chisquare',
  '@stdlib/stats-base-dists-chisquare-cdf',
  '@stdlib/stats-base-dists-binomial-cdf',
  '@stdlib/math-base-special-gammaln',
  'numeric',
]
// Most specific prefix first: a file belongs to the first layer whose prefix it starts with.
const LAYERS: Layer[] = [
  { prefix: 'src/shared/', may: [], packages: ['zod'] },
  { prefix: 'src/main/domain/', may: ['src/shared/', 'resources/'], packages: [...DOMAIN_PACKAGES, ...RISK_PACKAGES] },
  { prefix: 'src/main/engine/', may: ['src/main/domain/', 'src/shared/'], packages: ['node:*', 'piscina'] },
  { prefix: 'src/main/importers/', may: ['src/main/domain/', 'src/shared/'], packages: [...DOMAIN_PACKAGES, 'node:crypto', 'papaparse', 'csv-parse', 'jsonc-parser'] },
  { prefix: 'src/main/db/', may: ['src/shared/'], packages: ['better-sqlite3', 'decimal.js', 'zod', 'node:fs', 'node:path', 'node:os'] },
  {
    prefix: 'src/main/services/',
    may: ['src/main/domain/', 'src/main/engine/', 'src/main/importers/', 'src/main/db/', 'src/shared/', 'resources/'],
    packages: [...DOMAIN_PACKAGES, 'node:*', 'jsonc-parser', 'piscina', 'playwright-core', 'highs'],
  },
  { prefix: 'src/main/hosts/electron/', may: ['src/main/hosts/', 'src/main/services/', 'src/shared/'], packages: ['electron', 'node:*'] },
  {
    prefix: 'src/main/hosts/',
    may: ['src/main/hosts/', 'src/main/services/', 'src/shared/'],
    packages: ['node:*', 'commander', 'cli-table3', 'cli-progress', 'csv-stringify', 'fastify', '@fastify/static', 'zod', 'jsonc-parser'],
  },
  // The Electron entry point is the desktop host's: it opens the runtime and wires the window; it names the
  // stress worker's entry (`?modulePath`) so the bundler builds it.
  { prefix: 'src/main/index.ts', may: ['src/main/hosts/', 'src/main/services/', 'src/shared/', 'src/main/engine/stressWorker'], packages: ['electron', 'node:*'] },
  { prefix: 'src/preload/', may: ['src/shared/'], packages: ['electron'] },
  { prefix: 'src/renderer/', may: ['src/shared/'], packages: ['react', 'react-dom', '@tanstack/react-query', 'ag-grid-community', 'ag-grid-react', 'plotly.js-gl3d-dist-min', 'papaparse'] },
]

const layerOf = (file: string) => LAYERS.find((l) => file.startsWith(l.prefix))

/** Every import that breaks the table, as `file:line imports X (layer may import …)`. */
export function layerViolations(edges: readonly ImportEdge[]): string[] {
  const out: string[] = []
  for (const e of edges) {
    const layer = layerOf(e.from)
    if (!layer) {
      out.push(`${e.from}: no layer in the table (docs/architecture.md)`)
      continue
    }
    if (e.target.startsWith('pkg:')) {
      const pkg = e.target.slice(4)
      const ok = layer.packages.some((p) => p === pkg || (p === 'node:*' && pkg.startsWith('node:')))
      if (!ok) out.push(`${e.from}:${e.line} imports package ${pkg} (${layer.prefix} may import packages ${layer.packages.join(', ') || 'none'})`)
      continue
    }
    if (e.target.startsWith(layer.prefix)) continue
    if (!layer.may.some((p) => e.target.startsWith(p)))
      out.push(`${e.from}:${e.line} imports ${e.specifier} (${layer.prefix} may import ${[...new Set([layer.prefix, ...layer.may])].join(', ')})`)
  }
  return out
}

/** The room of a file: src/main/domain/<area>, src/main/hosts/<host>, else the layer folder. */
function room(path: string): string {
  const m = /^src\/main\/(domain|hosts|importers)\/([^/.]+)\//.exec(path)
  if (m) return `src/main/${m[1]}/${m[2]}`
  const n = /^src\/main\/([^/.]+)\//.exec(path)
  if (n) return `src/main/${n[1]}`
  const o = /^src\/([^/.]+)\//.exec(path)
  return o ? `src/${o[1]}` : path
}

/** Pairs of rooms that import each other, with one import each way. */
export function roomCycles(edges: readonly ImportEdge[]): string[] {
  const graph = new Map<string, Map<string, string>>()
  for (const e of edges) {
    if (e.target.startsWith('pkg:')) continue
    const a = room(e.from)
    const b = room(e.target)
    if (a === b) continue
    if (!graph.has(a)) graph.set(a, new Map())
    if (!graph.get(a)!.has(b)) graph.get(a)!.set(b, `${e.from}:${e.line}`)
  }
  const out: string[] = []
  for (const [a, targets] of graph)
    for (const [b, where] of targets) if (a < b && graph.get(b)?.has(a)) out.push(`${a} ↔ ${b} (${where}; ${graph.get(b)!.get(a)})`)
  return out
}

describe('layers (DESIGN.md §2, docs/architecture.md)', () => {
  const edges = importGraph(REPO)

  it('reads the import graph of the sources', () => {
    expect(edges.length).toBeGreaterThan(500)
    expect(edges.some((e) => e.from === 'src/main/services/stressService.ts' && e.target === 'src/main/engine/stressPool')).toBe(true)
  })

  it('every import is one its layer may make', () => {
    expect(layerViolations(edges)).toEqual([])
  })

  it('no two rooms import each other', () => {
    expect(roomCycles(edges)).toEqual([])
  })

  it('only the Electron host and the preload bridge import electron', () => {
    expect(edges.filter((e) => e.target === 'pkg:electron').map((e) => e.from).filter((f) => !/^src\/(main\/hosts\/electron\/|main\/index\.ts|preload\/)/.test(f))).toEqual([])
  })

  it('catches a wrong import: the domain reading a file, the engine reaching SQLite, a cycle', () => {
    const wrong: ImportEdge[] = [
      { from: 'src/main/domain/valuation/x.ts', line: 1, specifier: 'node:fs', target: 'pkg:node:fs' },
      { from: 'src/main/engine/x.ts', line: 2, specifier: '../db/database', target: 'src/main/db/database' },
      { from: 'src/main/domain/stress/a.ts', line: 3, specifier: '../margin/b', target: 'src/main/domain/margin/b' },
      { from: 'src/main/domain/margin/b.ts', line: 4, specifier: '../stress/a', target: 'src/main/domain/stress/a' },
    ]
    expect(layerViolations(wrong)).toEqual([
      'src/main/domain/valuation/x.ts:1 imports package node:fs (src/main/domain/ may import packages decimal.js, zod, date-fns, @date-fns/utc, pure-rand, @stdlib/random-base-chisquare, @stdlib/stats-base-dists-chisquare-cdf, @stdlib/stats-base-dists-binomial-cdf, @stdlib/math-base-special-gammaln, numeric)',
      'src/main/engine/x.ts:2 imports ../db/database (src/main/engine/ may import src/main/engine/, src/main/domain/, src/shared/)',
    ])
    expect(roomCycles(wrong)).toEqual([
      'src/main/domain/margin ↔ src/main/domain/stress (src/main/domain/margin/b.ts:4; src/main/domain/stress/a.ts:3)',
    ])
  })
})
