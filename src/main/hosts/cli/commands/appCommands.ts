/**
 * `riskdesk serve` (the app in a browser) and `riskdesk demo`. Their services and the web host are imported
 * when the command runs, so that `riskdesk --help` and other commands do not load them.
 */
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { parsePort, printError, printJson, printText, RENDERER_DIR, RESOURCES_DIR, withRuntime, type GlobalOptions } from '../cliSupport'
import { marginText } from '../marginText'
import { importText, stressText, totalsText } from '../textOutput'

/** A path as a POSIX shell reads it back: bare when it holds only safe characters, else single-quoted. */
export function shellQuote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`
}

/** The exact command that serves the app on `dbPath` (what `demo` ends with); the path made absolute, so the
 * command works from any directory (`npm run` runs in the package's). */
export const serveCommand = (dbPath: string) => `riskdesk serve --db ${shellQuote(resolve(dbPath))}`

export function registerAppCommands(program: Command): void {
  program
    .command('serve')
    .description('serve the app and its API to a browser on 127.0.0.1, with a per-start token')
    .option('--port <n>', 'port (default: a free one)', parsePort)
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { port?: number }>()
      const [{ openRuntime }, { startWebHost }] = await Promise.all([import('../../../services/runtime'), import('../../web/webHost')])
      const rt = openRuntime({ dbPath: o.db, onWriteWait: (message) => process.stderr.write(`riskdesk serve: ${message}\n`), writerName: 'riskdesk serve' })
      try {
        const host = await startWebHost({ api: rt.api, rendererDir: RENDERER_DIR, port: o.port })
        printText(`Riskdesk is served at ${host.url}\n(database: ${rt.dbPath}; Ctrl+C stops)\n`)
        const stop = async () => {
          await host.close()
          await rt.close()
          process.exit(0)
        }
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
      } catch (e) {
        printError(`riskdesk: ${(e as Error).message}\n`)
        await rt.close()
        process.exitCode = 1
      }
    })

  program
    .command('demo')
    .description('import the sample book, its collateral and the real Deribit 2020-05-14 chain; show Greeks, the stress grid and margin')
    .option('--json', 'print one JSON document')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions>()
      await withRuntime(o, async (rt) => {
        const { runDemo } = await import('../../../services/demoService')
        const demo = await runDemo(rt.db, rt.stressPool(), RESOURCES_DIR)
        if (o.json) {
          printJson({ database: rt.dbPath, ...demo })
          return
        }
        const out = [
          ...demo.imports.map(importText),
          '',
          `Greeks by underlying (portfolio "${demo.positions.portfolio}", valued at ${demo.positions.valuationTime}):`,
          totalsText(demo.positions.totals),
          '',
          stressText(demo.stress),
          '',
          marginText(demo.margin, false),
          '',
          `Database: ${rt.dbPath}`,
          'See it in the app (in a browser; open the address it prints):',
          `  ${serveCommand(rt.dbPath)}`,
          `(in a checkout without riskdesk on the PATH: npm run riskdesk -- serve --db ${shellQuote(resolve(rt.dbPath))})`,
        ]
        printText(`${out.join('\n')}\n`)
      })
    })
}
