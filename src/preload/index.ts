/**
 * Preload (sandboxed, context-isolated): exposes `window.riskdesk`, one function per API call, each invoking
 * its own `riskdesk:<name>` channel. No raw ipcRenderer, no Node, nothing else crosses the bridge.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { API_NAMES, ipcChannel, type IpcReply } from '../shared/apiNames'

const bridge = Object.fromEntries(
  API_NAMES.map((name) => [
    name,
    async (input: unknown) => {
      const reply = (await ipcRenderer.invoke(ipcChannel(name), input ?? {})) as IpcReply
      if (!reply.ok) throw new Error(reply.error)
      return reply.result
    },
  ]),
)

contextBridge.exposeInMainWorld('riskdesk', bridge)
