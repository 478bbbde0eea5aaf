/**
 * The web host reads no body before the token (issue "Reliability and security", item 8): `riskdesk serve`
 * as a child process on a temporary database; unauthenticated uploads of 90 MB (no token, a wrong token, a
 * foreign Origin) are answered 401/403 while their bodies are still being sent, and the server's resident
 * memory (VmRSS in /proc/<pid>/status, the kernel's own count) grows by less than 20 MB — before, the body
 * was received and parsed first (the audit measured 225 → 583 MB for one such upload).
 */
import type { ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServe } from '../support/browser'
import { tempDir } from '../support/paths'

let server: ChildProcess
let origin: string
let token: string

/** Resident memory of a process, MB (VmRSS is given in kB). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return Number(m![1]) / 1024
}

/**
 * POSTs a body of `mb` MB (a JSON string, streamed 1 MB at a time, honouring back-pressure) and resolves
 * with the status as soon as the answer arrives, stopping the upload; also how many MB were sent by then.
 */
function bigPost(path: string, headers: Record<string, string>, mb: number): Promise<{ status: number; sentMb: number }> {
  const size = mb * 1024 * 1024
  const chunk = Buffer.alloc(1024 * 1024, 'A')
  return new Promise((resolve, reject) => {
    let sent = 0
    let answered = false
    const req = request(`${origin}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': String(size), ...headers } }, (res) => {
      answered = true
      res.resume()
      resolve({ status: res.statusCode!, sentMb: sent / 1024 / 1024 })
      req.destroy()
    })
    // The server closes the connection after answering: a write after that fails, which is the point.
    req.on('error', (e) => (answered ? undefined : reject(e)))
    const pump = () => {
      while (!answered && sent < size) {
        sent += chunk.length
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      if (!answered) req.end()
    }
    pump()
  })
}

beforeAll(async () => {
  const started = await startServe(join(tempDir(), 'riskdesk.db'))
  server = started.server
  const url = new URL(started.url)
  origin = url.origin
  token = url.hash.slice('#token='.length)
})

afterAll(() => {
  server?.kill('SIGTERM')
})

describe('web host: no body is read before the token, Host and Origin are checked', () => {
  it('refuses unauthenticated 90 MB uploads with 401/403 and its memory grows by less than 20 MB', async () => {
    const pid = server.pid!
    // A first authenticated call so that everything the server loads on demand is loaded before the baseline.
    const warm = await fetch(`${origin}/api/listPortfolios`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: '{}' })
    expect(warm.status).toBe(200)
    const before = rssMb(pid)
    const noToken = await bigPost('/api/importUpload', {}, 90)
    const wrongToken = await bigPost('/api/importUpload', { Authorization: 'Bearer wrong' }, 90)
    const foreign = await bigPost('/api/importUpload', { Authorization: `Bearer ${token}`, Origin: 'http://evil.example' }, 90)
    const after = rssMb(pid)
    console.log(
      `serve RSS ${before.toFixed(1)} → ${after.toFixed(1)} MB (+${(after - before).toFixed(1)}) after three 90 MB unauthenticated uploads; ` +
        `answered after ${noToken.sentMb}, ${wrongToken.sentMb}, ${foreign.sentMb} MB sent`,
    )
    expect([noToken.status, wrongToken.status, foreign.status]).toEqual([401, 401, 403])
    expect(after - before).toBeLessThan(20)
    // The host still answers afterwards.
    const again = await fetch(`${origin}/api/listPortfolios`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: '{}' })
    expect(again.status).toBe(200)
  })
})
