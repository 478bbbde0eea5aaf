/**
 * Portfolio management: `riskdesk portfolios list|rename OLD NEW|delete NAME [--yes]`,
 * `riskdesk positions remove (--id ID... | --instrument NAME [--account NAME] [--venue ID]) [--portfolio NAME]` and
 * `riskdesk imports remove ID`, all through the typed API (shared/portfolioApi.ts). Every removal is recorded in
 * the import history (`riskdesk imports` shows "removed at …").
 */
import type { Command } from 'commander'
import type { RemovedRows } from '../../../../shared/portfolioApi'
import { call, parsePositiveInt, printJson, withRuntime, type GlobalOptions } from '../cliSupport'
import { table } from '../textOutput'

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

/** "3 positions, 1 balance" of the kinds with rows. */
export function removedRowsText(r: RemovedRows): string {
  const parts = [
    r.positions > 0 && plural(r.positions, 'position'),
    r.balances > 0 && plural(r.balances, 'balance'),
    r.fills > 0 && plural(r.fills, 'fill'),
    r.ledgerEntries > 0 && plural(r.ledgerEntries, 'ledger entry', 'ledger entries'),
    r.quotes > 0 && plural(r.quotes, 'market quote'),
    r.closes > 0 && plural(r.closes, 'close'),
  ].filter((x): x is string => typeof x === 'string')
  return parts.length > 0 ? parts.join(', ') : 'no rows'
}

const collectIds = (text: string, previous: number[] = []) => [...previous, ...text.split(',').map((s) => parsePositiveInt(s.trim()))]

/** Registers `portfolios …` and the `remove` subcommands of `positions` and `imports` (they must exist already). */
export function registerPortfolioCommands(program: Command): void {
  const portfolios = program.command('portfolios').description('list, rename and delete portfolios')
  portfolios
    .command('list', { isDefault: true })
    .description('portfolios with their positions (current book) and last import')
    .option('--json', 'print one JSON document')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions>()
      await withRuntime(o, async (rt) => {
        const list = await call(rt, 'listPortfolios', {})
        if (o.json) printJson(list)
        else if (list.length === 0) process.stdout.write('no portfolio yet: riskdesk import FILE or riskdesk demo\n')
        else
          process.stdout.write(
            `${table(['portfolio', 'positions', 'last import (UTC)'], list.map((p) => [p.name, p.positions.toLocaleString('en-US'), p.lastImportAt === null ? '—' : p.lastImportAt.replace('T', ' ').slice(0, 19)]))}\n`,
          )
      })
    })
  portfolios
    .command('rename')
    .description('rename a portfolio (its imports, positions and settings follow)')
    .argument('<old>')
    .argument('<new>')
    .option('--json', 'print one JSON document')
    .action(async (from: string, to: string, _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions>()
      await withRuntime(o, async (rt) => {
        const r = await call(rt, 'renamePortfolio', { from, to })
        if (o.json) printJson(r)
        else process.stdout.write(`renamed portfolio "${r.previousName}" to "${r.name}"\n`)
      })
    })
  portfolios
    .command('delete')
    .description('delete a portfolio with its accounts, imports, positions, balances, margin settings and stress runs')
    .argument('<name>')
    .option('--yes', 'really delete (without it, nothing is deleted)')
    .option('--json', 'print one JSON document')
    .action(async (name: string, _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { yes?: boolean }>()
      await withRuntime(o, async (rt) => {
        if (!o.yes) {
          const p = (await call(rt, 'listPortfolios', {})).find((x) => x.name === name)
          if (!p) throw new Error(`no portfolio named "${name}"`)
          throw new Error(`this deletes portfolio "${name}" (${plural(p.positions, 'position')} in its book, with its imports and balances); run again with --yes to delete it`)
        }
        const r = await call(rt, 'deletePortfolio', { name })
        if (o.json) printJson(r)
        else
          process.stdout.write(
            `deleted portfolio "${r.name}": ${plural(r.imports, 'import')} (${removedRowsText(r.removed)})${r.stressRuns > 0 ? `, ${plural(r.stressRuns, 'saved stress run')}` : ''}; market data and other portfolios untouched\n`,
          )
      })
    })

  const positions = program.commands.find((c) => c.name() === 'positions')
  const imports = program.commands.find((c) => c.name() === 'imports')
  if (!positions || !imports) throw new Error('register the book and import commands before the portfolio commands')
  positions
    .command('remove')
    .description("remove positions from a portfolio's current book (by id, or every position in an instrument)")
    .option('--id <ids>', 'position ids (riskdesk positions --json), comma-separated or repeated', collectIds)
    .option('--instrument <name>', "the venue's instrument name (BTC-PERPETUAL)")
    .option('--account <name>', 'only this account (with --instrument)')
    .option('--venue <id>', 'only this venue (with --instrument)')
    .option('--portfolio <name>', 'portfolio (default: the most recently imported)')
    .option('--json', 'print one JSON document')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions & { id?: number[]; instrument?: string; account?: string; venue?: string; portfolio?: string }>()
      if ((o.id === undefined) === (o.instrument === undefined)) cmd.error('riskdesk: give either --id IDS or --instrument NAME')
      await withRuntime(o, async (rt) => {
        const r = await call(rt, 'removePositions', { portfolio: o.portfolio, positionIds: o.id, instrument: o.instrument, account: o.account, venue: o.venue })
        if (o.json) printJson(r)
        else {
          process.stdout.write(`removed ${plural(r.positions.length, 'position')} from "${r.portfolio}" (${plural(r.positionsLeft, 'position')} left):\n`)
          process.stdout.write(`${table(['id', 'venue', 'account', 'instrument', 'quantity', 'import'], r.positions.map((p) => [String(p.id), p.venue, p.account, p.instrument, p.quantity, `#${p.importId}`]), false)}\n`)
        }
      })
    })
  imports
    .command('remove')
    .description("remove one import's positions, balances and trade-log rows from its portfolio (recorded in the history)")
    .argument('<id>', 'import id (riskdesk imports)', parsePositiveInt)
    .option('--json', 'print one JSON document')
    .action(async (importId: number, _o, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions>()
      await withRuntime(o, async (rt) => {
        const r = await call(rt, 'removeImport', { importId })
        if (o.json) printJson(r)
        else
          process.stdout.write(
            `removed import #${r.importId} (${r.fileName}) from "${r.portfolio}": ${removedRowsText(r.removed)}; book ${plural(r.positionsBefore, 'position')} before, ${plural(r.positionsAfter, 'position')} after\n`,
          )
      })
    })
}
