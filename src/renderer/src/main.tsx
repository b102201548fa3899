// First, so the dashboard's data is asked for before the rest of the app is evaluated.
import './screens/dashboard/prefetch-on-start'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './components/App'
import './styles.css'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
