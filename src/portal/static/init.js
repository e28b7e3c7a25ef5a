// Starts GOV.UK Frontend's components (Exit this page keyboard shortcut, error summary focus,
// double-click protection). Served from our own origin, so the CSP needs no 'unsafe-inline'.
// Every page works without it.
import { ExitThisPage, createAll, initAll } from '/portal-static/govuk-frontend.min.js'

// Set in this tab when the person leaves through Exit this page.
const EXITED = 'bl-exited'

/** Empties every field on the page, so nothing typed survives in it (nor in a cached copy of it). */
function emptyFields() {
  for (const form of Array.from(document.forms)) {
    for (const field of Array.from(form.elements)) {
      if (field instanceof HTMLTextAreaElement) field.value = ''
      else if (field instanceof HTMLInputElement) {
        if (field.type === 'radio' || field.type === 'checkbox') field.checked = false
        else if (!['hidden', 'submit', 'button', 'reset', 'image'].includes(field.type)) field.value = ''
      }
    }
  }
}

/** Forgets what this tab holds (the chat's conversation is kept in sessionStorage) and remembers the exit. */
function forgetTab() {
  try {
    sessionStorage.clear()
    sessionStorage.setItem(EXITED, '1')
  } catch {
    // Storage can be switched off; the fields are emptied all the same.
  }
}

/**
 * Asks the server to forget this device's sign-ins (the case page's, a report's), as /exit does
 * for a person without JavaScript. The exit does not wait for it: a keepalive request outlives the
 * page, and its answer's cookies are dropped wherever the person has gone by then.
 */
function forgetSignIns() {
  try {
    fetch('/exit', { credentials: 'same-origin', keepalive: true, redirect: 'manual', cache: 'no-store' }).catch(() => {})
  } catch {
    // A browser that cannot send it still leaves at once.
  }
}

function hasExited() {
  try {
    return sessionStorage.getItem(EXITED) === '1'
  } catch {
    return false
  }
}

/**
 * GOV.UK's Exit this page, except that it leaves with location.replace: the page the person was
 * on is taken out of the history, so Back does not lead to it. Fields are emptied first, in case
 * the browser keeps the page in its back/forward cache all the same; the server is asked to forget
 * the sign-ins on the way (forgetSignIns).
 */
class SafeExitThisPage extends ExitThisPage {
  static moduleName = 'bl-exit-this-page'

  exitPage() {
    emptyFields()
    forgetTab()
    forgetSignIns()
    document.body.classList.add('govuk-exit-this-page-hide-content')
    const overlay = document.createElement('div')
    overlay.className = 'govuk-exit-this-page-overlay'
    overlay.setAttribute('role', 'alert')
    overlay.textContent = this.i18n.t('activated')
    document.body.appendChild(overlay)
    window.location.replace(this.$root.getAttribute('data-bl-exit-to') || this.$button.href)
  }
}

// Back (or Forward) to any portal page after an exit, in this tab: whether the browser kept the
// page or loads it again, it is emptied and left at once, so it never shows what was typed.
window.addEventListener('pageshow', (event) => {
  const navigation = performance.getEntriesByType('navigation')[0]
  const isHistoryVisit = event.persisted || (navigation && navigation.type === 'back_forward')
  if (!isHistoryVisit || !hasExited()) return
  emptyFields()
  document.body.classList.add('govuk-exit-this-page-hide-content')
  const exit = document.querySelector('[data-bl-exit-to]')
  window.location.replace((exit && exit.getAttribute('data-bl-exit-to')) || '/exit')
})

for (const root of Array.from(document.querySelectorAll('[data-module="govuk-exit-this-page"]'))) {
  root.setAttribute('data-module', SafeExitThisPage.moduleName)
}
createAll(SafeExitThisPage)
initAll()
