import { useQuery } from '@tanstack/react-query';
import { caseVictimUpdatesQuery, type VictimUpdate } from '../../api/cases.ts';
import { toUiError } from '../../api/errors.ts';
import { ErrorSummary, Loading } from '../../components.tsx';
import { VICTIM_UPDATES_PATH } from '../VictimUpdates.tsx';
import { VICTIM_UPDATE_STANDING, victimNameText } from './case-text.ts';
import { EnhancedRightsTag, VictimUpdateDue, VictimUpdateDuty } from './VictimUpdateCells.tsx';

const isOwed = (update: VictimUpdate) => update.standing === 'open' || update.standing === 'due_soon' || update.standing === 'overdue';

/** Victims by name (the one not yet named last), then each one's updates soonest due first. */
function byVictimThenDue(a: VictimUpdate, b: VictimUpdate): number {
  if (a.victimName !== b.victimName) {
    if (a.victimName === null) return 1;
    if (b.victimName === null) return -1;
    return a.victimName.localeCompare(b.victimName);
  }
  return a.dueAt.localeCompare(b.dueAt);
}

/** The updates already met or closed, counted in one line: the investigator acts on those still owed. */
function settledText(updates: readonly VictimUpdate[]): string | null {
  const count = (standing: VictimUpdate['standing']) => updates.filter((u) => u.standing === standing).length;
  const parts = [
    [count('on_time'), 'given on time'],
    [count('late'), 'given late'],
    [count('declined'), 'referral declined'],
    [count('withdrawn'), 'withdrawn (victim removed)'],
  ] as const;
  const said = parts.filter(([n]) => n > 0).map(([n, words]) => `${n} ${words}`);
  return said.length > 0 ? `Already settled: ${said.join(', ')}.` : null;
}

/**
 * What the case owes its victims under the Victims' Code: each update still owed, per victim, with
 * when it is due and whether it is due soon or overdue (a missed one says which timescale it was
 * missed against, decision 0133). Those given, declined or withdrawn are counted, not listed.
 * Refreshed by the live message case.victim_updates_changed (under the updates' query prefix).
 */
export function CaseVictimUpdatesPanel({ caseId }: { caseId: string }) {
  const updates = useQuery(caseVictimUpdatesQuery(caseId));
  const all = updates.data ?? [];
  const owed = all.filter(isOwed).sort(byVictimThenDue);
  const settled = settledText(all.filter((u) => !isOwed(u)));
  return (
    <section aria-labelledby="h-case-victim-updates">
      <h2 id="h-case-victim-updates">Victims&rsquo; Code updates</h2>
      {updates.isError && <ErrorSummary error={toUiError(updates.error)} focus={false} />}
      {updates.isPending ? (
        <Loading what="Victims' Code updates" />
      ) : owed.length === 0 ? (
        <p data-testid="case-victim-updates-none">No updates are owed to victims on this case.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="case-victim-updates">
            <caption className="visually-hidden">Victims&rsquo; Code updates still owed, by victim, soonest due first</caption>
            <thead>
              <tr>
                <th scope="col">Victim</th>
                <th scope="col">Update</th>
                <th scope="col">Due by</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {owed.map((update) => {
                const standing = VICTIM_UPDATE_STANDING[update.standing];
                return (
                  <tr
                    key={update.id}
                    data-testid="case-victim-update"
                    data-standing={update.standing}
                    className={update.standing === 'overdue' ? 'row--overdue' : undefined}
                  >
                    <th scope="row">
                      {victimNameText(update)}
                      <EnhancedRightsTag update={update} />
                    </th>
                    <td>
                      <VictimUpdateDuty update={update} />
                    </td>
                    <td>
                      <VictimUpdateDue update={update} />
                    </td>
                    <td>
                      <span className={`status ${standing.className}`}>{standing.label}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {settled && (
        <p className="hint" data-testid="case-victim-updates-settled">
          {settled}
        </p>
      )}
      {owed.length > 0 && (
        <p className="hint">
          Record an update as given on <a href={`#${VICTIM_UPDATES_PATH}`}>Victim updates due</a>.
        </p>
      )}
    </section>
  );
}
