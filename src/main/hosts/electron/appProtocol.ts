/**
 * The app:// protocol: serves the built renderer from disk with the CSP header, GET only, and never a file
 * outside the renderer directory (checklist item 18: no file://).
 */
import { relative, resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { net, protocol } from 'electron'
import { CONTENT_SECURITY_POLICY } from '../contentSecurityPolicy'
import { isAppUrl } from './appOrigin'

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

export function handleAppProtocol(rendererDir: string): void {
  const root = resolve(rendererDir)
  protocol.handle('app', async (request) => {
    const url = new URL(request.url)
    if (request.method !== 'GET' || !isAppUrl(request.url)) return new Response('not found', { status: 404 })
    const path = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)
    const file = resolve(root, `.${path}`)
    const rel = relative(root, file)
    if (rel.startsWith('..') || rel.includes(`..${sep}`)) return new Response('not found', { status: 404 })
    const response = await net.fetch(pathToFileURL(file).toString())
    const headers = new Headers(response.headers)
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    headers.set('X-Content-Type-Options', 'nosniff')
    return new Response(response.body, { status: response.status, headers })
  })
}
