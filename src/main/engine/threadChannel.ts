/**
 * A call channel between a worker thread and the thread that serves it, for work that is synchronous on the
 * worker's side (a file parsed row by row) and must overlap with the serving side's own (SQLite writes):
 *
 *  - `call` (synchronous): the worker posts the call and blocks (Atomics.wait) until the answer — for what
 *    returns something (an id, a final record);
 *  - `send` (posted, not waited for): writes that return nothing; at most `maxInFlight` counted sends are
 *    outstanding (the worker waits for the serving side beyond that), so memory stays bounded when the worker
 *    runs ahead. A send that fails on the serving side fails the worker's next call or send.
 *
 * The serving side answers either blocking (`ChannelServer.next`, a caller that has nothing else to do) or
 * from its event loop (`ChannelServer.listen`, a host that keeps serving others meanwhile).
 *
 * Why not a library: synckit (synchronous calls to a worker) serves one call at a time — every write would
 * wait for the one before it, which is the one-thread import (bench/README.md measures what that costs);
 * comlink is asynchronous only, and the readers push rows synchronously. Both would need the parse and the
 * writes to stop overlapping. The message passing itself is Node's (MessagePort, receiveMessageOnPort).
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads'

/** Slots of the shared signal array. */
const REQUESTS = 0 // messages posted by the worker
const REPLIES = 1 // answers posted by the serving side
const SERVED = 2 // counted sends served
const FAILED = 3 // 1 once a send failed

/** One end of the channel: a message port and the shared signal array. */
export interface ThreadChannel {
  port: MessagePort
  signal: Int32Array
}

export function newChannelSignal(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT))
}

interface CallMessage {
  call: string
  args: unknown[]
  /** The caller waits for an answer. */
  sync: boolean
  /** A counted send (backpressure). */
  counted: boolean
}

type Answer = { value: unknown } | { error: { name: string; message: string } }

function notify(signal: Int32Array, slot: number): void {
  Atomics.add(signal, slot, 1)
  Atomics.notify(signal, slot)
}

/** Waits until a message arrives on `port`, as counted by `signal[slot]`; null after `deadline` or once `alive()` is false. */
function receive(port: MessagePort, signal: Int32Array, slot: number, deadline = Infinity, alive: () => boolean = () => true): { message: unknown } | null {
  for (;;) {
    const seen = Atomics.load(signal, slot)
    const m = receiveMessageOnPort(port)
    if (m) return { message: m.message }
    if (Date.now() > deadline || !alive()) return null
    Atomics.wait(signal, slot, seen, 200)
  }
}

function isCall(m: unknown): m is CallMessage {
  return typeof m === 'object' && m !== null && 'call' in m && 'sync' in m
}

/**
 * The serving side: runs the worker's calls with `handler`, in the order they were posted. Messages that
 * are not calls (the caller's own protocol: a final result) are handed back.
 */
export class ChannelServer {
  private failure: { name: string; message: string } | null = null

  /** @param always calls honoured even after a failed send (e.g. a rollback that ends a transaction) */
  constructor(
    private readonly channel: ThreadChannel,
    private readonly handler: (call: string, args: unknown[]) => unknown,
    private readonly always: readonly string[] = [],
  ) {}

  /**
   * Blocking: serves calls until another message arrives, and returns it.
   * @returns null when `deadline` passes or `alive()` turns false first
   */
  next(deadline: number, alive?: () => boolean): { message: unknown } | null {
    for (;;) {
      const m = receive(this.channel.port, this.channel.signal, REQUESTS, deadline, alive)
      if (m === null || !isCall(m.message)) return m
      this.serve(m.message)
    }
  }

  /** From the event loop: serves calls as they arrive; other messages go to `other`. Returns a stop function. */
  listen(other: (message: unknown) => void): () => void {
    const on = (m: unknown) => (isCall(m) ? this.serve(m) : other(m))
    this.channel.port.on('message', on)
    return () => void this.channel.port.off('message', on)
  }

  private serve(m: CallMessage): void {
    const { port, signal } = this.channel
    let answer: Answer
    if (this.failure && !this.always.includes(m.call)) answer = { error: this.failure }
    else if (m.call === 'failure') answer = { value: undefined }
    else {
      if (this.always.includes(m.call) && this.failure) {
        this.failure = null
        Atomics.store(signal, FAILED, 0)
      }
      try {
        answer = { value: this.handler(m.call, m.args) }
      } catch (e) {
        answer = { error: { name: (e as Error).name, message: (e as Error).message } }
        if (!m.sync) {
          this.failure = answer.error
          Atomics.store(signal, FAILED, 1)
        }
      }
    }
    if (m.counted) notify(signal, SERVED)
    if (m.sync) {
      port.postMessage(answer)
      notify(signal, REPLIES)
    }
  }
}

/** The worker's side. */
export class ChannelClient {
  private counted = 0

  constructor(
    private readonly channel: ThreadChannel,
    private readonly maxInFlight = 64,
  ) {}

  private post(m: CallMessage): void {
    this.channel.port.postMessage(m)
    notify(this.channel.signal, REQUESTS)
  }

  /** A synchronous call: waits for its answer. @throws the serving side's error (or a failed earlier send's) */
  call(call: string, args: unknown[]): unknown {
    this.post({ call, args, sync: true, counted: false })
    const answer = receive(this.channel.port, this.channel.signal, REPLIES)!.message as Answer
    if ('error' in answer) throw Object.assign(new Error(answer.error.message), { name: answer.error.name })
    return answer.value
  }

  /** A call that returns nothing: posted, not waited for (unless `counted` and too many are outstanding). */
  send(call: string, args: unknown[], counted = false): void {
    const { signal } = this.channel
    if (Atomics.load(signal, FAILED) === 1) this.call('failure', [])
    this.post({ call, args, sync: false, counted })
    if (!counted) return
    this.counted++
    for (;;) {
      const served = Atomics.load(signal, SERVED)
      if (this.counted - served <= this.maxInFlight) break
      Atomics.wait(signal, SERVED, served, 1000)
    }
  }

  /** A message of the caller's own protocol to the serving side (ChannelServer.next / listen hand it back). */
  postResult(message: unknown): void {
    this.channel.port.postMessage(message)
    notify(this.channel.signal, REQUESTS)
  }
}

/** The serving side's first message to the worker (before any call), e.g. a value it computed meanwhile. */
export function postFirst(channel: ThreadChannel, message: unknown): void {
  channel.port.postMessage(message)
  notify(channel.signal, REPLIES)
}

/** In the worker: waits for the serving side's first message (postFirst). */
export function receiveFirst(channel: ThreadChannel): unknown {
  return receive(channel.port, channel.signal, REPLIES)!.message
}
