/**
 * `riskdesk serve`: the built renderer and the API over HTTP, for any browser on this machine.
 *
 * Security: listens on 127.0.0.1 only; a random token per start (256 bits) is required on every API call
 * (`Authorization: Bearer …`); the Host header must name this loopback origin (defeats DNS rebinding) and a
 * present Origin header must be this origin — all three checked in an onRequest hook, before a byte of the
 * body is read (an unauthenticated 90 MB upload costs no memory); every input is validated by the API
 * dispatcher; errors answer by kind (services/apiErrors.ts: 400 input, 404 not found, 429 stress capacity,
 * 503 database busy past the write gate's limit, 500 only for a fault of ours); pages carry the renderer's CSP. The token reaches the page in the URL fragment, which browsers never send to servers.
 *
 * Report PDFs: exportReportPdf prints this host's own report route (`/?view=report&…`) in headless Chromium
 * (services/reportPdf.ts), so the browser's "Export PDF…" and `riskdesk report --out` get the same document.
 *
 * Pushed progress: `GET /api/events/stressJob?jobId=…&ticket=…` streams a stress job's events
 * (StressJobEvent, one `data:` line of JSON each; the stream ends after the terminal one) as server-sent
 * events. A browser's EventSource cannot send headers, so the token is not asked there; instead startStress
 * answers with a ticket: 256 random bits, good for this one job's stream only, and only for opening it
 * within a minute of the start. The route checks the ticket (or a Bearer token) before anything else, after
 * the Host and Origin checks every request passes.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { RiskdeskHandlers, StartedStressJob, StressJobEvent } from '../../../shared/api'
import { apiErrorKind, HTTP_STATUS } from '../../services/apiErrors'
import { reportRouteQuery } from '../../../shared/reportApi'
import { ReportPrinterSession } from '../../services/reportPdf'
import { dispatch, setReportPrinter, watchStressJob } from '../../services/riskdeskApi'
import { CONTENT_SECURITY_POLICY } from '../contentSecurityPolicy'

export interface WebHostOptions {
  api: RiskdeskHandlers
  /** Directory of the built renderer (index.html and assets). */
  rendererDir: string
  /** TCP port; 0 picks a free one. */
  port?: number
  /** Token to require; default a fresh random one. */
  token?: string
  /** Chromium that prints the report (exportReportPdf); default CHROMIUM_PATH or Debian's. */
  chromiumPath?: string
}

export interface WebHost {
  /** Origin, e.g. http://127.0.0.1:5173 */
  origin: string
  /** URL to open, with the token in the fragment. */
  url: string
  token: string
  close(): Promise<void>
}

/** Thrown when the renderer has not been built yet. */
export class RendererNotBuiltError extends Error {
  constructor(dir: string) {
    super(`the renderer is not built (${dir} has no index.html): run npm run build first`)
    this.name = 'RendererNotBuiltError'
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** How long a stress job's ticket opens its event stream, from the job's start (ms). */
const TICKET_TTL_MS = 60_000

/** Per-job tickets for the event stream (see the module comment). */
class StreamTickets {
  private readonly byJob = new Map<string, { ticket: string; expiresAt: number }>()

  issue(jobId: string): string {
    const now = Date.now()
    for (const [id, t] of this.byJob) if (t.expiresAt <= now) this.byJob.delete(id)
    const ticket = randomBytes(32).toString('base64url')
    this.byJob.set(jobId, { ticket, expiresAt: now + TICKET_TTL_MS })
    return ticket
  }

  /** True when `ticket` is the unexpired ticket of `jobId`. */
  admits(jobId: string, ticket: string): boolean {
    const t = this.byJob.get(jobId)
    return t !== undefined && t.expiresAt > Date.now() && sameSecret(ticket, t.ticket)
  }
}

/** Starts the web host on 127.0.0.1. @throws RendererNotBuiltError; the listen error (e.g. port in use). */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  if (!existsSync(join(options.rendererDir, 'index.html'))) throw new RendererNotBuiltError(options.rendererDir)
  const token = options.token ?? randomBytes(32).toString('base64url')
  // Loaded here, not at the top: fastify and its static plugin take ~0.2 s to load, which every other
  // `riskdesk` command would pay at start.
  const [{ default: Fastify }, { default: fastifyStatic }] = await Promise.all([import('fastify'), import('@fastify/static')])
  // 96 MB: the Import view uploads files as base64 JSON (a 64 MB file is about 86 MB encoded).
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 96 << 20 })

  const tickets = new StreamTickets()
  const hasToken = (authorization: string | undefined) =>
    authorization !== undefined && authorization.startsWith('Bearer ') && sameSecret(authorization.slice(7), token)

  // Every check runs here, before fastify reads a byte of the body (an unauthenticated 90 MB upload is
  // refused without being received into memory): Host, Origin, then the token for every API call and for
  // any method other than GET and HEAD (the static files are read-only, so nothing else needs a body).
  app.addHook('onRequest', async (request, reply) => {
    const host = request.headers.host ?? ''
    const port = (app.server.address() as AddressInfo).port
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`)
      return reply.code(421).send({ error: 'unexpected Host header' })
    const requestOrigin = request.headers.origin
    if (requestOrigin !== undefined && requestOrigin !== `http://${host}`)
      return reply.code(403).send({ error: 'cross-origin requests are refused' })
    const route = request.routeOptions.url
    const needsToken = route === '/api/:name' || (request.method !== 'GET' && request.method !== 'HEAD')
    if (needsToken && !hasToken(request.headers.authorization))
      return reply.code(401).send({ error: 'missing or wrong token: open the URL riskdesk serve printed' })
  })
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    reply.header('X-Content-Type-Options', 'nosniff')
    reply.header('Referrer-Policy', 'no-referrer')
    reply.header('Cache-Control', 'no-store')
    return payload
  })

  await app.register(fastifyStatic, { root: resolve(options.rendererDir), index: 'index.html', wildcard: true })

  const printer = new ReportPrinterSession(options.chromiumPath)
  app.addHook('onClose', async () => printer.close())

  // The token was checked in onRequest, before the body was read.
  app.post<{ Params: { name: string } }>('/api/:name', async (request, reply) => {
    try {
      const result = await dispatch(options.api, request.params.name, request.body)
      if (request.params.name === 'startStress') {
        const started = result as StartedStressJob
        return { result: { ...started, ticket: tickets.issue(started.jobId) } satisfies StartedStressJob }
      }
      return { result }
    } catch (e) {
      // The caller's input (400), what it names missing (404), the stress capacity taken (429), the database
      // held by another writer past the wait limit (503), else a fault of ours (500): services/apiErrors.ts.
      const kind = apiErrorKind(e)
      if (kind === 'busy' || kind === 'overloaded') reply.header('Retry-After', kind === 'busy' ? '10' : '5')
      return reply.code(HTTP_STATUS[kind]).send({ error: (e as Error).message, name: (e as Error).name })
    }
  })

  // Open event streams, each with the function that ends it (closing the host ends them all first).
  const streams = new Set<() => void>()
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end()
  })

  app.get<{ Params: { name: string }; Querystring: { jobId?: string; ticket?: string } }>('/api/events/:name', async (request, reply) => {
    const jobId = typeof request.query.jobId === 'string' ? request.query.jobId : ''
    const ticket = typeof request.query.ticket === 'string' ? request.query.ticket : ''
    if (!hasToken(request.headers.authorization) && !(jobId !== '' && tickets.admits(jobId, ticket)))
      return reply.code(401).send({ error: 'missing, wrong or expired ticket: start the job again' })
    if (request.params.name !== 'stressJob') return reply.code(404).send({ error: `no event stream "${request.params.name}"; known: stressJob` })
    // Events arriving before the stream opens (watch gives the state at once) wait here.
    let send: (event: StressJobEvent) => void
    const early: StressJobEvent[] = []
    send = (event) => void early.push(event)
    let unwatch: () => void
    try {
      unwatch = watchStressJob(options.api, jobId, (event) => send(event))
    } catch (e) {
      return reply.code(404).send({ error: (e as Error).message })
    }
    reply.hijack()
    const res = reply.raw
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    })
    const end = () => {
      streams.delete(end)
      unwatch()
      if (!res.writableEnded) res.end()
    }
    streams.add(end)
    res.on('close', end)
    send = (event) => {
      if (res.writableEnded) return
      res.write(`data: ${JSON.stringify(event)}\n\n`)
      if (event.status !== 'running') end()
    }
    for (const event of early.splice(0)) send(event)
  })

  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 })
  const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  // exportReportPdf: headless Chromium (one per host, launched on the first print, closed with the host) prints
  // this host's own report route; the token rides in the fragment.
  setReportPrinter(options.api, (request) => printer.print({ url: `${origin}/${reportRouteQuery(request)}#token=${token}`, paper: request.paper }))
  return {
    origin,
    url: `${origin}/#token=${token}`,
    token,
    close: () => app.close(),
  }
}
