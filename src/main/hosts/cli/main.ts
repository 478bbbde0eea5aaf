/**
 * `riskdesk` command line (commander). Every command works on the database given by `--db PATH`,
 * RISKDESK_DB, or the desktop app's per-user data directory. With `--json`, stdout holds exactly one JSON
 * document; messages go to stderr. Exit status: 0 on success, 1 on any error (an import exits 1 when any
 * file failed). Commands live in commands/, one module per area.
 */
import { Command } from 'commander'
import { registerAppCommands } from './commands/appCommands'
import { registerBookCommands } from './commands/bookCommands'
import { registerImportCommands } from './commands/importCommands'
import { registerMarginCommands } from './commands/marginCommands'
import { registerPortfolioCommands } from './commands/portfolioCommands'
import { registerReportCommands } from './commands/reportCommands'
import { registerStressCommands } from './commands/stressCommands'
import { registerVarCommands } from './commands/varCommands'
import { registerWhatIfCommands } from './commands/whatifCommands'
import { registerHedgeCommands } from './commands/hedgeCommands'
import { registerPricingCommands } from './pricingCommands'
import { terminalSafe } from './terminalText'

export function buildProgram(): Command {
  const program = new Command()
  program
    .name('riskdesk')
    .description('Offline risk for crypto-derivatives portfolios: Greeks, stress, margin, liquidation cascades, the vol surface, VaR and ES, what-if books, the PDF report.')
    .option('--db <path>', 'SQLite database file (default: RISKDESK_DB, else the desktop app data directory)')
    .showHelpAfterError()
    // Commander echoes bad option values in its errors: escape what a user (or a file name) put there.
    .configureOutput({ writeErr: (s) => process.stderr.write(terminalSafe(s)) })
  registerImportCommands(program)
  registerBookCommands(program)
  registerPortfolioCommands(program)
  registerStressCommands(program)
  registerVarCommands(program)
  registerMarginCommands(program)
  registerWhatIfCommands(program)
  registerHedgeCommands(program)
  registerReportCommands(program)
  registerAppCommands(program)
  registerPricingCommands(program)
  return program
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv)
}
