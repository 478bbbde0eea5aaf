/**
 * Import thread for storeProxy.test.ts: drives a remote store the way the pipeline does, with one write that
 * fails on the writing side (a total for an instrument id that does not exist), and posts what it saw.
 */
import { workerData, type MessagePort } from 'node:worker_threads'
import { postToServer, remoteStore } from '../../../src/main/services/importThread'

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array }
const channel = { port, signal }
const seen: string[] = []
const store = remoteStore(channel)
try {
  store.begin()
  const w = store.writer({
    fileName: 'proxy.csv', sourcePath: null, sha256: 'ab'.repeat(32), format: 'generic-trades', content: 'trades', portfolio: 'p', encoding: 'utf-8',
    delimiter: 'comma', options: {}, importedBy: 'test', host: 'test', now: 0,
  })
  const account = w.accountId('deribit', 'desk')
  seen.push(`account ${account}`)
  w.addTotal(account, 999_999, 'fees', 'BTC', '1') // no such instrument: fails over there, not here
  seen.push('posted')
  try {
    w.conflicts()
    seen.push('no error')
  } catch (e) {
    seen.push(`error ${(e as Error).message}`)
  }
  store.rollback()
  seen.push('rolled back')
} catch (e) {
  seen.push(`unexpected ${(e as Error).message}`)
}
postToServer(channel, { done: true, seen })
