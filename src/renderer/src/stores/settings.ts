import { create } from 'zustand'
import { callIfPresent } from '../client/optional'

// Appearance settings. Kept in localStorage (appearance only, never run data) so the first paint
// already has the right theme; the theme is also written to the app's config where that route exists.

export type ThemeMode = 'system' | 'light' | 'dark'
export type SchemeId = 'swarm' | 'okabe-ito' | 'tableau' | 'viridis'

export const SCHEMES: Record<SchemeId, { label: string; colours: string[]; note?: string }> = {
  swarm: { label: 'Swarm', colours: ['#2f6fde', '#e0742b', '#2a9d8f', '#c94f7c', '#8a6fdf', '#d4a72c', '#4c9f4c', '#7a8699'] },
  'okabe-ito': { label: 'Okabe–Ito', note: 'colour-blind safe', colours: ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#999999'] },
  tableau: { label: 'Tableau 10', colours: ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7'] },
  viridis: { label: 'Viridis', note: 'perceptually uniform', colours: ['#440154', '#46327e', '#365c8d', '#277f8e', '#1fa187', '#4ac16d', '#a0da39', '#fde725'] },
}

const KEY = 'swarmscope.appearance.v1'

interface Stored {
  theme: ThemeMode
  scheme: SchemeId
}

function load(): Stored {
  try {
    const s = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Stored>
    return { theme: s.theme ?? 'system', scheme: s.scheme && s.scheme in SCHEMES ? s.scheme : 'swarm' }
  } catch {
    return { theme: 'system', scheme: 'swarm' }
  }
}

interface SettingsState extends Stored {
  /** The theme in effect: 'system' resolved through prefers-color-scheme. */
  dark: boolean
  setTheme(t: ThemeMode): void
  setScheme(s: SchemeId): void
}

const media = window.matchMedia('(prefers-color-scheme: dark)')
const resolveDark = (t: ThemeMode) => (t === 'system' ? media.matches : t === 'dark')

export const useSettings = create<SettingsState>((set, get) => {
  const initial = load()
  const save = () => localStorage.setItem(KEY, JSON.stringify({ theme: get().theme, scheme: get().scheme }))
  return {
    ...initial,
    dark: resolveDark(initial.theme),
    setTheme(theme) {
      set({ theme, dark: resolveDark(theme) })
      save()
      void callIfPresent('config.set', { values: { 'ui.theme': theme } })
    },
    setScheme(scheme) {
      set({ scheme })
      save()
    },
  }
})

media.addEventListener('change', () => useSettings.setState({ dark: resolveDark(useSettings.getState().theme) }))

/** The page follows the resolved theme through a data attribute the stylesheet reads. */
export function applyTheme(dark: boolean): void {
  document.documentElement.dataset.theme = dark ? 'dark' : 'light'
}
