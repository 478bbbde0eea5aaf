/**
 * A large import in a thread of its own, on its own connection to the database file: the same pipeline
 * (runPipeline), with the thread's heap capped, so the garbage of parsing a million rows stays in a small
 * heap and the import's memory stays bounded whatever the file size. The caller blocks until it is done,
 * as it would for an in-thread import (Atomics.wait on a shared flag, then receiveMessageOnPort).
 *
 * Used for files from disk of 16 MB or more on a database file; uploads, in-memory databases and builds
 * without the worker entry import in the calling thread.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads'
import type { ColumnMapping } from '../../shared/importApi'
import type { ByteSource, PipelineOptions, PipelineResult } from './importPipeline'

/** Files from disk at least this large import in a worker thread. */
export const WORKER_IMPORT_BYTES = 16 * 1024 * 1024
/** Heap caps of the import thread: young generation (MB) and old generation (MB). */
const YOUNG_MB = 16
const OLD_MB = 160
const TIMEOUT_MS = 6 * 60 * 60_000

export interface WorkerJob {
  dbPath: string
  src: ByteSource
  options: Omit<PipelineOptions, 'format'> & { formatId?: string; mapping?: { name: string; mapping: ColumnMapping } }
}

/** The worker entry: the .ts source (tsx) or a built .js beside this module; null when absent. */
export function importWorkerFile(): string | null {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js'
  const file = fileURLToPath(new URL(`./importWorkerEntry${ext}`, import.meta.url))
  return existsSync(file) ? file : null
}

/**
 * Runs the pipeline in a worker thread and waits for it.
 * @throws the worker's error (an unexpected one: a bad file is a result, not an error)
 */
export function runPipelineInWorker(job: WorkerJob, file = importWorkerFile()): PipelineResult {
  if (!file) throw new Error('the import worker is not available in this build')
  const channel = new MessageChannel()
  const done = new Int32Array(new SharedArrayBuffer(4))
  const worker = new Worker(file, {
    execArgv: file.endsWith('.ts') ? ['--import', 'tsx'] : [],
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB, maxOldGenerationSizeMb: OLD_MB },
    workerData: { job, port: channel.port2, done },
    transferList: [channel.port2],
  })
  worker.unref()
  try {
    const deadline = Date.now() + TIMEOUT_MS
    for (;;) {
      const m = receiveMessageOnPort(channel.port1)
      if (m) {
        const reply = m.message as { result?: PipelineResult; error?: { name: string; message: string } }
        if (reply.error) throw Object.assign(new Error(reply.error.message), { name: reply.error.name })
        return reply.result!
      }
      if (Date.now() > deadline) throw new Error('the import thread did not finish')
      Atomics.wait(done, 0, 0, 500)
    }
  } finally {
    void worker.terminate()
  }
}
