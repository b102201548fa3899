import { prefetchOnRoute } from './prefetch'

// Imported first by main.tsx, so this runs before React, React DOM and the rest of the app are
// evaluated: on a first visit, when nothing is compiled yet, that evaluation took 0.2 s, and the
// core (which answers one request at a time) can work on the dashboard's data meanwhile.
prefetchOnRoute()
