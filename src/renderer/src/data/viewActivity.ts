/**
 * Whether the view a component belongs to is on show. The shell keeps every view it has shown mounted and
 * hides the others (App.tsx); their queries hold while hidden (useApi.ts). Outside any view (the header) it
 * is always true.
 */
import { createContext, useContext } from 'react'

export const ViewActivity = createContext(true)

export const useViewActive = (): boolean => useContext(ViewActivity)
