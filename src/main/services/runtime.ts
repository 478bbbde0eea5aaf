/**
 * One Riskdesk process: the database, the stress pool (created on first use) and the API over them. Every
 * host (CLI, web host, Electron) opens one and closes it on exit.
 */
import type { RiskdeskHandlers } from '../../shared/api'
import { resolveDbPath } from '../db/dataDir'

export { DB_FILE_NAME } from '../db/dataDir'
import { openDatabase, type Db } from '../db/database'
import { setWriterName, setWriteWaitListener } from '../db/writeGate'
import { StressPool, type StressPoolOptions } from '../engine/stressPool'
import { createRiskdeskHandlers } from './riskdeskApi'

export interface RuntimeOptions extends StressPoolOptions {
  /** Database file; default RISKDESK_DB or the per-user data directory. */
  dbPath?: string
  /** Told when a write waits for another process's write to the same file (db/writeGate.ts; the CLI prints it). */
  onWriteWait?: (message: string) => void
  /** How this process is named to another one waiting for its write (e.g. `riskdesk import trades.csv`). */
  writerName?: string
}

export interface Runtime {
  dbPath: string
  db: Db
  api: RiskdeskHandlers
  stressPool(): StressPool
  close(): Promise<void>
}

export function openRuntime(options: RuntimeOptions = {}): Runtime {
  const dbPath = resolveDbPath(options.dbPath)
  if (options.onWriteWait) setWriteWaitListener(options.onWriteWait)
  if (options.writerName) setWriterName(options.writerName)
  const db = openDatabase(dbPath)
  let pool: StressPool | null = null
  const stressPool = () => (pool ??= new StressPool({ workers: options.workers, workerFile: options.workerFile }))
  return {
    dbPath,
    db,
    api: createRiskdeskHandlers({ db, stressPool }),
    stressPool,
    async close() {
      await pool?.close()
      db.close()
    },
  }
}
