/**
 * IPC wiring: one `ipcMain.handle` per API call. Only the app's own main frame is answered; every input is
 * validated by the dispatcher's zod schema; errors come back as values (Electron forwards only messages).
 */
import { ipcMain } from 'electron'
import type { RiskdeskHandlers } from '../../../shared/api'
import { API_NAMES, ipcChannel, type IpcReply } from '../../../shared/apiNames'
import { dispatch } from '../../services/riskdeskApi'
import { isTrustedSender } from './security'

export function registerIpcHandlers(api: RiskdeskHandlers): void {
  for (const name of API_NAMES) {
    ipcMain.handle(ipcChannel(name), async (event, input: unknown): Promise<IpcReply> => {
      if (!isTrustedSender(event.sender, event.senderFrame))
        return { ok: false, error: 'IPC refused: not the app frame', name: 'SecurityError' }
      try {
        return { ok: true, result: await dispatch(api, name, input) }
      } catch (e) {
        return { ok: false, error: (e as Error).message, name: (e as Error).name }
      }
    })
  }
}
