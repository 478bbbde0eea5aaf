/**
 * The desktop host's origin test (src/main/hosts/electron/appOrigin.ts), which the navigation guards
 * (will-navigate, will-frame-navigate, will-redirect), the IPC sender check and the app:// handler use.
 * Expected values are WHATWG URL parsing by hand: scheme, host and port of each string.
 */
import { describe, expect, it } from 'vitest'
import { APP_ORIGIN, isAppUrl } from '../../src/main/hosts/electron/appOrigin'

describe('app:// origin', () => {
  it('accepts the app origin, its pages and assets', () => {
    expect(isAppUrl(`${APP_ORIGIN}/index.html`)).toBe(true)
    expect(isAppUrl('app://riskdesk/assets/index-abc.js?x=1#token')).toBe(true)
    expect(isAppUrl('APP://RISKDESK/')).toBe(true) // scheme and host are case-insensitive (Node keeps a non-special scheme's host as written; Chromium lowercases a standard scheme's)
  })

  it("does not rely on Node's URL origin, which is the string 'null' for a non-special scheme", () => {
    // The comparison the guards made before: it refused the app's own pages (and every IPC call).
    expect(new URL(`${APP_ORIGIN}/index.html`).origin).toBe('null')
  })

  it('refuses every other origin, look-alike hosts, credentials, ports and unparsable URLs', () => {
    for (const url of [
      'https://riskdesk/index.html',
      'file:///etc/passwd',
      'app://riskdesk.evil.example/',
      'app://evil.example/',
      'app://user:pw@riskdesk/',
      'app://riskdesk:8080/',
      'about:blank',
      'data:text/html,<script>1</script>',
      'javascript:alert(1)',
      'not a url',
      '',
    ])
      expect({ url, app: isAppUrl(url) }).toEqual({ url, app: false })
  })
})
