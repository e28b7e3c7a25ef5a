// Starts GOV.UK Frontend's components (Exit this page keyboard shortcut, error summary focus,
// double-click protection). Served from our own origin, so the CSP needs no 'unsafe-inline'.
// Every page works without it.
import { initAll } from '/portal-static/govuk-frontend.min.js'

initAll()
