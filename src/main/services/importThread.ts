/**
 * A large import on two threads (engine/importWorker.ts): the import thread reads the file and runs the
 * pipeline (decoding, parsing, validation, replay: importTask.ts) on a store whose calls run here, on a
 * connection of this thread, in that connection's one transaction. Reading and SQLite's inserts overlap.
 *
 * Calls that return something (account and instrument ids, key conflicts) are synchronous for the import
 * thread; writes are posted, fills in batches of FILL_BATCH (one INSERT each), at most 64 batches in flight.
 * A write that fails here fails the import thread's next call, which then rolls the transaction back, as a
 * failure in one thread would.
 *
 * `importOnThread` blocks this thread until the import is done and writes through the caller's connection;
 * `importOnThreadAsync` serves the import from this thread's event loop through a connection of its own,
 * so a host keeps answering others during a long import (they read the data as it was until the commit).
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { ImportResult } from '../../shared/importApi'
import type { Instrument } from '../../shared/instrument'
import { openDatabase, type Db } from '../db/database'
import { inWriteTransaction } from '../db/writeGate'
import type { ImportHistoryEntry } from '../db/importHistoryStore'
import {
  FILL_BATCH, FILL_COLUMNS, fillParams, packFills, type FillBatch, type FillRow, type FinishInput, type ImportHeader, type ImportWriting, type KeyConflicts,
  type LedgerRow, type PositionRowInput, type PriceSeriesInput, type QuoteRowInput,
} from '../db/importStore'
import type { TierEntryInput } from '../db/marginTierStore'
import { importWorkerEntry, runImportThread, runImportThreadSync } from '../engine/importWorker'
import { ChannelClient, ChannelServer, newChannelSignal, type ThreadChannel } from '../engine/threadChannel'
import { localStore, sha256Of, type ByteSource, type PipelineOptions, type PipelineStore } from './importPipeline'

/** Files from disk at least this large import on the import thread (below, starting it costs more than it saves). */
export const WORKER_IMPORT_BYTES = 16 * 1024 * 1024
const LEDGER_BATCH = 256

/** What the import thread gets: the source and the pipeline's options. */
export interface ImportJob {
  src: ByteSource
  options: Omit<PipelineOptions, 'sha256'>
}

/** The import task module beside the engine's entry (importTask.ts, or its build); null when absent. */
export function importTaskFile(): string | null {
  // Beside this module: services/importTask.ts from the sources; in a build every entry sits in one folder.
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js'
  const file = fileURLToPath(new URL(`./importTask${ext}`, import.meta.url))
  return importWorkerEntry() !== null && existsSync(file) ? file : null
}

/** Serves the import thread's store calls on `store` (the other side of remoteStore). */
function storeHandler(store: PipelineStore): (call: string, args: unknown[]) => unknown {
  let writer: ImportWriting | null = null
  return (call, a) => {
    switch (call) {
      case 'findBySha256':
        return store.findBySha256(a[0] as string)
      case 'begin':
        return store.begin()
      case 'writer':
        writer = store.writer(a[0] as ImportHeader)
        return writer.importId
      case 'commit':
        return store.commit()
      case 'rollback':
        return store.rollback()
    }
    const w = writer
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
    throw new Error(`import store: unknown call ${call}`)
  }
}

function thread(store: PipelineStore, job: ImportJob) {
  const task = importTaskFile()
  if (!task) throw new Error('the import thread is not available in this build')
  return {
    task,
    job,
    handle: storeHandler(store),
    // Always honoured, also after a failed write: it ends the transaction.
    always: ['rollback'],
    // The file's hash while the import thread starts (its first step needs it); it hashes itself on failure.
    meanwhile: () => {
      if (!('path' in job.src)) return null
      try {
        return sha256Of(job.src)
      } catch {
        return null
      }
    },
  }
}

/** Imports on the import thread, writing through `db`, and waits for it (blocking this thread). */
export function importOnThread(db: Db, job: ImportJob): ImportResult {
  const store = localStore(db)
  try {
    return runImportThreadSync(thread(store, job)) as ImportResult
  } finally {
    // The pipeline ends its transaction itself; this is for an import thread that died on the way.
    if (db.inTransaction) store.rollback()
  }
}

/**
 * Imports on the import thread, writing through a connection of its own to `db`'s file, from the event loop,
 * once the write gate (db/writeGate.ts) gives this import the file's write lock.
 * @throws DatabaseBusyError when another process held the database longer than the gate's limit
 */
export async function importOnThreadAsync(db: Db, job: ImportJob): Promise<ImportResult> {
  const own = openDatabase(db.name)
  const store = localStore(own)
  try {
    return await inWriteTransaction(own, async () => (await runImportThread({ ...thread(store, job), meanwhile: undefined })) as ImportResult)
  } finally {
    if (own.inTransaction) store.rollback()
    own.close()
  }
}

/** The signal array of a new channel (engine/threadChannel.ts). */
export const newSignal = newChannelSignal

/** The serving side of a store on a channel: runs the import thread's store calls on `store`. */
export class StoreServer {
  private readonly server: ChannelServer

  constructor(store: PipelineStore, channel: ThreadChannel) {
    this.server = new ChannelServer(channel, storeHandler(store), ['rollback'])
  }

  /** Serves store calls until another message arrives, and returns it. @throws after `deadline` */
  next(deadline: number): unknown {
    const got = this.server.next(deadline)
    if (got === null) throw new Error('the import thread did not finish')
    return got.message
  }
}

/** In the import thread: a message of the caller's own protocol to the serving side (StoreServer.next returns it). */
export function postToServer(channel: ThreadChannel, message: unknown): void {
  new ChannelClient(channel).postResult(message)
}

/** The import thread's side: a PipelineStore whose calls run on the thread that serves the channel. */
export function remoteStore(channel: ChannelClient | ThreadChannel): PipelineStore {
  // Duck-typed: from the sources the task's modules and the entry's are loaded apart (require and import).
  const c = new StoreClient('port' in channel ? new ChannelClient(channel) : channel)
  return {
    findBySha256: (sha) => c.call('findBySha256', [sha]) as ImportHistoryEntry | null,
    begin: () => void c.call('begin', []),
    writer: (header) => new RemoteWriter(c, header, c.call('writer', [header]) as number),
    commit: () => void c.call('commit', []),
    rollback: () => c.rollback(),
  }
}

/** Batches fills and ledger entries before they cross (one message, and one INSERT, per batch). */
class StoreClient {
  private fills: unknown[] = []
  private ledger: LedgerRow[] = []

  constructor(private readonly client: ChannelClient) {}

  /** A synchronous call, after the batches queued so far. */
  call(call: string, args: unknown[]): unknown {
    this.flush()
    return this.client.call(call, args)
  }

  send(call: string, args: unknown[]): void {
    this.client.send(call, args, call === 'fills' || call === 'ledger')
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
    this.client.call('rollback', [])
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
  finish(f: FinishInput): void {
    this.client.call('finish', [f])
  }
}
