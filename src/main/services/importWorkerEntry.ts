/**
 * The import thread (importInWorker.ts): opens its own connection, runs the pipeline, posts the result.
 */
import { workerData, type MessagePort } from 'node:worker_threads'
import { openDatabase } from '../db/database'
import { mappedFormat } from '../importers/mappedCsv'
import type { WorkerJob } from './importInWorker'
import { runPipeline } from './importPipeline'

const { job, port, done } = workerData as { job: WorkerJob; port: MessagePort; done: Int32Array }
let reply: unknown
try {
  const db = openDatabase(job.dbPath)
  try {
    const { formatId, mapping, ...options } = job.options
    const format = mapping ? mappedFormat(mapping.mapping, mapping.name, job.src.fileName) : formatId
    reply = { result: runPipeline(db, job.src, { ...options, format }) }
  } finally {
    db.close()
  }
} catch (e) {
  reply = { error: { name: (e as Error).name, message: (e as Error).message } }
}
port.postMessage(reply)
Atomics.store(done, 0, 1)
Atomics.notify(done, 0)
