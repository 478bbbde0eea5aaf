/**
 * Electron security checklist (electron/docs/tutorial/security.md) applied app-wide: window settings, no
 * navigation or new windows, no webviews, no permissions, and the app:// origin IPC is accepted from.
 */
import { app, session, type WebContents, type WebPreferences } from 'electron'

/** The renderer's origin: files are served by the app:// protocol handler, never file://. */
export const APP_ORIGIN = 'app://riskdesk'

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
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
  if (!frame || frame !== sender.mainFrame) return false
  try {
    return new URL(frame.url).origin === APP_ORIGIN
  } catch {
    return false
  }
}

/** Installs the app-wide guards; call once before any window opens. */
export function installSecurityGuards(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (new URL(url).origin !== APP_ORIGIN) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (new URL(url).origin !== APP_ORIGIN) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
}
