/**
 * `riskdesk report`: the risk report of a portfolio as a PDF (or, with --json and no --out, its model). The PDF
 * is printed the way the app's "Export PDF…" prints it in a browser: the web host is started in-process on
 * 127.0.0.1 with the built renderer, and the API call exportReportPdf has headless Chromium print its report
 * route (services/reportPdf.ts).
 */
import { InvalidArgumentError, Option, type Command } from 'commander'
import { PAPER_SIZES, REPORT_SECTIONS, type PaperSize, type ReportSectionId } from '../../../../shared/reportApi'
import { AS_OF_HELP, call, parseAsOfOption, printJson, RENDERER_DIR, withRuntime, type GlobalOptions } from '../cliSupport'
import { reportOutputPath, writeReportFile } from '../reportOutputPath'

function parseSections(text: string): ReportSectionId[] {
  const list = text.split(',').map((s) => s.trim()).filter((s) => s !== '')
  const bad = list.filter((s) => !(REPORT_SECTIONS as readonly string[]).includes(s))
  if (list.length === 0 || bad.length > 0) throw new InvalidArgumentError(`expected a comma-separated list of ${REPORT_SECTIONS.join(', ')}${bad.length > 0 ? `; unknown: ${bad.join(', ')}` : ''}`)
  return list as ReportSectionId[]
}

interface ReportOptions extends GlobalOptions {
  portfolio?: string
  whatif?: string
  asOf?: string
  sections?: ReportSectionId[]
  paper: PaperSize
  out?: string
  force?: boolean
  chromium?: string
}

export function registerReportCommands(program: Command): void {
  program
    .command('report')
    .description('the risk report as a PDF (cover, summary, positions, Greeks, stress, margin, VaR/ES, what-if comparison, methodology); --json without --out prints its model')
    .option('--portfolio <name>', 'portfolio (default: the what-if\'s, else the most recently imported)')
    .option('--whatif <name>', 'add the what-if comparison section of this what-if book (its legs; Greeks, buckets, stress worst and margin before, after, change)')
    .option('--as-of <when>', AS_OF_HELP, parseAsOfOption)
    .option('--sections <list>', `sections to include, comma-separated: ${REPORT_SECTIONS.join(', ')} (default: all)`, parseSections)
    .addOption(new Option('--paper <size>', 'paper size').choices([...PAPER_SIZES]).default('a4'))
    .option('--out <file.pdf|folder/>', 'PDF file to write, or a folder (the file is named after the portfolio and date)')
    .option('--force', 'overwrite an existing file')
    .option('--chromium <path>', 'Chromium to print with (default: CHROMIUM_PATH, else /usr/bin/chromium)')
    .option('--json', 'print one JSON document: the report model (no --out), or what was written')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals<ReportOptions>()
      await withRuntime(o, async (rt) => {
        const request = { portfolio: o.portfolio, asOf: o.asOf, sections: o.sections, whatIf: o.whatif }
        if (o.out === undefined) {
          if (!o.json) throw new Error('give --out FILE.pdf (or a folder), or --json for the report model')
          printJson(await call(rt, 'getReport', request))
          return
        }
        // Check the path before the work (portfolio resolved through the API, as the report will be).
        const portfolios = await call(rt, 'listPortfolios', {})
        const whatIf = o.whatif === undefined ? undefined : (await call(rt, 'listWhatIfs', {})).find((w) => w.name === o.whatif)
        if (o.whatif !== undefined && whatIf === undefined) throw new Error(`no what-if "${o.whatif}" (riskdesk whatif list)`)
        const portfolio = o.portfolio ?? whatIf?.portfolio ?? portfolios[0]?.name
        if (portfolio === undefined) throw new Error('no portfolio yet: import one first (riskdesk import FILE, or riskdesk demo)')
        const positions = await call(rt, 'getPositions', { portfolio, asOf: o.asOf })
        const file = reportOutputPath(o.out, positions.portfolio, positions.valuationTime, o.force === true)
        const { startWebHost } = await import('../../web/webHost')
        const host = await startWebHost({ api: rt.api, rendererDir: RENDERER_DIR, chromiumPath: o.chromium })
        try {
          if (!o.json && process.stderr.isTTY) process.stderr.write('printing the report…\n')
          const printed = await call(rt, 'exportReportPdf', { ...request, portfolio, paper: o.paper })
          const pdf = Buffer.from(printed.pdfBase64, 'base64')
          writeReportFile(file, pdf, o.force === true)
          if (o.json) printJson({ file, bytes: printed.bytes, paper: o.paper, portfolio: positions.portfolio, valuationTime: positions.valuationTime, elapsedMs: printed.elapsedMs })
          else process.stdout.write(`wrote ${file} (${printed.bytes.toLocaleString('en-US')} bytes, ${o.paper}, ${(printed.elapsedMs / 1000).toFixed(1)} s)\n`)
        } finally {
          await host.close()
        }
      })
    })
}
