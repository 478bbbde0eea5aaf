/**
 * IPC wiring: one `ipcMain.handle` per API call. Only the app's own main frame is answered; every input is
 * validated by the dispatcher's zod schema; errors come back as values (Electron forwards only messages).
 *
 * Pushed events: a stress job started by the window has its progress sent back to that window on
 * `riskdesk:event:stressJob` (`webContents.send`, StressJobEvent payloads, the last one terminal); the preload
 * lets the renderer subscribe to known event channels only.
 */
import { ipcMain, type WebContents } from 'electron'
import type { RiskdeskHandlers, StartedStressJob } from '../../../shared/api'
import { API_NAMES, eventChannel, ipcChannel, type IpcReply } from '../../../shared/apiNames'
import { dispatch, watchStressJob } from '../../services/riskdeskApi'
import { isTrustedSender } from './security'

export function registerIpcHandlers(api: RiskdeskHandlers): void {
  for (const name of API_NAMES) {
    ipcMain.handle(ipcChannel(name), async (event, input: unknown): Promise<IpcReply> => {
      if (!isTrustedSender(event.sender, event.senderFrame))
        return { ok: false, error: 'IPC refused: not the app frame', name: 'SecurityError' }
      try {
        const result = await dispatch(api, name, input)
        if (name === 'startStress') pushStressJob(api, event.sender, (result as StartedStressJob).jobId)
        return { ok: true, result }
      } catch (e) {
        return { ok: false, error: (e as Error).message, name: (e as Error).name }
      }
    })
  }
}

/** Sends a job's events to the window that started it until the job ends or the window goes away. */
function pushStressJob(api: RiskdeskHandlers, sender: WebContents, jobId: string): void {
  const channel = eventChannel('stressJob')
  let unwatch = () => {}
  const stop = () => unwatch()
  sender.once('destroyed', stop)
  unwatch = watchStressJob(api, jobId, (event) => {
    if (sender.isDestroyed()) return stop()
    sender.send(channel, event)
    if (event.status !== 'running') sender.off('destroyed', stop)
  })
}
