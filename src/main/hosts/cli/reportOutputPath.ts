/**
 * Where `riskdesk report --out` writes, refusing what could write somewhere else than the user chose:
 *  - `--out DIR/` (an existing folder, or a path ending in a separator): the file is
 *    `riskdesk-report-<portfolio>-<date>.pdf` inside it, the portfolio name reduced to safe characters
 *    (reportFileName: separators, `..` and control characters cannot leave the folder), checked again after
 *    resolving;
 *  - `--out FILE.pdf`: that file; the name must end in `.pdf`;
 *  - control characters anywhere in the path are refused;
 *  - an existing file is not overwritten without `--force` (and the write itself uses the exclusive flag, so a
 *    file appearing meanwhile is not overwritten either).
 */
import { existsSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, resolve, sep } from 'node:path'
import { reportFileName } from '../../../shared/reportApi'

/** Thrown for an output path the report must not write. */
export class ReportOutputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ReportOutputError'
  }
}

const CONTROL = /[\u0000-\u001f\u007f]/

/**
 * @returns the absolute file path to write
 * @throws ReportOutputError
 */
export function reportOutputPath(out: string, portfolio: string, valuationTime: string | null, force: boolean): string {
  if (out.trim() === '') throw new ReportOutputError('--out is empty: give a FILE.pdf or a folder')
  if (CONTROL.test(out)) throw new ReportOutputError('--out holds a control character: refused')
  const isFolder = out.endsWith('/') || out.endsWith(sep) || (existsSync(out) && statSync(out).isDirectory())
  let file: string
  if (isFolder) {
    const folder = resolve(out)
    if (!existsSync(folder)) throw new ReportOutputError(`folder ${out} does not exist`)
    file = join(folder, reportFileName(portfolio, valuationTime))
    if (dirname(file) !== folder || basename(file) !== reportFileName(portfolio, valuationTime))
      throw new ReportOutputError(`the file name made from portfolio "${portfolio}" would leave ${out}: refused`)
  } else {
    file = resolve(out)
    if (!/\.pdf$/i.test(file)) throw new ReportOutputError(`--out ${out}: the file name must end in .pdf`)
    if (!existsSync(dirname(file))) throw new ReportOutputError(`folder ${dirname(out)} does not exist`)
  }
  if (existsSync(file) && !force) throw new ReportOutputError(`${file} exists: not overwritten (add --force to replace it)`)
  return file
}

/** Writes the PDF; without `force` the exclusive flag refuses a file that appeared since the check. */
export function writeReportFile(file: string, pdf: Uint8Array, force: boolean): void {
  try {
    writeFileSync(file, pdf, { flag: force ? 'w' : 'wx' })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new ReportOutputError(`${file} exists: not overwritten (add --force to replace it)`)
    throw e
  }
}
