/**
 * The import store across two threads (services/importThread.ts over engine/threadChannel.ts): a write that fails on the writing
 * side (here a foreign-key failure) fails the import thread's next call, the transaction is rolled back and
 * nothing is written, as in one thread.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MessageChannel, Worker } from 'node:worker_threads'
import { expect, it } from 'vitest'
import { openDatabase } from '../../../src/main/db/database'
import { localStore } from '../../../src/main/services/importPipeline'
import { newSignal, StoreServer } from '../../../src/main/services/importThread'
import { dataSnapshot } from '../../support/dbSnapshot'
import { tempDir } from '../../support/paths'

it('a failed write on the writing side fails the next call of the import thread; the rollback leaves nothing', () => {
  const db = openDatabase(join(tempDir(), 'riskdesk.db'))
  const before = dataSnapshot(db)
  const channel = new MessageChannel()
  const signal = newSignal()
  const worker = new Worker(fileURLToPath(new URL('./storeProxyWorker.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    workerData: { port: channel.port2, signal },
    transferList: [channel.port2],
  })
  try {
    const done = new StoreServer(localStore(db), { port: channel.port1, signal }).next(Date.now() + 60_000) as { seen: string[] }
    expect(done.seen).toEqual(['account 1', 'posted', expect.stringMatching(/^error .*FOREIGN KEY constraint failed/), 'rolled back'])
    expect(db.inTransaction).toBe(false)
    expect(dataSnapshot(db)).toBe(before)
  } finally {
    void worker.terminate()
    db.close()
  }
})
