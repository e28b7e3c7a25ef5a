// Presence: the signed-in person's own control in the header, and the select a supervisor uses for
// each person on the board. Both post as soon as a choice is made with the mouse (or by a test's
// selectOption), but not while someone walks through the options with the arrow keys, which in
// some browsers changes a closed select at every step: passing "Offline" on the way to "Away"
// would hand back all of that person's contacts. A keyboard choice is sent on Enter, on leaving the
// select, or after a short pause.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { toUiError } from '../api/errors.ts';
import { myRoutingQuery } from '../api/queries.ts';
import { useSetMyPresence } from '../api/session-mutations.ts';
import type { Presence } from '../api/types.ts';
import { StatusMessage } from '../components.tsx';
import { PRESENCES, PRESENCE_LABELS, isPresence } from '../labels.ts';

const KEYBOARD_SETTLE_MS = 1_200;

interface PresenceSelectProps {
  id: string;
  /** The value the server last reported; null while unknown. */
  value: Presence | null;
  /** Sends the choice; resolves false when it was refused, and the select goes back to `value`. */
  onCommit: (presence: Presence) => Promise<boolean>;
  className?: string;
  describedBy?: string;
}

export function PresenceSelect({ id, value, onCommit, className, describedBy }: PresenceSelectProps) {
  const [draft, setDraft] = useState<Presence | null>(value);
  const fromKeyboard = useRef(false);
  const timer = useRef<number | undefined>(undefined);
  const pending = useRef<Presence | null>(null);

  const latestValue = useRef(value);
  latestValue.current = value;

  useEffect(() => {
    if (pending.current === null) setDraft(value);
  }, [value]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  function commit() {
    window.clearTimeout(timer.current);
    const next = pending.current;
    pending.current = null;
    if (!next || next === latestValue.current) return;
    void onCommit(next).then((isDone) => {
      if (!isDone && pending.current === null) setDraft(latestValue.current);
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLSelectElement>) {
    if (event.key === 'Enter') {
      if (pending.current) {
        event.preventDefault();
        commit();
      }
      return;
    }
    if (event.key !== 'Tab') fromKeyboard.current = true;
  }

  return (
    <select
      id={id}
      className={className}
      value={draft ?? ''}
      aria-describedby={describedBy}
      onKeyDown={onKeyDown}
      onKeyUp={() => {
        fromKeyboard.current = false;
      }}
      onBlur={() => {
        if (pending.current) commit();
      }}
      onChange={(e) => {
        const next = e.target.value;
        if (!isPresence(next)) return;
        setDraft(next);
        pending.current = next;
        window.clearTimeout(timer.current);
        if (fromKeyboard.current) timer.current = window.setTimeout(commit, KEYBOARD_SETTLE_MS);
        else commit();
      }}
    >
      {draft === null && <option value="">Unknown</option>}
      {PRESENCES.map((presence) => (
        <option key={presence} value={presence}>
          {PRESENCE_LABELS[presence]}
        </option>
      ))}
    </select>
  );
}

/** The signed-in person's presence, in the header. Only available people are given work. */
export function PresenceControl() {
  // A supervisor may change it, and going offline elsewhere counts too: live messages refetch it.
  const mine = useQuery(myRoutingQuery);
  const setPresence = useSetMyPresence();
  const [notice, setNotice] = useState<string | null>(null);
  // While a change is on its way, the select shows what was chosen, not what the server last said.
  const shown = setPresence.isPending ? setPresence.variables : (mine.data?.presence ?? null);
  const refused = toUiError(setPresence.error);
  const error = refused ? `Presence not changed: ${refused.message || refused.fields.map((f) => f.message).join('; ')}` : null;

  function change(presence: Presence): Promise<boolean> {
    return setPresence.mutateAsync(presence).then(
      (result) => {
        setNotice(`Your presence is now ${PRESENCE_LABELS[result]}.`);
        return true;
      },
      () => false,
    );
  }

  return (
    <div className="presence">
      <label htmlFor="my-presence" className="presence__label">
        Presence
      </label>
      <PresenceSelect
        id="my-presence"
        className="presence__select"
        value={shown}
        onCommit={change}
        describedBy={error ? 'my-presence-error' : undefined}
      />
      {error && (
        <p id="my-presence-error" className="presence__error" role="alert">
          {error}
        </p>
      )}
      <StatusMessage message={notice} visible={false} />
    </div>
  );
}
