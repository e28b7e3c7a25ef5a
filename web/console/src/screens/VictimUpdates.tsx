// "Victim updates due": the Victims' Code updates not yet given, soonest first, overdue ones
// highlighted, for the officer (mine), their team, or the force (supervisors). Each row can be
// recorded as given (phone, visit, letter, email; a support referral as referred or declined).
// Live messages (case.victim_updates_changed) refetch the list; api/live-sync.ts names the key.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, read } from '../api/client.ts';
import { toUiError } from '../api/errors.ts';
import { invalidate } from '../api/query-client.ts';
import { queryKeys } from '../api/query-keys.ts';
import type { components } from '../api/schema.ts';
import { ErrorSummary, Loading, PageHeading, StatusMessage } from '../components.tsx';
import { caseHref } from './cases/case-routes.ts';
import { VICTIM_DUTY_LABELS, VICTIM_UPDATE_STANDING, victimInSentence, victimNameText } from './cases/case-text.ts';
import { EnhancedRightsTag, VictimUpdateDue, VictimUpdateDuty } from './cases/VictimUpdateCells.tsx';

type VictimUpdate = components['schemas']['VictimUpdate'];
type Which = 'mine' | 'team' | 'all';
type How = 'phone' | 'visit' | 'letter' | 'email' | 'referred' | 'declined';

/** Where the screen lives (App.tsx routes it; router.ts is shared). */
export const VICTIM_UPDATES_PATH = '/victim-updates';

const WHICH: readonly { value: Which; label: string; empty: string }[] = [
  { value: 'mine', label: 'My cases', empty: 'No updates are due on your cases.' },
  { value: 'team', label: "My team's cases", empty: "No updates are due on your team's cases." },
  { value: 'all', label: 'All cases', empty: 'No updates are due on any case.' },
];

const UPDATE_HOWS: readonly { value: How; label: string }[] = [
  { value: 'phone', label: 'Phone' },
  { value: 'visit', label: 'Visit' },
  { value: 'letter', label: 'Letter' },
  { value: 'email', label: 'Email' },
];
const REFERRAL_HOWS: readonly { value: How; label: string }[] = [
  { value: 'referred', label: 'Referred' },
  { value: 'declined', label: 'Victim declined' },
];

function victimUpdatesQuery(which: Which) {
  return queryOptions({
    queryKey: [...queryKeys.victimUpdates, which] as const,
    queryFn: async ({ signal }) => (await read(api.GET('/api/cases/victim-updates', { params: { query: { which } }, signal }))).updates,
  });
}

function useRecordInformed() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { caseId: string; updateId: string; how: How }) =>
      (
        await read(
          api.POST('/api/cases/{id}/victim-updates/{updateId}/informed', {
            params: { path: { id: input.caseId, updateId: input.updateId } },
            body: { how: input.how },
          }),
        )
      ).update,
    onSuccess: () => invalidate(queryClient, [queryKeys.victimUpdates]),
  });
}

export function VictimUpdatesScreen() {
  const [which, setWhich] = useState<Which>('mine');
  const updates = useQuery(victimUpdatesQuery(which));
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const current = WHICH.find((w) => w.value === which) ?? WHICH[0];
  const rows = updates.data;
  const overdue = rows?.filter((u) => u.standing === 'overdue').length ?? 0;
  return (
    <>
      <div className="page-header">
        <PageHeading title="Victim updates due">Victim updates due</PageHeading>
        <p className="page-header__meta" data-testid="victim-updates-meta">
          {rows ? `${rows.length} due${overdue > 0 ? `, ${overdue} overdue` : ''}` : ''}
        </p>
        <div className="field field--inline">
          <label htmlFor="victim-updates-which">Show</label>
          <select
            id="victim-updates-which"
            className="select--narrow"
            value={which}
            onChange={(e) => {
              const next = WHICH.find((w) => w.value === e.target.value);
              if (next) setWhich(next.value);
            }}
          >
            {WHICH.map((w) => (
              <option key={w.value} value={w.value}>
                {w.label}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button button--secondary" onClick={() => void updates.refetch()}>
          Refresh
        </button>
      </div>
      <p>
        Under the Victims&rsquo; Code each victim is told of an arrest, charge, release, bail, caution or other out-of-court disposal, no further action or a
        decision not to investigate within 5 working days, or 1 working day for victims with enhanced rights; the referral to victim support is due within 2
        working days of the crime being recorded. A journey message counts when it is sent.
      </p>
      <StatusMessage message={announcement} visible={false} />
      <ErrorSummary error={toUiError(updates.error)} focus={false} />
      {!rows && updates.isPending && <Loading what="victim updates" />}
      {rows && rows.length === 0 && <p className="empty">{current?.empty}</p>}
      {rows && rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="victim-updates">
            <caption className="visually-hidden">Victim updates not yet given, soonest due first</caption>
            <thead>
              <tr>
                <th scope="col">Due by</th>
                <th scope="col">Status</th>
                <th scope="col">Case</th>
                <th scope="col">Victim</th>
                <th scope="col">Update</th>
                <th scope="col">Officer and team</th>
                <th scope="col">Record it</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((u) => (
                <UpdateRow key={u.id} update={u} onRecorded={setAnnouncement} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function UpdateRow({ update, onRecorded }: { update: VictimUpdate; onRecorded: (message: string) => void }) {
  const record = useRecordInformed();
  const hows = update.duty === 'referral' ? REFERRAL_HOWS : UPDATE_HOWS;
  const [how, setHow] = useState<How>(hows[0]?.value ?? 'phone');
  const selectId = useId();
  const standing = VICTIM_UPDATE_STANDING[update.standing];
  const isOverdue = update.standing === 'overdue';
  // A reporter who gave no name is on the case with a blank one: never a blank cell or sentence.
  const victim = victimInSentence(update);
  return (
    <tr data-testid="victim-update-row" data-standing={update.standing} className={isOverdue ? 'row--overdue' : undefined}>
      <td>
        <VictimUpdateDue update={update} />
      </td>
      <td>
        <span className={`status ${standing.className}`}>{standing.label}</span>
      </td>
      <td>
        <a href={caseHref({ name: 'case', id: update.caseId })}>{update.caseReference}</a>
      </td>
      <td>
        {victimNameText(update)}
        <EnhancedRightsTag update={update} />
      </td>
      <td>
        <VictimUpdateDuty update={update} />
      </td>
      <td>
        {update.officerName ?? <span className="muted">No officer</span>}
        {update.team ? ` · ${update.team}` : ''}
      </td>
      <td>
        <form
          className="field field--inline"
          onSubmit={(e) => {
            e.preventDefault();
            if (record.isPending) return;
            record.mutate(
              { caseId: update.caseId, updateId: update.id, how },
              { onSuccess: () => onRecorded(`${VICTIM_DUTY_LABELS[update.duty]} update for ${victim} on ${update.caseReference} recorded.`) },
            );
          }}
        >
          <label htmlFor={selectId} className="visually-hidden">
            How {victim} was {update.duty === 'referral' ? 'referred' : 'told'} ({update.caseReference})
          </label>
          <select id={selectId} className="select--narrow" value={how} onChange={(e) => setHow(hows.find((h) => h.value === e.target.value)?.value ?? how)}>
            {hows.map((h) => (
              <option key={h.value} value={h.value}>
                {h.label}
              </option>
            ))}
          </select>
          <button type="submit" className="button button--secondary" aria-disabled={record.isPending}>
            {update.duty === 'referral' ? 'Record' : 'Victim informed'}
          </button>
        </form>
        {record.error && <ErrorSummary error={toUiError(record.error)} focus={false} />}
      </td>
    </tr>
  );
}
