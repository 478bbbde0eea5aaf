/**
 * Where the database lives by default: the desktop app's per-user data directory, so the CLI, the web host
 * and `npm start` share one database. Mirrors Electron's `app.getPath('userData')` = appData/<app name>,
 * where appData is %APPDATA% on Windows, ~/Library/Application Support on macOS and $XDG_CONFIG_HOME or
 * ~/.config on Linux (Electron docs, app.getPath). `--db PATH` or RISKDESK_DB overrides it.
 */
import { homedir } from 'node:os'
import { join } from 'node:path'

/** Electron's app name for Riskdesk (package.json `productName`). */
export const APP_NAME = 'Riskdesk'
export const DB_FILE_NAME = 'riskdesk.db'

/** The per-user data directory the desktop app uses. */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = homedir()
  const appData =
    platform === 'win32'
      ? (env.APPDATA ?? join(home, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? join(home, 'Library', 'Application Support')
        : (env.XDG_CONFIG_HOME ?? join(home, '.config'))
  return join(appData, APP_NAME)
}

/** The database file: explicit path, else RISKDESK_DB, else the per-user data directory. */
export function resolveDbPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit ?? env.RISKDESK_DB ?? join(userDataDir(env), DB_FILE_NAME)
}
