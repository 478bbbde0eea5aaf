/**
 * Electron main process: the desktop host. Opens the database in the per-user data directory, wires the API
 * to IPC and shows one sandboxed, context-isolated window on app://riskdesk.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow } from 'electron'
import stressWorkerPath from './engine/stressWorker?modulePath'
import { handleAppProtocol, registerAppScheme } from './hosts/electron/appProtocol'
import { registerIpcHandlers } from './hosts/electron/ipcHost'
import { electronReportPrinter } from './hosts/electron/reportPrinter'
import { APP_ORIGIN, installSecurityGuards, secureWebPreferences } from './hosts/electron/security'
import { setReportPrinter } from './services/riskdeskApi'
import { DB_FILE_NAME, openRuntime, type Runtime } from './services/runtime'

const OUT_DIR = fileURLToPath(new URL('..', import.meta.url))
let runtime: Runtime | null = null

registerAppScheme()

async function start(): Promise<void> {
  await app.whenReady()
  installSecurityGuards()
  handleAppProtocol(join(OUT_DIR, 'renderer'))
  runtime = openRuntime({
    dbPath: process.env.RISKDESK_DB ?? join(app.getPath('userData'), DB_FILE_NAME),
    workerFile: stressWorkerPath,
    writerName: 'the Riskdesk desktop app',
  })
  registerIpcHandlers(runtime.api)
  // Export PDF…: a hidden window prints the report route (hosts/electron/reportPrinter.ts).
  setReportPrinter(runtime.api, electronReportPrinter(secureWebPreferences(join(OUT_DIR, 'preload', 'index.cjs'))))
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    title: 'Riskdesk',
    show: false,
    webPreferences: secureWebPreferences(join(OUT_DIR, 'preload', 'index.cjs')),
  })
  window.once('ready-to-show', () => window.show())
  await window.loadURL(`${APP_ORIGIN}/index.html`)
}

app.on('window-all-closed', () => app.quit())
app.on('will-quit', () => {
  void runtime?.close()
})

start().catch((e: unknown) => {
  console.error(e)
  app.exit(1)
})
