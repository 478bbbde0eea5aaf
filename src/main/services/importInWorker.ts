/**
 * A large import on two threads: a worker thread reads the file and runs the pipeline (decoding, parsing,
 * validation, replay) with its heap capped, so the garbage of parsing a million rows stays in a small heap,
 * while the calling thread writes to the database through its own connection as the rows come
 * (importStoreProxy.ts): reading and SQLite's inserts overlap, and everything lands in the calling
 * connection's one transaction. The caller blocks until the import is done, as it would for an in-thread
 * import.
 *
 * Used for files from disk of 16 MB or more; uploads and builds without the worker entry import in the
 * calling thread.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { MessageChannel, Worker } from 'node:worker_threads'
import type { ColumnMapping } from '../../shared/importApi'
import type { Db } from '../db/database'
import { localStore, sha256Of, type ByteSource, type PipelineOptions, type PipelineResult } from './importPipeline'
import { newSignal, postToImportThread, StoreServer } from './importStoreProxy'

/** Files from disk at least this large import in a worker thread. */
export const WORKER_IMPORT_BYTES = 16 * 1024 * 1024
/** Heap caps of the import thread: young generation (MB) and old generation (MB). */
const YOUNG_MB = 8
const OLD_MB = 160
const TIMEOUT_MS = 6 * 60 * 60_000

export interface WorkerJob {
  src: ByteSource
  options: Omit<PipelineOptions, 'format' | 'sha256'> & { formatId?: string; mapping?: { name: string; mapping: ColumnMapping } }
}

/** What the import thread gets first: the file's sha256, computed here while it starts (null: hash it there). */
export interface WorkerStart {
  sha256: string | null
}

/** What the import thread posts last: the pipeline's result, or an unexpected error. */
export type WorkerReply = { done: true; result: PipelineResult } | { done: true; error: { name: string; message: string } }

/** The worker entry: the .ts source (tsx) or a built .js beside this module; null when absent. */
export function importWorkerFile(): string | null {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js'
  const file = fileURLToPath(new URL(`./importWorkerEntry${ext}`, import.meta.url))
  return existsSync(file) ? file : null
}

/**
 * Runs the pipeline in a worker thread, writing through `db` here, and waits for it.
 * @throws the worker's error (an unexpected one: a bad file is a result, not an error)
 */
export function runPipelineInWorker(db: Db, job: WorkerJob, file = importWorkerFile()): PipelineResult {
  if (!file) throw new Error('the import worker is not available in this build')
  const channel = new MessageChannel()
  const signal = newSignal()
  const worker = new Worker(file, {
    execArgv: file.endsWith('.ts') ? ['--import', 'tsx'] : [],
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB, maxOldGenerationSizeMb: OLD_MB },
    workerData: { job, port: channel.port2, signal },
    transferList: [channel.port2],
  })
  worker.unref()
  const store = localStore(db)
  const server = new StoreServer(store, { port: channel.port1, signal })
  try {
    // The file's hash while the import thread starts (its first step needs it); it hashes itself on failure.
    let sha256: string | null = null
    try {
      sha256 = sha256Of(job.src)
    } catch {
      // unreadable: the pipeline reports it
    }
    postToImportThread({ port: channel.port1, signal }, { sha256 } satisfies WorkerStart)
    const reply = server.next(Date.now() + TIMEOUT_MS) as WorkerReply
    if ('error' in reply) throw Object.assign(new Error(reply.error.message), { name: reply.error.name })
    return reply.result
  } finally {
    // The pipeline ends its transaction itself; this is for an import thread that died on the way.
    if (db.inTransaction) store.rollback()
    channel.port1.close()
    void worker.terminate()
  }
}
