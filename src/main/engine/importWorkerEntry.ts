/**
 * The import thread's entry (importWorker.ts): takes the serving side's first message, runs the task module
 * it was given (`run(job, client, first)`, e.g. services/importTask.ts) and posts its result, or its
 * unexpected error, as the last message.
 *
 * From the sources a .ts task is loaded with require: under tsx, whose ESM loader resolves each of the ~200
 * modules of the pipeline (date-fns alone is ~70) through its hooks, that starts the thread in ~0.35 s
 * instead of ~0.55 s, time during which the writing thread has nothing to do. A build loads the built task
 * (vite.cli.config.ts and electron.vite.config.ts emit it beside this entry).
 */
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { workerData } from 'node:worker_threads'
import type { ImportThreadData, ImportThreadReply } from './importWorker'
import { ChannelClient, receiveFirst } from './threadChannel'

/** What a task module exports. */
export interface ImportThreadTask {
  run(job: unknown, client: ChannelClient, first: unknown): unknown
}

const { task, job, port, signal } = workerData as ImportThreadData
const channel = { port, signal }
const client = new ChannelClient(channel)
let reply: ImportThreadReply
try {
  const mod = (task.endsWith('.ts') ? createRequire(import.meta.url)(task) : await import(pathToFileURL(task).href)) as ImportThreadTask
  const { first } = receiveFirst(channel) as { first: unknown }
  reply = { done: true, result: mod.run(job, client, first) }
} catch (e) {
  reply = { done: true, error: { name: (e as Error).name, message: (e as Error).message } }
}
client.postResult(reply)
