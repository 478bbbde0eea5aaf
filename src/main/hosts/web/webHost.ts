/**
 * `riskdesk serve`: the built renderer and the API over HTTP, for any browser on this machine.
 *
 * Security: listens on 127.0.0.1 only; a random token per start (256 bits) is required on every API call
 * (`Authorization: Bearer …`); the Host header must name this loopback origin (defeats DNS rebinding) and a
 * present Origin header must be this origin; every input is validated by the API dispatcher; pages carry
 * the renderer's CSP. The token reaches the page in the URL fragment, which browsers never send to servers.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { RiskdeskHandlers } from '../../../shared/api'
import { ApiRequestError, dispatch } from '../../services/riskdeskApi'
import { CONTENT_SECURITY_POLICY } from '../contentSecurityPolicy'

export interface WebHostOptions {
  api: RiskdeskHandlers
  /** Directory of the built renderer (index.html and assets). */
  rendererDir: string
  /** TCP port; 0 picks a free one. */
  port?: number
  /** Token to require; default a fresh random one. */
  token?: string
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

/** Starts the web host on 127.0.0.1. @throws RendererNotBuiltError; the listen error (e.g. port in use). */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  if (!existsSync(join(options.rendererDir, 'index.html'))) throw new RendererNotBuiltError(options.rendererDir)
  const token = options.token ?? randomBytes(32).toString('base64url')
  // Loaded here, not at the top: fastify and its static plugin take ~0.2 s to load, which every other
  // `riskdesk` command would pay at start.
  const [{ default: Fastify }, { default: fastifyStatic }] = await Promise.all([import('fastify'), import('@fastify/static')])
  // 96 MB: the Import view uploads files as base64 JSON (a 64 MB file is about 86 MB encoded).
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 96 << 20 })

  app.addHook('onRequest', async (request, reply) => {
    const host = request.headers.host ?? ''
    const port = (app.server.address() as AddressInfo).port
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`)
      return reply.code(421).send({ error: 'unexpected Host header' })
    const requestOrigin = request.headers.origin
    if (requestOrigin !== undefined && requestOrigin !== `http://${host}`)
      return reply.code(403).send({ error: 'cross-origin requests are refused' })
  })
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    reply.header('X-Content-Type-Options', 'nosniff')
    reply.header('Referrer-Policy', 'no-referrer')
    reply.header('Cache-Control', 'no-store')
    return payload
  })

  await app.register(fastifyStatic, { root: resolve(options.rendererDir), index: 'index.html', wildcard: true })

  app.post<{ Params: { name: string } }>('/api/:name', async (request, reply) => {
    const auth = request.headers.authorization ?? ''
    if (!auth.startsWith('Bearer ') || !sameSecret(auth.slice(7), token))
      return reply.code(401).send({ error: 'missing or wrong token: open the URL riskdesk serve printed' })
    try {
      return { result: await dispatch(options.api, request.params.name, request.body) }
    } catch (e) {
      const status = e instanceof ApiRequestError ? 400 : 500
      return reply.code(status).send({ error: (e as Error).message, name: (e as Error).name })
    }
  })

  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 })
  const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  return {
    origin,
    url: `${origin}/#token=${token}`,
    token,
    close: () => app.close(),
  }
}
