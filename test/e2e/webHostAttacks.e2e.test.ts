/**
 * The audit's attacks on the web host, rerun (issue "Reliability and security": "no authentication, Host,
 * Origin, CORS or traversal bypass"): `riskdesk serve` on a temporary database, and raw HTTP requests (so
 * that Host, Origin and the path are sent exactly as written) against every API call name, the event
 * stream and the static files. Expected answers are the documented ones (docs/security.md): 401 without
 * the right token, 421 for another Host, 403 for another Origin, never an Access-Control-Allow-* header,
 * and 400/403/404 for any path outside the renderer (the body never holds /etc/passwd or the repository's files).
 */
import type { ChildProcess } from 'node:child_process'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiNames } from '../../src/shared/api'
import { startServe } from '../support/browser'
import { tempDir } from '../support/paths'

let server: ChildProcess
let port: number
let token: string

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (text += d))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

beforeAll(async () => {
  const started = await startServe(join(tempDir(), 'riskdesk.db'))
  server = started.server
  const url = new URL(started.url)
  port = Number(url.port)
  token = url.hash.slice('#token='.length)
})

afterAll(() => {
  server?.kill('SIGTERM')
})

describe('web host under attack', () => {
  it('refuses every API call without the token, with a wrong one, for another Host or from another Origin', async () => {
    const json = { 'Content-Type': 'application/json' }
    const bearer = { Authorization: `Bearer ${token}` }
    const attacks: Array<[string, Record<string, string>, number]> = [
      ['no token', json, 401],
      ['wrong token', { ...json, Authorization: 'Bearer wrong' }, 401],
      ['token without Bearer', { ...json, Authorization: token }, 401],
      ['lower-case scheme', { ...json, Authorization: `bearer ${token}` }, 401],
      ['token with a suffix', { ...json, Authorization: `Bearer ${token}x` }, 401],
      ['DNS rebinding Host', { ...json, ...bearer, Host: 'evil.example' }, 421],
      ['Host on another port', { ...json, ...bearer, Host: `127.0.0.1:${port + 1}` }, 421],
      ['look-alike Host', { ...json, ...bearer, Host: `127.0.0.1.evil.example:${port}` }, 421],
      ['foreign Origin', { ...json, ...bearer, Origin: 'http://evil.example' }, 403],
      ['Origin null (sandboxed frame)', { ...json, ...bearer, Origin: 'null' }, 403],
      ['Origin of the other loopback name', { ...json, ...bearer, Origin: `http://localhost:${port}` }, 403],
    ]
    let count = 0
    for (const name of apiNames)
      for (const [what, headers, status] of attacks) {
        const a = await send('POST', `/api/${name}`, headers, '{}')
        expect({ name, what, status: a.status }).toEqual({ name, what, status })
        expect(Object.keys(a.headers).filter((h) => h.startsWith('access-control-'))).toEqual([])
        count++
      }
    // The token in the query string is not a token.
    const inQuery = await send('POST', `/api/listPortfolios?token=${token}`, json, '{}')
    expect(inQuery.status).toBe(401)
    console.log(`${count + 1} unauthenticated, rebinding or cross-origin API calls: all refused`)
  })

  it('answers no CORS preflight and refuses the event stream without its ticket', async () => {
    const preflights: Array<Record<string, string>> = [
      { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
      { 'Access-Control-Request-Method': 'POST' },
    ]
    for (const headers of preflights) {
      const a = await send('OPTIONS', '/api/listPortfolios', headers)
      expect([401, 403]).toContain(a.status)
      expect(Object.keys(a.headers).filter((h) => h.startsWith('access-control-'))).toEqual([])
    }
    for (const path of ['/api/events/stressJob', '/api/events/stressJob?jobId=x&ticket=y', `/api/events/stressJob?jobId=x&token=${token}`])
      expect((await send('GET', path, {})).status).toBe(401)
  })

  it('serves nothing outside the renderer: traversal in every spelling is refused (400, 403 or 404)', async () => {
    const paths = [
      '/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
      '/..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/assets/../../package.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/assets/..%5c..%5cpackage.json',
      '/%2e%2e%2f%2e%2e%2fsrc/main/hosts/web/webHost.ts',
      '/....//....//etc/passwd',
      '/%252e%252e/%252e%252e/etc/passwd',
      '/..;/..;/etc/passwd',
      '//etc/passwd',
    ]
    for (const path of paths) {
      const a = await send('GET', path, {})
      // The static handler answers the app's index.html for unknown paths of a single-page app, or 404/400:
      // never a file from outside the renderer.
      expect({ path, leak: /root:|"name": "riskdesk"|startWebHost/.test(a.body) }).toEqual({ path, leak: false })
      expect({ path, status: a.status }).toEqual({ path, status: expect.toBeOneOf([400, 403, 404]) })
    }
    console.log(`${paths.length} traversal paths: none served a file from outside the renderer`)
  })
})
