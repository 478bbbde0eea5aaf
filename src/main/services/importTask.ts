/**
 * What the import thread runs (engine/importWorkerEntry.ts loads this module): the pipeline on a store whose
 * calls run on the thread that started it (importThread.ts remoteStore), with the file's hash that thread
 * computed meanwhile (null: hashed here).
 */
import type { ImportResult } from '../../shared/importApi'
import type { ChannelClient } from '../engine/threadChannel'
import { runPipelineOn } from './importPipeline'
import { remoteStore, type ImportJob } from './importThread'

export function run(job: ImportJob, client: ChannelClient, first: string | null): ImportResult {
  return runPipelineOn(remoteStore(client), job.src, { ...job.options, sha256: first ?? undefined })
}
