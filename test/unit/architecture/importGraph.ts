/**
 * The import graph of the sources, for the layer test: every `import … from`, `export … from` and
 * `import('…')` of every .ts/.tsx file under src/, resolved to a repository path (relative imports) or a
 * package name (bare imports; `node:` builtins keep their prefix).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

export interface ImportEdge {
  /** Importing file, repository-relative with forward slashes (`src/main/domain/time.ts`). */
  from: string
  /** 1-based line of the import. */
  line: number
  /** The specifier as written. */
  specifier: string
  /** A repository-relative path for relative imports (no extension), or `pkg:NAME` for packages. */
  target: string
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return files(path)
    return /\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

/** Every import edge of the sources under `root`/src. */
export function importGraph(root: string): ImportEdge[] {
  const edges: ImportEdge[] = []
  for (const file of files(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8')
    const from = relative(root, file).split('\\').join('/')
    // Comments may mention imports; only code counts.
    const code = text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/\/\/.*$/gm, '')
    for (const m of code.matchAll(IMPORT)) {
      const specifier = (m[1] ?? m[2])!
      const line = code.slice(0, m.index).split('\n').length
      const target = specifier.startsWith('.')
        ? relative(root, resolve(dirname(file), specifier)).split('\\').join('/').replace(/\.(ts|tsx|js|mjs)$/, '')
        : `pkg:${specifier.startsWith('node:') ? specifier : specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/')}`
      edges.push({ from, line, specifier, target })
    }
  }
  return edges
}
