/**
 * The models exportReportPdf holds for its prints (reportService.ts ReportPrintModels): the page of a print gets
 * exactly the model built for it, under an id no one can guess, and nothing once the print has ended.
 */
import { describe, expect, it } from 'vitest'
import { apiErrorKind } from '../../../src/main/services/apiErrors'
import { ReportPrintModels, ReportPrintNotFoundError } from '../../../src/main/services/reportService'
import { reportModel, reportRouteQuery, parseReportRoute, type ReportModel } from '../../../src/shared/reportApi'

const model = (portfolio: string): ReportModel =>
  reportModel.parse({
    format: 'riskdesk-report/1',
    portfolio,
    valuationTime: '2020-05-14T05:44:06.537Z',
    createdAt: '2026-12-02T00:00:00.000Z',
    provenance: { riskdeskVersion: '0.1.0', gitCommit: null, runs: [], inputs: [], parameters: {}, contentSha256: '0'.repeat(64) },
    sections: [],
  })

describe('ReportPrintModels', () => {
  it('gives each print its own model under a random UUID until released, then a not-found error (HTTP 404)', () => {
    const held = new ReportPrintModels()
    const a = held.hold(model('a'))
    const b = held.hold(model('b'))
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/) // RFC 4122 version 4
    expect(b).not.toBe(a)
    expect(held.get(a).portfolio).toBe('a')
    expect(held.get(a).portfolio).toBe('a') // the page may ask twice (a retried fetch) while the print runs
    held.release(a)
    expect(() => held.get(a)).toThrow(ReportPrintNotFoundError)
    expect(apiErrorKind(new ReportPrintNotFoundError(a))).toBe('notFound')
    expect(held.get(b).portfolio).toBe('b')
  })

  it('the route names the print and the what-if, and reads them back', () => {
    const id = '3b241101-e2bb-4255-8caf-4136c566a962'
    const q = reportRouteQuery({ portfolio: 'demo', whatIf: 'hedge 1', paper: 'letter', printId: id })
    expect(parseReportRoute(q)).toEqual({ request: { portfolio: 'demo', asOf: undefined, sections: undefined, whatIf: 'hedge 1' }, paper: 'letter', printId: id })
    expect(parseReportRoute(reportRouteQuery({ portfolio: 'demo' }))!.printId).toBeNull()
  })
})
