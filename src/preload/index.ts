import { contextBridge, ipcRenderer, webUtils } from 'electron'
import type { PreloadApi } from '../shared/client'

// The page gets this narrow API and nothing else: no ipcRenderer, no Node.
const api: PreloadApi = {
  call: (route, input) => ipcRenderer.invoke('core:call', route, input),
  on(event, listener) {
    const handler = (_e: unknown, msg: { event: string; payload: unknown }) => {
      if (msg.event === event) listener(msg.payload)
    }
    ipcRenderer.on('core:event', handler)
    return () => ipcRenderer.removeListener('core:event', handler)
  },
  pathForFile: (file) => webUtils.getPathForFile(file as File),
}

contextBridge.exposeInMainWorld('api', api)
