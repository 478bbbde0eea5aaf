/**
 * A cascade path that does not read is invalid input, refused by the request schema before any service runs
 * (the web host answers ApiRequestError with 400). Expected values: the syntax in shared/cascadePath.ts's
 * module comment, worked by hand (crash:-40%:20 is a relative move of −0.4 over 20 steps).
 */
import { describe, expect, it } from 'vitest'
import { parseCascadePath } from '../../src/shared/cascadePath'
import { cascadeRequest } from '../../src/shared/marginApi'
import type { RiskdeskHandlers } from '../../src/shared/api'
import { ApiRequestError, dispatch } from '../../src/main/services/riskdeskApi'

describe('parseCascadePath', () => {
  it('reads the four kinds', () => {
    expect(parseCascadePath('crash:-40%:20')).toEqual({ ok: true, path: { kind: 'crash', move: -0.4, moveText: '-40', steps: 20 } })
    expect(parseCascadePath('crash:-12.5%')).toEqual({ ok: true, path: { kind: 'crash', move: -0.125, moveText: '-12.5', steps: null } })
    expect(parseCascadePath('gap:-20%')).toEqual({ ok: true, path: { kind: 'gap', move: -0.2, moveText: '-20' } })
    expect(parseCascadePath('historical:2020-03-12:10')).toEqual({ ok: true, path: { kind: 'historical', name: '2020-03-12', steps: 10 } })
    expect(parseCascadePath('history:2020-03-01:2020-03-31')).toEqual({ ok: true, path: { kind: 'history', from: '2020-03-01', to: '2020-03-31' } })
  })
  it('says what is wrong, quoting the text', () => {
    expect(parseCascadePath('crash:-40')).toEqual({ ok: false, message: 'path "crash:-40": expected crash:MOVE%[:STEPS] such as crash:-40% or crash:-40%:20 (steps 1…10,000)' })
    expect(parseCascadePath('crash:-100%')).toEqual({ ok: false, message: 'path "crash:-100%": the move must be above −100%' })
    expect(parseCascadePath('crash:-40%:0')).toMatchObject({ ok: false })
    expect(parseCascadePath('history:2020-03-31:2020-03-01')).toMatchObject({ ok: false, message: expect.stringMatching(/FROM before TO/) })
    expect(parseCascadePath('historical:')).toMatchObject({ ok: false })
    expect(parseCascadePath('bogus')).toMatchObject({ ok: false, message: expect.stringMatching(/expected crash:MOVE%/) })
  })
})

describe('cascadeRequest schema', () => {
  it('refuses an unreadable path as invalid input, before any handler runs', async () => {
    expect(cascadeRequest.safeParse({ path: 'crash:abc' }).success).toBe(false)
    expect(cascadeRequest.parse({}).path).toBe('crash:-40%')
    // No handler is given: dispatch must refuse the input without calling one.
    const none = {} as RiskdeskHandlers
    const refused = dispatch(none, 'runCascade', { path: 'crash:abc' })
    await expect(refused).rejects.toBeInstanceOf(ApiRequestError)
    await expect(refused).rejects.toThrow('invalid input for runCascade: path: path "crash:abc": expected crash:MOVE%[:STEPS]')
    await expect(dispatch(none, 'runCascade', { path: 'crash:abc' }).catch((e: ApiRequestError) => e.status)).resolves.toBe(400)
  })
})
