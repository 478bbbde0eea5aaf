/**
 * The import thread (importInWorker.ts): takes the file's hash from the calling thread, runs the pipeline on
 * that thread's store (importStoreProxy.ts remoteStore), posts the result.
 *
 * From the sources the pipeline's modules are loaded with require: under tsx, whose ESM loader resolves each
 * of the ~200 modules (date-fns alone is ~70) through its hooks, that starts the thread in ~0.35 s instead of
 * ~0.55 s, time during which the writing thread has nothing to do. A build (vite.cli.config.ts) bundles them
 * through the static imports of the other branch.
 */
import { createRequire } from 'node:module'
import { workerData, type MessagePort } from 'node:worker_threads'
import type { WorkerJob, WorkerReply, WorkerStart } from './importInWorker'

type Modules = typeof import('../importers/venues/generic/mappedCsv') & typeof import('./importPipeline') & typeof import('./importStoreProxy')
const load = createRequire(import.meta.url)
const { mappedFormat, runPipelineOn, postToServer, receiveFromServer, remoteStore }: Modules = import.meta.url.endsWith('.ts')
  ? { ...load('../importers/venues/generic/mappedCsv.ts'), ...load('./importPipeline.ts'), ...load('./importStoreProxy.ts') }
  : { ...(await import('../importers/venues/generic/mappedCsv')), ...(await import('./importPipeline')), ...(await import('./importStoreProxy')) }

const { job, port, signal } = workerData as { job: WorkerJob; port: MessagePort; signal: Int32Array }
const channel = { port, signal }
let reply: WorkerReply
try {
  const { sha256 } = receiveFromServer(channel) as WorkerStart
  const { formatId, mapping, ...options } = job.options
  const format = mapping ? mappedFormat(mapping.mapping, mapping.name, job.src.fileName) : formatId
  reply = { done: true, result: runPipelineOn(remoteStore(channel), job.src, { ...options, format, sha256: sha256 ?? undefined }) }
} catch (e) {
  reply = { done: true, error: { name: (e as Error).name, message: (e as Error).message } }
}
postToServer(channel, reply)
