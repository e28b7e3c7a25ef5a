// While a form that saves from the version it was opened at (changed-since-opened.ts) is open, the
// live stream may say that the same record was changed: by someone else, or by this person in
// another tab. The form says so at once, politely and without taking focus, naming who and when,
// and offers the record as it is now through the re-read a refused save uses, so nothing typed is
// lost and saving behaves as before (decision 0096). A change this form saved itself says nothing:
// the record's version is read again and compared with the one the form now holds.
import { useContext, useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { routingBoardQuery, sessionQuery, staffAccountsQuery } from './api/queries.ts';
import { serverClockOffset } from './clock.ts';
import { formatDateTime } from './format.ts';
import { LiveContext, useLiveEvent, type EditedRecord } from './live.ts';

/** A change heard of that this form does not hold: who made it, when it was heard, and the record's version now. */
export type ChangedElsewhere = { byStaffId: string | null; at: string; version: number };

/**
 * Watches the live stream for changes to one record (`id`; none for a list kept whole) while a
 * form holds it at `version`. Checked only once no save of the form's is on its way, so the
 * form's own save is never taken for someone else's. `readVersion` reads the record's version as
 * it is now (null: gone, or unreadable). The change is returned while it is newer than the form.
 */
export function useChangedElsewhere({
  record,
  id,
  version,
  isSaving,
  readVersion,
}: {
  record: EditedRecord;
  id?: string;
  version: number;
  isSaving: boolean;
  readVersion: () => Promise<number | null>;
}): ChangedElsewhere | null {
  const [changed, setChanged] = useState<ChangedElsewhere | null>(null);
  const [heard, setHeard] = useState<{ byStaffId: string | null; at: string } | null>(null);
  const versionRef = useRef(version);
  versionRef.current = version;
  const readRef = useRef(readVersion);
  readRef.current = readVersion;

  useLiveEvent((message) => {
    if (message.type !== 'record.changed' || message.record !== record || (id !== undefined && message.id !== id)) return;
    // The time it was heard is when it was saved: the stream sends a change as it commits.
    setHeard({ byStaffId: message.byStaffId ?? null, at: new Date(Date.now() + serverClockOffset()).toISOString() });
  });

  // Checked again when a save of this form's ends: the change heard may have been that save.
  useEffect(() => {
    if (!heard || isSaving) return;
    let isCurrent = true;
    void readRef
      .current()
      .catch(() => null)
      .then((current) => {
        if (!isCurrent || current === null || current <= versionRef.current) return;
        setChanged({ ...heard, version: current });
      });
    return () => {
      isCurrent = false;
    };
  }, [heard, isSaving]);

  return changed && changed.version > version ? changed : null;
}

/**
 * The names of the force's staff, from the list this person may read (staff accounts for an admin,
 * the routing board for a supervisor), read only once a change by someone else is to be named.
 * Undefined while they are being read, so the notice is announced once, with the name in it.
 */
export function useStaffNames(isWanted: boolean): ReadonlyArray<{ id: string; name: string }> | undefined {
  const session = useQuery(sessionQuery);
  const permissions: readonly string[] = session.data?.user.permissions ?? [];
  const canReadAccounts = permissions.includes('staff:manage');
  const accounts = useQuery({ ...staffAccountsQuery, enabled: isWanted && canReadAccounts });
  const board = useQuery({ ...routingBoardQuery, enabled: isWanted && !canReadAccounts && permissions.includes('routing:supervise') });
  if (!isWanted) return [];
  if (canReadAccounts) return accounts.isPending ? undefined : (accounts.data ?? []);
  if (permissions.includes('routing:supervise')) return board.isPending ? undefined : (board.data?.staff ?? []);
  return [];
}

/** Who changed it, as the sentence says it: this person (another tab), a colleague by name, or someone. */
function whoChanged(byStaffId: string | null, myId: string | undefined, names: ReadonlyArray<{ id: string; name: string }>): string {
  if (byStaffId === null) return 'It was changed';
  if (byStaffId === myId) return 'You changed it in another window or tab';
  const name = names.find((person) => person.id === byStaffId)?.name;
  return name ? `${name} changed it` : 'Someone else changed it';
}

/**
 * The notice beside a form whose record changed since it was opened. Its live region is always on
 * the page, so screen readers announce the notice when it appears; it never takes focus. `what`
 * names the record ("This rule", "The Welsh text"); `onShowNow` shows it as it is now, keeping
 * what the person entered (the form's re-read after a refused save), given the notice's words.
 */
export function ChangedElsewhereNotice({ changed, what, onShowNow }: { changed: ChangedElsewhere | null; what: string; onShowNow: (sentence: string) => void }) {
  const session = useQuery(sessionQuery);
  const { status } = useContext(LiveContext);
  const myId = session.data?.user.id;
  const names = useStaffNames(changed !== null && changed.byStaffId !== null && changed.byStaffId !== myId);
  const who = changed && names && whoChanged(changed.byStaffId, myId, names);
  return (
    <div role="status" aria-live="polite" data-testid="changed-elsewhere-region" data-live={status}>
      {changed && who && (
        <div className="changed-elsewhere" data-testid="changed-elsewhere">
          <p>
            <strong>{what} has changed since you opened it.</strong> {who} at{' '}
            <time dateTime={changed.at}>{formatDateTime(changed.at)}</time>. What you have entered here is not saved yet; saving now would be refused.
          </p>
          <button type="button" className="button button--secondary" onClick={() => onShowNow(`${what} has changed since you opened it. ${who} at ${formatDateTime(changed.at)}.`)} data-testid="changed-elsewhere-show">
            See it as it is now, keeping your changes
          </button>
        </div>
      )}
    </div>
  );
}
