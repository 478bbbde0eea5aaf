/**
 * The view the app opens on: the one last shown, kept in localStorage (as the theme is), so the workstation
 * reopens where the user left it; the first view (Overview) when none is kept, the kept one no longer exists, or
 * storage is refused (a locked-down profile).
 */
import { VIEW_STORAGE_KEY } from '../../shared/appStorage'

/** @param ids the app's view ids (views.ts), the first being the default */
export function storedView(ids: readonly string[]): string {
  try {
    const id = localStorage.getItem(VIEW_STORAGE_KEY)
    return id !== null && ids.includes(id) ? id : ids[0]!
  } catch {
    return ids[0]!
  }
}

export function storeView(id: string): void {
  try {
    localStorage.setItem(VIEW_STORAGE_KEY, id)
  } catch {
    // Storage refused: the app opens on the first view next time.
  }
}
