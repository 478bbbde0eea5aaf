/**
 * Where `riskdesk report --out` may write (hosts/cli/reportOutputPath.ts): a portfolio name with separators,
 * `..` or control characters cannot leave the chosen folder; control characters in --out are refused; an
 * existing file is not overwritten without --force. Real files in a temporary folder.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { reportOutputPath, writeReportFile } from '../../../src/main/hosts/cli/reportOutputPath'
import { reportFileName } from '../../../src/shared/reportApi'
import { tempDir } from '../../support/paths'

const T = '2020-05-14T05:44:06.537Z'

describe('report output path', () => {
  it('names the file after the portfolio and valuation date, with unsafe characters replaced', () => {
    expect(reportFileName('demo', T)).toBe('riskdesk-report-demo-2020-05-14.pdf')
    // '..' '/' '..' '/' become four underscores
    expect(reportFileName('../../etc/passwd', T)).toBe('riskdesk-report-____etc_passwd-2020-05-14.pdf')
    expect(reportFileName('a\\b/c\u0000d\nX', null)).toBe('riskdesk-report-a_b_c_d_X-undated.pdf')
    expect(reportFileName('..', T)).toBe('riskdesk-report-_-2020-05-14.pdf')
    expect(reportFileName('.hidden', T)).toBe('riskdesk-report-_hidden-2020-05-14.pdf')
  })

  it('keeps a hostile portfolio name inside the chosen folder', () => {
    const dir = tempDir()
    for (const name of ['../../escape', '/abs/path', 'a/../../b', '..\\..\\win', 'x\u0007y', '....//....//z']) {
      const file = reportOutputPath(`${dir}/`, name, T, false)
      expect(dirname(file)).toBe(dir)
      expect(file.slice(dir.length + 1)).toMatch(/^riskdesk-report-[A-Za-z0-9._-]+-2020-05-14\.pdf$/)
    }
    // An existing folder given without a trailing separator is a folder too.
    expect(dirname(reportOutputPath(dir, '../x', T, false))).toBe(dir)
  })

  it('refuses control characters, names not ending in .pdf, and missing folders', () => {
    const dir = tempDir()
    expect(() => reportOutputPath(join(dir, 'r\u0000.pdf'), 'demo', T, false)).toThrow(/control character/)
    expect(() => reportOutputPath(join(dir, 'a\nb.pdf'), 'demo', T, false)).toThrow(/control character/)
    expect(() => reportOutputPath(join(dir, 'report.txt'), 'demo', T, false)).toThrow(/must end in \.pdf/)
    expect(() => reportOutputPath(join(dir, 'nope', 'r.pdf'), 'demo', T, false)).toThrow(/does not exist/)
    expect(() => reportOutputPath(join(dir, 'nope') + '/', 'demo', T, false)).toThrow(/does not exist/)
    expect(reportOutputPath(join(dir, 'Report.PDF'), 'demo', T, false)).toBe(join(dir, 'Report.PDF'))
  })

  it('does not overwrite an existing file without force, and does with it', () => {
    const dir = tempDir()
    const file = join(dir, 'r.pdf')
    writeFileSync(file, 'old')
    expect(() => reportOutputPath(file, 'demo', T, false)).toThrow(/exists: not overwritten \(add --force/)
    expect(reportOutputPath(file, 'demo', T, true)).toBe(file)
    // The write itself refuses a file that appeared after the check.
    expect(() => writeReportFile(file, new TextEncoder().encode('new'), false)).toThrow(/exists/)
    expect(readFileSync(file, 'utf8')).toBe('old')
    writeReportFile(file, new TextEncoder().encode('new'), true)
    expect(readFileSync(file, 'utf8')).toBe('new')
    mkdirSync(join(dir, 'sub'))
    expect(readdirSync(dir).sort()).toEqual(['r.pdf', 'sub'])
  })
})
