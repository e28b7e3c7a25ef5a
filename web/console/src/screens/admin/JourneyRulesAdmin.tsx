import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { isChangedSinceRead, toUiError } from '../../api/errors.ts';
import type { JourneyRule, JourneyRuleChoices } from '../../api/types.ts';
import { ErrorSummary, Loading, PageHeading, StatusMessage, focusById } from '../../components.tsx';
import { AdminNav } from './AdminNav.tsx';
import { JourneyRuleForm } from './JourneyRuleForm.tsx';
import { ruleInWords } from './journey-rule-words.ts';
import { journeyRulesQuery, useReorderJourneyRules, useSwitchJourneyRule } from './journey-rules-api.ts';

/**
 * The force's journey rules in order: which message each case milestone sends, to which victims,
 * and when, each in plain words. A force admin (`force:settings`) adds, changes, switches off and
 * on, and moves them; supervisors and investigators (`journeys:read`) read them, with no controls.
 * Nothing is deleted. Another admin's change reaches an open page through the live stream.
 */
export function JourneyRulesAdminScreen({ canChange }: { canChange: boolean }) {
  const rules = useQuery(journeyRulesQuery);
  const switchRule = useSwitchJourneyRule();
  const reorder = useReorderJourneyRules();
  const [editing, setEditing] = useState<JourneyRule | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Switching a rule off stops what it queued and has not sent, unless the admin says otherwise (decision 0074).
  const [withdrawQueued, setWithdrawQueued] = useState(true);
  const data = rules.data;
  // A switch refused because someone changed the rule after the page showed it: the server's
  // sentence says who and when; the version it names is no field the admin can go to.
  const switchError = useMemo(() => (isChangedSinceRead(switchRule.error) ? { message: switchRule.error.message, fields: [] } : toUiError(switchRule.error)), [switchRule.error]);
  // A move refused because someone changed the order after the page showed it (decision 0090): the
  // rules are read again, so the table below is the order as it is now.
  const reorderError = useMemo(
    () => (isChangedSinceRead(reorder.error) ? { message: `${reorder.error.message} The rules below are in the order they are in now.`, fields: [] } : toUiError(reorder.error)),
    [reorder.error],
  );
  const error = toUiError(rules.error) ?? switchError ?? reorderError;

  const done = (message: string) => {
    setEditing(null);
    setNotice(message);
    focusById('journey-rules-notice');
  };
  const move = (index: number, by: -1 | 1) => {
    if (!data || reorder.isPending) return;
    const ids = data.rules.map((r) => r.id);
    const [moved] = ids.splice(index, 1);
    if (moved === undefined) return;
    ids.splice(index + by, 0, moved);
    switchRule.reset();
    setNotice(null);
    reorder.mutate({ ruleIds: ids, version: data.orderVersion }, { onSuccess: () => setNotice('Order saved.') });
  };

  return (
    <>
      <PageHeading title="Journey rules">Journey rules</PageHeading>
      <AdminNav current="journey-rules" />
      <p>
        Which message each case milestone sends to its victims, and when. Each message goes in the victim&apos;s language, by the way they chose to hear from
        us. A change applies to milestones recorded after it: messages already queued are not changed. Rules are switched off, never deleted.
      </p>
      {!canChange && <p data-testid="journey-rules-read-only">You can read these rules. Your force administrator changes them.</p>}
      {canChange && (
        <div className="checkbox">
          <input id="journey-rules-withdraw-queued" type="checkbox" checked={withdrawQueued} onChange={(e) => setWithdrawQueued(e.target.checked)} />{' '}
          <label htmlFor="journey-rules-withdraw-queued">When I switch a rule off, withdraw the messages it has queued that have not been sent yet</label>
        </div>
      )}
      <StatusMessage message={notice} id="journey-rules-notice" />
      <ErrorSummary error={error} />
      {!data && rules.isPending && <Loading what="journey rules" />}
      {data && canChange && editing !== null && (
        <JourneyRuleForm key={editing === 'new' ? 'new' : editing.id} rule={editing === 'new' ? null : editing} choices={data.choices} onDone={done} onCancel={() => setEditing(null)} />
      )}
      {data && canChange && editing === null && (
        <p>
          <button type="button" className="button" onClick={() => setEditing('new')} data-testid="journey-rule-add">
            Add a rule
          </button>
        </p>
      )}
      {data && (
        <div className="table-wrap">
          <table className="table" data-testid="journey-rules-table">
            <caption className="visually-hidden">Journey rules, in the order their messages go</caption>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">When this happens</th>
                <th scope="col">To</th>
                <th scope="col">For cases</th>
                <th scope="col">Message</th>
                <th scope="col">Sent</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                {canChange && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {data.rules.map((rule, index) => (
                <RuleRow
                  key={rule.id}
                  rule={rule}
                  place={index + 1}
                  choices={data.choices}
                  canChange={canChange}
                  isFirst={index === 0}
                  isLast={index === data.rules.length - 1}
                  onEdit={() => {
                    setEditing(rule);
                    setNotice(null);
                  }}
                  onSwitch={() => {
                    reorder.reset();
                    switchRule.mutate(
                      { ruleId: rule.id, active: !rule.active, withdrawQueued, version: rule.version },
                      {
                        onSuccess: (answer) => {
                          const withdrawn = rule.active && withdrawQueued ? [withdrawnWords(answer.withdrawn)] : [];
                          setNotice([rule.active ? 'Rule switched off.' : 'Rule switched on.', ...withdrawn, ...answer.warnings].join(' '));
                        },
                      },
                    );
                  }}
                  onMove={(by) => move(index, by)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** How many waiting messages switching a rule off withdrew, in a sentence. */
function withdrawnWords(count: number): string {
  if (count === 0) return 'It had no messages waiting to be sent.';
  return count === 1 ? 'The 1 message it had waiting was withdrawn.' : `The ${count} messages it had waiting were withdrawn.`;
}

function RuleRow({
  rule,
  place,
  choices,
  canChange,
  isFirst,
  isLast,
  onEdit,
  onSwitch,
  onMove,
}: {
  rule: JourneyRule;
  place: number;
  choices: JourneyRuleChoices;
  canChange: boolean;
  isFirst: boolean;
  isLast: boolean;
  onEdit: () => void;
  onSwitch: () => void;
  onMove: (by: -1 | 1) => void;
}) {
  const words = ruleInWords(rule, choices);
  const name = `${words.milestone}: ${words.message}`;
  return (
    <tr data-testid="journey-rule-row" data-milestone={rule.milestone} data-template={rule.templateKey} className={rule.active ? undefined : 'row--inactive'}>
      <td>{place}</td>
      <td>{words.milestone}</td>
      <td>{words.victims}</td>
      <td>{words.cases}</td>
      <td>{words.message}</td>
      <td>{words.when}</td>
      <td data-testid="journey-rule-kind">{words.kind}</td>
      <td data-testid="journey-rule-status">{words.status}</td>
      {canChange && (
        <td className="actions">
          <button type="button" className="button button--secondary" onClick={onEdit} aria-label={`Change ${name}`}>
            Change
          </button>{' '}
          <button type="button" className="button button--secondary" onClick={onSwitch} aria-label={`${rule.active ? 'Switch off' : 'Switch on'} ${name}`}>
            {rule.active ? 'Switch off' : 'Switch on'}
          </button>{' '}
          {!isFirst && (
            <button type="button" className="button button--secondary" onClick={() => onMove(-1)} aria-label={`Move up ${name}`}>
              Up
            </button>
          )}{' '}
          {!isLast && (
            <button type="button" className="button button--secondary" onClick={() => onMove(1)} aria-label={`Move down ${name}`}>
              Down
            </button>
          )}
        </td>
      )}
    </tr>
  );
}
