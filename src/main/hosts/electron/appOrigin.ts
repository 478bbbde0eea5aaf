/**
 * The renderer's origin, app://riskdesk, and the one test of whether a URL is on it. Kept apart from the
 * modules that import `electron`, so that it is tested without Electron's binary.
 *
 * Why not `new URL(url).origin === APP_ORIGIN`: the main process's URL is Node's (WHATWG), for which only
 * the special schemes (http, https, ws, wss, ftp, file) have an origin; `new URL('app://riskdesk/').origin`
 * is the string "null" there, whatever Chromium makes of the scheme registered as standard. So the scheme
 * and host are compared instead.
 */

/** The renderer's origin: files are served by the app:// protocol handler, never file://. */
export const APP_ORIGIN = 'app://riskdesk'

/** True for a URL on the app's own origin (app: scheme, host riskdesk, no port or credentials); false for anything unparsable. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url)
    return u.protocol === 'app:' && u.hostname.toLowerCase() === 'riskdesk' && u.port === '' && u.username === '' && u.password === ''
  } catch {
    return false
  }
}
