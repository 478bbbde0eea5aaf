/**
 * The import thread: a worker thread with a capped heap that runs a task module (the import service's
 * reading side, services/importTask.ts) while the thread that started it serves the task's store calls over
 * a ThreadChannel (threadChannel.ts) — reading and SQLite's writes overlap, and the garbage of parsing a
 * million rows stays in the thread's small heap. The starting thread either blocks until the task is done
 * (runImportThreadSync: a caller with nothing else to do, as an in-thread import would) or keeps its event
 * loop (runImportThread: the web host and the Electron main process, which serve others meanwhile).
 *
 * The engine knows neither files nor SQLite: the task module and the call handler come from the caller.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads'
import { ChannelServer, newChannelSignal, postFirst, type ThreadChannel } from './threadChannel'

/** Heap caps of the import thread: young generation (MB) and old generation (MB). */
const YOUNG_MB = 8
const OLD_MB = 160
const TIMEOUT_MS = 6 * 60 * 60_000

/** What the entry (importWorkerEntry.ts) gets: the task module's path and its job. */
export interface ImportThreadData {
  task: string
  job: unknown
  port: ThreadChannel['port']
  signal: Int32Array
}

/** What the task posts last: its result, or an unexpected error (a bad file is a result, not an error). */
export type ImportThreadReply = { done: true; result: unknown } | { done: true; error: { name: string; message: string } }

const isReply = (m: unknown): m is ImportThreadReply => typeof m === 'object' && m !== null && (m as { done?: unknown }).done === true

/** A file beside this module: the .ts source (tsx, vitest) or the built .js; null when absent. */
export function besideEngine(name: string): string | null {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js'
  const file = fileURLToPath(new URL(`./${name}${ext}`, import.meta.url))
  return existsSync(file) ? file : null
}

/** The import thread's entry, or null in a build without it (imports then run in the calling thread). */
export function importWorkerEntry(): string | null {
  return besideEngine('importWorkerEntry')
}

export interface ImportThreadOptions {
  /** The task module (it exports `run(job, channel)`). */
  task: string
  job: unknown
  /** Serves the task's calls on this thread. */
  handle: (call: string, args: unknown[]) => unknown
  /** Calls honoured even after a failed send (ChannelServer). */
  always?: readonly string[]
  /** Runs on this thread while the import thread starts (e.g. hashing the file); its value goes to `first`. */
  meanwhile?: () => unknown
}

function start(o: ImportThreadOptions): { worker: Worker; channel: ThreadChannel; server: ChannelServer } {
  const entry = importWorkerEntry()
  if (!entry) throw new Error('the import thread is not available in this build')
  const { port1, port2 } = new MessageChannel()
  const signal = newChannelSignal()
  const data: ImportThreadData = { task: o.task, job: o.job, port: port2, signal }
  const worker = new Worker(entry, {
    execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB, maxOldGenerationSizeMb: OLD_MB },
    workerData: data,
    transferList: [port2],
  })
  worker.unref()
  const channel = { port: port1, signal }
  return { worker, channel, server: new ChannelServer(channel, o.handle, o.always) }
}

function resultOf(reply: ImportThreadReply): unknown {
  if ('error' in reply) throw Object.assign(new Error(reply.error.message), { name: reply.error.name })
  return reply.result
}

/**
 * Runs the task on the import thread and blocks until it is done, serving its calls here.
 * @throws the task's unexpected error, or when the thread stops without a result
 */
export function runImportThreadSync(o: ImportThreadOptions): unknown {
  const { worker, channel, server } = start(o)
  try {
    postFirst(channel, { first: o.meanwhile?.() })
    const got = server.next(Date.now() + TIMEOUT_MS, () => worker.threadId !== -1)
    if (got === null) throw new Error('the import thread stopped without a result (out of memory?)')
    if (!isReply(got.message)) throw new Error('the import thread answered out of turn')
    return resultOf(got.message)
  } finally {
    channel.port.close()
    void worker.terminate()
  }
}

/** Runs the task on the import thread, serving its calls from this thread's event loop. */
export function runImportThread(o: ImportThreadOptions): Promise<unknown> {
  const { worker, channel, server } = start(o)
  return new Promise<unknown>((resolve, reject) => {
    let settled = false
    const finish = (f: () => void) => {
      if (settled) return
      settled = true
      stop()
      channel.port.close()
      void worker.terminate()
      f()
    }
    const stop = server.listen((m) => {
      if (!isReply(m)) return finish(() => reject(new Error('the import thread answered out of turn')))
      finish(() => {
        try {
          resolve(resultOf(m))
        } catch (e) {
          reject(e)
        }
      })
    })
    worker.once('error', (e) => finish(() => reject(e)))
    worker.once('exit', () => {
      // The reply may still wait on the port when the thread has already ended.
      const last = receiveMessageOnPort(channel.port)
      if (last && isReply(last.message)) {
        const reply = last.message
        return finish(() => {
          try {
            resolve(resultOf(reply))
          } catch (e) {
            reject(e)
          }
        })
      }
      finish(() => reject(new Error('the import thread stopped without a result (out of memory?)')))
    })
    try {
      postFirst(channel, { first: o.meanwhile?.() })
    } catch (e) {
      finish(() => reject(e))
    }
  })
}
