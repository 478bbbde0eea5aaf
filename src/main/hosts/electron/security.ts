/**
 * Electron security checklist (electron/docs/tutorial/security.md) applied app-wide: window settings, no
 * navigation of any frame (main or sub, `will-navigate`, `will-frame-navigate`, `will-redirect`) away from
 * app://riskdesk, no new windows, no webviews, no permissions, DevTools off in a packaged build, and the
 * app:// origin IPC is accepted from. The fuses the packaged binary must carry are in docs/security.md.
 */
import { app, session, type WebContents, type WebPreferences } from 'electron'
import { isAppUrl } from './appOrigin'

export { APP_ORIGIN, isAppUrl } from './appOrigin'

/**
 * @param packaged a packaged build (`app.isPackaged`): DevTools are then off, so a user's machine offers no
 *   console into the renderer; development builds keep them.
 */
export function secureWebPreferences(preload: string, packaged: boolean = app.isPackaged): WebPreferences {
  return {
    preload,
    devTools: !packaged,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
  }
}

/** True when an IPC message comes from the app's own main frame (checklist item 17). */
export function isTrustedSender(sender: WebContents, frame: Electron.WebFrameMain | null): boolean {
  return frame !== null && frame === sender.mainFrame && isAppUrl(frame.url)
}

/** Installs the app-wide guards; call once before any window opens. */
export function installSecurityGuards(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault()
    })
    // Sub-frames too (will-navigate sees the main frame only): no frame may leave the app's origin.
    contents.on('will-frame-navigate', (event) => {
      if (!isAppUrl(event.url)) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault()
    })
    if (app.isPackaged) contents.on('devtools-opened', () => contents.closeDevTools())
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
}
