// Presence: the signed-in person's own control in the header, and the select a supervisor uses for
// each person on the board. Both post as soon as a choice is made with the mouse (or by a test's
// selectOption), but not while someone walks through the options with the arrow keys, which in
// some browsers changes a closed select at every step: passing "Offline" on the way to "Away"
// would hand back all of that person's contacts. A keyboard choice is sent on Enter, on leaving the
// select, or after a short pause.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { getMyRouting, setMyPresence, toUiError } from '../api';
import { StatusMessage } from '../components';
import { useResource } from '../hooks';
import { useLiveEvent } from '../live';
import { PRESENCES, presenceLabel, type Presence } from '../types';

const KEYBOARD_SETTLE_MS = 1_200;

function isPresence(value: string): value is Presence {
  return PRESENCES.some((p) => p.value === value);
}

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
      {PRESENCES.map((p) => (
        <option key={p.value} value={p.value}>
          {p.label}
        </option>
      ))}
    </select>
  );
}

/** The signed-in person's presence, in the header. Only available people are given work. */
export function PresenceControl() {
  const mine = useResource((signal) => getMyRouting(signal), []);
  const [shown, setShown] = useState<Presence | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const committing = useRef(false);

  useLiveEvent((event) => {
    // A supervisor may change it, and going offline elsewhere counts too.
    if (event.type === 'routing.changed' || event.type === 'resync') mine.reload();
  });
  useEffect(() => {
    if (mine.data && !committing.current) setShown(mine.data.presence);
  }, [mine.data]);

  async function change(presence: Presence): Promise<boolean> {
    const before = shown;
    committing.current = true;
    setShown(presence);
    setError(null);
    try {
      const result = await setMyPresence(presence);
      setShown(result);
      setNotice(`Your presence is now ${presenceLabel(result)}.`);
      return true;
    } catch (err) {
      setShown(before);
      setError(`Presence not changed: ${toUiError(err).message}`);
      return false;
    } finally {
      committing.current = false;
      mine.reload();
    }
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
