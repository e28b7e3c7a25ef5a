// The desk's keyboard: one keydown listener for the console, the help overlay ("?") and what
// each shortcut does. Which key means what, and when none may fire, is decided in keymap.ts.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, read } from '../api/client.ts';
import { toUiError } from '../api/errors.ts';
import { contactListQuery } from '../api/queries.ts';
import { invalidate } from '../api/query-client.ts';
import { keysOfContact } from '../api/query-keys.ts';
import type { StaffUser } from '../api/types.ts';
import { hasPermission } from '../permissions.ts';
import { navigate, type Route } from '../router.ts';
import { FOCUS_TARGETS, SHORTCUTS, isLeaveFieldKey, pickNextContact, shortcutFor, shortcutsFor, type ShortcutAction } from './keymap.ts';

/** Focuses an element, a heading included (focusable by script only, as page headings are). */
function focusElement(el: HTMLElement): void {
  if (el.tabIndex < 0 && !el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus();
  el.scrollIntoView({ block: 'center' });
}

/** Moves focus to the first of the selectors present, scrolled into view; false when none is. */
function focusFirst(selectors: readonly string[]): boolean {
  for (const selector of selectors) {
    const el = document.querySelector<HTMLElement>(selector);
    if (!el) continue;
    focusElement(el);
    return true;
  }
  return false;
}

/** Leaves a field for the heading of its panel (or the page), where shortcuts work and focus still shows. */
function leaveField(field: Element): void {
  const heading = field.closest('section')?.querySelector<HTMLElement>('h2, h3') ?? document.querySelector<HTMLElement>('h1');
  if (heading) focusElement(heading);
  else if (field instanceof HTMLElement) field.blur();
}

const NOTHING_TO_DO: Record<keyof typeof FOCUS_TARGETS, string> = {
  assign: 'There is nothing to assign on this contact.',
  reply: 'This contact cannot be replied to.',
  thrive: 'There is no THRIVE assessment to make on this contact.',
  grade: 'There is no grade to set on this contact.',
  close: 'This contact cannot be closed here.',
};

export function KeyboardShortcuts({ user, route }: { user: StaffUser; route: Route }) {
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const busy = useRef(false);
  const worksQueue = hasPermission(user, 'queue:work');
  const currentContactId = route.name === 'contact' ? route.id : null;

  const openNextContact = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    setNotice('Finding the next contact…');
    try {
      const contacts = await queryClient.fetchQuery({ ...contactListQuery('any'), staleTime: 0 });
      const queued = contacts.map((c) => ({ id: c.id, assignedToMe: c.assignedToId === user.id, isAssigned: c.assignedToId !== null }));
      // A take can be refused (someone else was quicker, or it needs a skill this person lacks):
      // then the next one down is tried, a few times at most.
      let refusal: unknown = null;
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const next = pickNextContact(queued, currentContactId);
        if (!next) break;
        if (next.take) {
          try {
            await read(api.POST('/api/contacts/{id}/take', { params: { path: { id: next.id } }, body: {} }));
          } catch (err) {
            refusal = err;
            invalidate(queryClient, keysOfContact(next.id));
            queued.splice(queued.findIndex((c) => c.id === next.id), 1);
            continue;
          }
          invalidate(queryClient, keysOfContact(next.id));
        }
        const reference = contacts.find((c) => c.id === next.id)?.reference ?? 'the next contact';
        setNotice(next.take ? `You took ${reference}.` : `Opened ${reference}.`);
        navigate({ name: 'contact', id: next.id });
        return;
      }
      setNotice(refusal ? `Could not take the next contact: ${toUiError(refusal)?.message ?? 'try again'}` : 'There are no other open contacts for you.');
    } catch (err) {
      // The queue could not be read (the connection dropped, say): the person presses n again.
      setNotice(`Could not open the next contact: ${toUiError(err)?.message ?? 'try again'}`);
    } finally {
      busy.current = false;
    }
  }, [queryClient, user.id, currentContactId]);

  const run = useCallback(
    (action: ShortcutAction) => {
      switch (action) {
        case 'help': {
          const el = dialog.current;
          if (el?.open) el.close();
          else el?.showModal();
          return;
        }
        case 'queue':
          navigate({ name: 'queue' });
          return;
        case 'nextContact':
          void openNextContact();
          return;
        default:
          setNotice(focusFirst(FOCUS_TARGETS[action]) ? null : NOTHING_TO_DO[action]);
      }
    },
    [openNextContact],
  );

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      // The overlay is modal: only "?" (to close it) passes; Escape closes it natively.
      if (dialog.current?.open && event.key !== '?') return;
      if (isLeaveFieldKey(event) && event.target instanceof Element) {
        event.preventDefault();
        leaveField(event.target);
        return;
      }
      const action = shortcutFor(event, { isOnContact: currentContactId !== null, worksQueue });
      if (!action) return;
      event.preventDefault();
      run(action);
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [run, currentContactId, worksQueue]);

  const listed = shortcutsFor({ worksQueue, canReadContacts: hasPermission(user, 'contacts:read') });
  return (
    <>
      <p className={notice ? 'shortcut-notice' : 'visually-hidden'} role="status" aria-live="polite" data-testid="shortcut-notice">
        {notice ?? ''}
      </p>
      <dialog ref={dialog} className="shortcut-help" aria-labelledby="shortcut-help-title" data-testid="shortcut-help">
        <h2 id="shortcut-help-title">Keyboard shortcuts</h2>
        <p className="hint">Shortcuts do nothing while you are typing in a field or choosing from a list. Press Escape to leave the field first.</p>
        <table className="table">
          <caption className="visually-hidden">Keys and what they do</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">What it does</th>
              <th scope="col">Where</th>
            </tr>
          </thead>
          <tbody>
            {listed.map((s) => (
              <tr key={s.key}>
                <td>
                  <kbd>{s.key}</kbd>
                </td>
                <td>{s.label}</td>
                <td>{s.scope === 'contact' ? 'On a contact' : s.scope === 'desk' ? 'Anywhere on the desk' : 'Anywhere'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <form method="dialog">
          <button type="submit" className="button button--secondary" autoFocus>
            Close
          </button>
        </form>
      </dialog>
    </>
  );
}

/** The help overlay's keys, for a hint in the header. */
export const HELP_KEY = SHORTCUTS.find((s) => s.action === 'help')?.key ?? '?';
