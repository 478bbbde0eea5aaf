/**
 * A PipelineStore across two threads, so that reading a file and writing it to SQLite overlap: the import
 * thread runs the pipeline (reading, decoding, parsing, validating, replaying) on `remoteStore`, and the
 * thread that owns the database connection serves its calls with a `StoreServer` over the local store
 * (importPipeline.ts localStore). Everything still happens in that connection's one transaction.
 *
 * Calls that return something (ids, the import record, the key conflicts) are synchronous: the import thread
 * posts the call and blocks (Atomics.wait) until the answer. Writes that return nothing are posted and not
 * waited for; fills go in batches of FILL_BATCH (one INSERT statement each), ledger entries likewise. At most
 * MAX_IN_FLIGHT batches are outstanding (the import thread waits for the writer beyond that), so memory
 * stays bounded when parsing runs ahead of SQLite. A write that fails on the writing side fails the next
 * call of the import thread, which then rolls the transaction back, as a local failure would.
 */
import type { TierEntryInput } from '../db/marginTierStore'
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads'
import {
  FILL_BATCH, FILL_COLUMNS, fillParams, packFills, type FillBatch, type FillRow, type FinishInput, type ImportHeader, type ImportRecord, type ImportWriting,
  type KeyConflicts, type LedgerRow, type PositionRowInput, type PriceSeriesInput, type QuoteRowInput,
} from '../db/importStore'
import type { Instrument } from '../../shared/instrument'
import type { PipelineStore } from './importPipeline'

/** Slots of the shared signal array. */
const REQUESTS = 0 // messages posted by the import thread
const REPLIES = 1 // answers posted by the writing thread
const WRITTEN = 2 // batches the writing thread has written
const FAILED = 3 // 1 once a posted write failed

/** Batches posted and not yet written, at most (16K fills, a few MB): parsing runs ahead of SQLite, in
 * bounded memory whatever the file's size. */
const MAX_IN_FLIGHT = 64
const LEDGER_BATCH = 256

/** The channel between the two threads: a message port each way and a shared signal array. */
export interface StoreChannel {
  port: MessagePort
  signal: Int32Array
}

export function newSignal(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT))
}

/** Calls the store understands: on the store itself, or on the writer of the open import. */
type StoreCall = 'findBySha256' | 'begin' | 'writer' | 'commit' | 'rollback' | 'failure'
type WriterCall =
  | 'accountId' | 'instrumentId' | 'coverAccount' | 'addPosition' | 'addMarket' | 'fills' | 'ledger' | 'conflicts' | 'addTotal' | 'addBalance'
  | 'overlappingCloses' | 'addPriceSeries' | 'addTierEntries' | 'finish'

export interface StoreMessage {
  call: StoreCall | WriterCall
  args: unknown[]
  /** The caller waits for an answer. */
  sync: boolean
}

type Answer = { value: unknown } | { error: { name: string; message: string } }

function notify(signal: Int32Array, slot: number): void {
  Atomics.add(signal, slot, 1)
  Atomics.notify(signal, slot)
}

/** Waits until a message arrives on `port`, as counted by `signal[slot]`. */
function receive(port: MessagePort, signal: Int32Array, slot: number, deadline = Infinity): unknown {
  for (;;) {
    const seen = Atomics.load(signal, slot)
    const m = receiveMessageOnPort(port)
    if (m) return m.message
    if (Date.now() > deadline) throw new Error('the import thread did not finish')
    Atomics.wait(signal, slot, seen, 1000)
  }
}

/**
 * The writing side: runs the calls of `remoteStore` on a local store, in the order they were posted.
 * `handle` returns false for messages that are not store calls (the caller's own protocol).
 */
export class StoreServer {
  private writer: ImportWriting | null = null
  private failure: { name: string; message: string } | null = null

  constructor(
    private readonly store: PipelineStore,
    private readonly channel: StoreChannel,
  ) {}

  /** Reads the next message (waiting for it); store calls are served and `null` returned, anything else returned. */
  next(deadline: number): unknown {
    const { port, signal } = this.channel
    for (;;) {
      const m = receive(port, signal, REQUESTS, deadline) as StoreMessage | unknown
      if (!isStoreMessage(m)) return m
      this.serve(m)
    }
  }

  private serve(m: StoreMessage): void {
    const { port, signal } = this.channel
    const batch = m.call === 'fills' || m.call === 'ledger'
    let answer: Answer = { value: undefined }
    if (m.call === 'rollback') {
      // Always honoured, also after a failed write: it ends the transaction.
      this.failure = null
      answer = this.run(m)
    } else if (this.failure) answer = { error: this.failure }
    else {
      answer = this.run(m)
      if ('error' in answer && !m.sync) {
        this.failure = answer.error
        Atomics.store(signal, FAILED, 1)
      }
    }
    if (batch) notify(signal, WRITTEN)
    if (m.sync) {
      port.postMessage(answer)
      notify(signal, REPLIES)
    }
  }

  private run(m: StoreMessage): Answer {
    try {
      return { value: this.dispatch(m.call, m.args) }
    } catch (e) {
      return { error: { name: (e as Error).name, message: (e as Error).message } }
    }
  }

  private dispatch(call: StoreMessage['call'], a: unknown[]): unknown {
    const s = this.store
    switch (call) {
      case 'findBySha256':
        return s.findBySha256(a[0] as string)
      case 'begin':
        return s.begin()
      case 'writer':
        this.writer = s.writer(a[0] as ImportHeader)
        return this.writer.importId
      case 'commit':
        return s.commit()
      case 'rollback':
        return s.rollback()
      case 'failure':
        return undefined
    }
    const w = this.writer
    if (!w) throw new Error(`import store: ${call} before writer`)
    switch (call) {
      case 'accountId':
        return w.accountId(a[0] as string, a[1] as string)
      case 'instrumentId':
        return w.instrumentId(a[0] as Instrument)
      case 'coverAccount':
        return w.coverAccount(a[0] as number, a[1] as number, a[2] as string[])
      case 'addPosition':
        return w.addPosition(a[0] as PositionRowInput)
      case 'addMarket':
        return w.addMarket(a[0] as string, a[1] as number, a[2] as QuoteRowInput[], a[3] as Array<{ underlying: string; price: string; ts: number }>)
      case 'fills':
        return w.addFillBatch(a[0] as FillBatch)
      case 'ledger':
        for (const e of a[0] as LedgerRow[]) w.addLedger(e)
        return undefined
      case 'conflicts':
        return w.conflicts()
      case 'addTotal':
        return w.addTotal(a[0] as number, a[1] as number | null, a[2] as string, a[3] as string, a[4] as string)
      case 'addBalance':
        return w.addBalance(a[0] as number, a[1] as string, a[2] as string, a[3] as number | null, a[4] as 'file' | 'log', a[5] as number)
      case 'overlappingCloses':
        return w.overlappingCloses(a[0] as PriceSeriesInput)
      case 'addPriceSeries':
        return w.addPriceSeries(a[0] as PriceSeriesInput)
      case 'addTierEntries':
        return w.addTierEntries(a[0] as TierEntryInput[])
      case 'finish':
        return w.finish(a[0] as FinishInput)
    }
  }
}

/** Posts a message of the caller's own protocol to the serving thread (StoreServer.next returns it). */
export function postToServer(channel: StoreChannel, message: unknown): void {
  channel.port.postMessage(message)
  notify(channel.signal, REQUESTS)
}

/** Posts a message of the caller's own protocol to the import thread, before any store call (receiveFromServer). */
export function postToImportThread(channel: StoreChannel, message: unknown): void {
  channel.port.postMessage(message)
  notify(channel.signal, REPLIES)
}

/** In the import thread: waits for a message posted with postToImportThread. */
export function receiveFromServer(channel: StoreChannel): unknown {
  return receive(channel.port, channel.signal, REPLIES)
}

function isStoreMessage(m: unknown): m is StoreMessage {
  return typeof m === 'object' && m !== null && 'call' in m && 'sync' in m
}

/** The import thread's side: a PipelineStore whose calls run on the thread that serves `channel`. */
export function remoteStore(channel: StoreChannel): PipelineStore {
  const client = new StoreClient(channel)
  return {
    findBySha256: (sha) => client.call('findBySha256', [sha]) as ImportRecord | null,
    begin: () => void client.call('begin', []),
    writer: (header) => new RemoteWriter(client, header, client.call('writer', [header]) as number),
    commit: () => void client.call('commit', []),
    rollback: () => client.rollback(),
  }
}

class StoreClient {
  private posted = 0
  private fills: unknown[] = []
  private ledger: LedgerRow[] = []

  constructor(private readonly channel: StoreChannel) {}

  private post(m: StoreMessage): void {
    this.channel.port.postMessage(m)
    notify(this.channel.signal, REQUESTS)
  }

  /** A synchronous call: posts the batches queued so far, then the call, and waits for its answer. */
  call(call: StoreMessage['call'], args: unknown[]): unknown {
    this.flush()
    this.post({ call, args, sync: true })
    const answer = receive(this.channel.port, this.channel.signal, REPLIES) as Answer
    if ('error' in answer) throw Object.assign(new Error(answer.error.message), { name: answer.error.name })
    return answer.value
  }

  /** A write that returns nothing: posted, not waited for (a failure surfaces at the next call). */
  send(call: WriterCall, args: unknown[]): void {
    const { signal } = this.channel
    if (Atomics.load(signal, FAILED) === 1) this.call('failure', [])
    this.post({ call, args, sync: false })
    if (call !== 'fills' && call !== 'ledger') return
    this.posted++
    for (;;) {
      const written = Atomics.load(signal, WRITTEN)
      if (this.posted - written <= MAX_IN_FLIGHT) break
      Atomics.wait(signal, WRITTEN, written, 1000)
    }
  }

  addFill(f: FillRow): void {
    fillParams(f, this.fills)
    if (this.fills.length >= FILL_BATCH * FILL_COLUMNS) this.flushFills()
  }

  /** A batch packed by the caller, after the fills queued so far. */
  sendFills(b: FillBatch): void {
    this.flushFills()
    this.send('fills', [b])
  }

  addLedger(e: LedgerRow): void {
    this.ledger.push(e)
    if (this.ledger.length >= LEDGER_BATCH) this.flushLedger()
  }

  private flushFills(): void {
    if (this.fills.length === 0) return
    const batch = packFills(this.fills)
    this.fills = []
    this.send('fills', [batch])
  }

  private flushLedger(): void {
    if (this.ledger.length === 0) return
    const batch = this.ledger
    this.ledger = []
    this.send('ledger', [batch])
  }

  private flush(): void {
    this.flushFills()
    this.flushLedger()
  }

  /** Ends the transaction, dropping whatever is still queued. */
  rollback(): void {
    this.fills = []
    this.ledger = []
    this.call('rollback', [])
  }
}

class RemoteWriter implements ImportWriting {
  private readonly accounts = new Map<string, number>()

  constructor(
    private readonly client: StoreClient,
    readonly header: ImportHeader,
    readonly importId: number,
  ) {}

  accountId(venue: string, name: string): number {
    const k = `${venue}\u0000${name}`
    let id = this.accounts.get(k)
    if (id === undefined) this.accounts.set(k, (id = this.client.call('accountId', [venue, name]) as number))
    return id
  }
  instrumentId(i: Instrument): number {
    return this.client.call('instrumentId', [i]) as number
  }
  coverAccount(accountId: number, positions: number, scopes: readonly string[]): void {
    this.client.send('coverAccount', [accountId, positions, [...scopes]])
  }
  addPosition(p: PositionRowInput): void {
    this.client.send('addPosition', [p])
  }
  addMarket(venue: string, asOf: number, quotes: QuoteRowInput[], indices: Array<{ underlying: string; price: string; ts: number }>): void {
    this.client.send('addMarket', [venue, asOf, quotes, indices])
  }
  addFill(f: FillRow): void {
    this.client.addFill(f)
  }
  addFillBatch(b: FillBatch): void {
    this.client.sendFills(b)
  }
  addLedger(e: LedgerRow): void {
    this.client.addLedger(e)
  }
  conflicts(): KeyConflicts {
    return this.client.call('conflicts', []) as KeyConflicts
  }
  addTotal(accountId: number, instrumentId: number | null, measure: string, currency: string, amount: string): void {
    this.client.send('addTotal', [accountId, instrumentId, measure, currency, amount])
  }
  addBalance(accountId: number, currency: string, amount: string, ts: number | null, source: 'file' | 'log', line: number): void {
    this.client.send('addBalance', [accountId, currency, amount, ts, source, line])
  }
  overlappingCloses(s: PriceSeriesInput): { same: number; different: number } {
    return this.client.call('overlappingCloses', [s]) as { same: number; different: number }
  }
  addPriceSeries(s: PriceSeriesInput): void {
    this.client.send('addPriceSeries', [s])
  }
  addTierEntries(rows: TierEntryInput[]): void {
    this.client.send('addTierEntries', [rows])
  }
  finish(f: FinishInput): ImportRecord {
    return this.client.call('finish', [f]) as ImportRecord
  }
}
