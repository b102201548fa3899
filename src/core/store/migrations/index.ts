import m0001 from './0001_initial'

// Numbered, append-only. Never edit an applied migration: its hash is stored and a changed
// file stops start-up (see migrate.ts). Add a new numbered file instead.
export const migrations: ReadonlyArray<{ id: number; name: string; sql: string }> = [
  { id: 1, name: '0001_initial', sql: m0001 },
]
