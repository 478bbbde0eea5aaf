/**
 * Preload (sandboxed, context-isolated): exposes `window.riskdesk`, one function per API call, each invoking
 * its own `riskdesk:<name>` channel, and `window.riskdeskEvents.subscribe(name, listener)` for the events the
 * main process pushes (`riskdesk:event:<name>`, known names only). No raw ipcRenderer, no Node, nothing else
 * crosses the bridge; a listener receives the event's payload, never Electron's event object.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { API_NAMES, eventChannel, ipcChannel, isEventName, type IpcReply } from '../shared/apiNames'

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

const events = {
  /** Calls `listener` with each payload of event `name`; returns the function that stops it. @throws Error for an unknown name */
  subscribe(name: string, listener: (payload: unknown) => void): () => void {
    if (!isEventName(name)) throw new Error(`unknown event "${name}"`)
    if (typeof listener !== 'function') throw new Error('listener must be a function')
    const channel = eventChannel(name)
    const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload)
    ipcRenderer.on(channel, handler)
    return () => void ipcRenderer.removeListener(channel, handler)
  },
}

contextBridge.exposeInMainWorld('riskdesk', bridge)
contextBridge.exposeInMainWorld('riskdeskEvents', events)
