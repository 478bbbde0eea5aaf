/** Saves a Blob as a download (the browser's download, Electron's save dialog). */
export function saveBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.append(a)
  a.click()
  a.remove()
  // Revoked after the download has taken the data.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
