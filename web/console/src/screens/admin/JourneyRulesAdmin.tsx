import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { toUiError } from '../../api/errors.ts';
import type { JourneyRule, JourneyRuleChoices } from '../../api/types.ts';
import { ErrorSummary, Loading, PageHeading, StatusMessage, focusById } from '../../components.tsx';
import { AdminNav } from './AdminNav.tsx';
import { JourneyRuleForm } from './JourneyRuleForm.tsx';
import { VICTIM_CATEGORY_LABELS, whenWords } from './journey-rule-words.ts';
import { journeyRulesQuery, useReorderJourneyRules, useSwitchJourneyRule } from './journey-rules-api.ts';

/**
 * The force's journey rules in order: which message each case milestone sends, to which victims,
 * and when. A force admin adds, changes, switches off and on, and moves them. Nothing is deleted.
 */
export function JourneyRulesAdminScreen() {
  const rules = useQuery(journeyRulesQuery);
  const switchRule = useSwitchJourneyRule();
  const reorder = useReorderJourneyRules();
  const [editing, setEditing] = useState<JourneyRule | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Switching a rule off stops what it queued and has not sent, unless the admin says otherwise (decision 0074).
  const [withdrawQueued, setWithdrawQueued] = useState(true);
  const data = rules.data;
  const error = toUiError(rules.error) ?? toUiError(switchRule.error) ?? toUiError(reorder.error);

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
    reorder.mutate(ids, { onSuccess: () => setNotice('Order saved.') });
  };

  return (
    <>
      <PageHeading title="Journey rules">Journey rules</PageHeading>
      <AdminNav current="journey-rules" />
      <p>
        Which message each case milestone sends to its victims, and when. A change applies to milestones recorded after it: messages already queued are not
        changed. Rules are switched off, never deleted.
      </p>
      <div className="checkbox">
        <input id="journey-rules-withdraw-queued" type="checkbox" checked={withdrawQueued} onChange={(e) => setWithdrawQueued(e.target.checked)} />{' '}
        <label htmlFor="journey-rules-withdraw-queued">When I switch a rule off, withdraw the messages it has queued that have not been sent yet</label>
      </div>
      <StatusMessage message={notice} id="journey-rules-notice" />
      <ErrorSummary error={error} />
      {!data && rules.isPending && <Loading what="journey rules" />}
      {data && editing !== null && (
        <JourneyRuleForm key={editing === 'new' ? 'new' : editing.id} rule={editing === 'new' ? null : editing} choices={data.choices} onDone={done} onCancel={() => setEditing(null)} />
      )}
      {data && editing === null && (
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
                <th scope="col">When this happens</th>
                <th scope="col">To</th>
                <th scope="col">Message</th>
                <th scope="col">Sent</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.rules.map((rule, index) => (
                <RuleRow
                  key={rule.id}
                  rule={rule}
                  choices={data.choices}
                  isFirst={index === 0}
                  isLast={index === data.rules.length - 1}
                  onEdit={() => {
                    setEditing(rule);
                    setNotice(null);
                  }}
                  onSwitch={() => {
                    reorder.reset();
                    switchRule.mutate(
                      { ruleId: rule.id, active: !rule.active, withdrawQueued },
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
  choices,
  isFirst,
  isLast,
  onEdit,
  onSwitch,
  onMove,
}: {
  rule: JourneyRule;
  choices: JourneyRuleChoices;
  isFirst: boolean;
  isLast: boolean;
  onEdit: () => void;
  onSwitch: () => void;
  onMove: (by: -1 | 1) => void;
}) {
  const milestone = choices.milestones.find((m) => m.milestone === rule.milestone)?.label ?? rule.milestone;
  const message = choices.templates.find((t) => t.key === rule.templateKey)?.purpose ?? rule.templateKey;
  const crimeType = rule.crimeType ? (choices.crimeTypes.find((t) => t.code === rule.crimeType)?.label ?? rule.crimeType) : null;
  const name = `${milestone}: ${message}`;
  return (
    <tr data-testid="journey-rule-row" data-milestone={rule.milestone} data-template={rule.templateKey} className={rule.active ? undefined : 'row--inactive'}>
      <td>{milestone}</td>
      <td>
        {VICTIM_CATEGORY_LABELS[rule.victimCategory]}
        {crimeType && <>, {crimeType}</>}
        {rule.outcomeCodes && <>, outcomes {rule.outcomeCodes.join(', ')}</>}
        {rule.fallback && <>, when no other closing message matched</>}
      </td>
      <td>
        {message}
        {rule.statutory && <> (Victims&apos; Code)</>}
      </td>
      <td>{whenWords(rule)}</td>
      <td data-testid="journey-rule-status">{rule.active ? 'On' : 'Off'}</td>
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
    </tr>
  );
}
