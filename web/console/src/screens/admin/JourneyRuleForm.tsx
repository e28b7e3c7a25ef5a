import { useState, type FormEvent, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { isChangedSinceRead, toUiError, type UiError } from '../../api/errors.ts';
import type { JourneyRule, JourneyRuleChoices, JourneyRuleInput } from '../../api/types.ts';
import { ErrorSummary, InlineError, fieldMessage } from '../../components.tsx';
import { ChangedElsewhereNotice, useChangedElsewhere } from '../../changed-elsewhere.tsx';
import { journeyRulesQuery, useSaveJourneyRule } from './journey-rules-api.ts';
import { RULE_FIELDS, changedRuleFields, clashSentence, rebaseRuleChange } from './journey-rule-changes.ts';
import { RuleNow } from './JourneyRuleNow.tsx';
import { VICTIM_CATEGORY_LABELS } from './journey-rule-words.ts';

type Category = JourneyRuleInput['victimCategory'] & string;

/** Saving was refused because someone else changed the rule after the form was opened: what to show. */
type Conflict = { error: UiError; current: JourneyRule | null };

/**
 * Adds a journey rule, or changes one: which milestone, which victims, which message, and when.
 * The server checks everything against what exists and names what it refuses. A change is made
 * from the version the form was opened at; if someone else changed the rule meanwhile, the form
 * says so, shows the rule as it is now, keeps what this admin entered (taking the other's change
 * to the fields this admin left alone) and saves only when the admin saves again (decision 0079).
 */
export function JourneyRuleForm({
  rule,
  choices,
  onDone,
  onCancel,
}: {
  rule: JourneyRule | null;
  choices: JourneyRuleChoices;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const save = useSaveJourneyRule();
  const queryClient = useQueryClient();
  // The rule as the change is made from: as opened, then as it was when a conflict was shown.
  const [opened, setOpened] = useState(rule);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [milestone, setMilestone] = useState(rule?.milestone ?? choices.milestones[0]?.milestone ?? '');
  const [templateKey, setTemplateKey] = useState(rule?.templateKey ?? choices.templates[0]?.key ?? '');
  const [victimCategory, setVictimCategory] = useState<Category>(rule?.victimCategory ?? 'all');
  const [crimeType, setCrimeType] = useState(rule?.crimeType ?? '');
  const [outcomes, setOutcomes] = useState(rule?.outcomeCodes?.join(', ') ?? '');
  const [delay, setDelay] = useState(String(rule?.delayMinutes ?? 0));
  const [delayFrom, setDelayFrom] = useState<'milestone' | 'at'>(rule?.delayFrom ?? 'milestone');
  const [statutory, setStatutory] = useState(rule?.statutory ?? false);
  const [fallback, setFallback] = useState(rule?.fallback ?? false);
  const chosen = choices.milestones.find((m) => m.milestone === milestone);
  // A refusal for a rule changed meanwhile is shown as the conflict, once the rule as it is now is read.
  const error = conflict?.error ?? (isChangedSinceRead(save.error) ? null : toUiError(save.error));
  const id = (field: string) => `rule-${field}`;
  const fieldIds = Object.fromEntries(RULE_FIELDS.map((f) => [f, id(f)]));
  /** The hint and the error of a field, for its control to be read with (the GOV.UK pattern). */
  const describedBy = (name: string, hasHint = false) =>
    [hasHint ? `${id(name)}-hint` : null, fieldMessage(error, name) ? `${id(name)}-error` : null].filter((part) => part !== null).join(' ') || undefined;

  function fill(values: Pick<JourneyRule, (typeof RULE_FIELDS)[number]>) {
    setMilestone(values.milestone);
    setTemplateKey(values.templateKey);
    setVictimCategory(values.victimCategory);
    setCrimeType(values.crimeType ?? '');
    setOutcomes(values.outcomeCodes?.join(', ') ?? '');
    setDelay(String(values.delayMinutes));
    setDelayFrom(values.delayFrom);
    setStatutory(values.statutory);
    setFallback(values.fallback);
  }

  // A rule being added is no record yet: no change to it can be heard.
  const changedElsewhere = useChangedElsewhere({
    record: 'journey_rule',
    id: opened?.id ?? '',
    version: opened?.version ?? 0,
    isSaving: save.isPending,
    readVersion: async () => (opened ? ((await readCurrent(opened.id))?.version ?? null) : null),
  });

  /** The rule as it is now, read again (null: gone, or not readable). */
  async function readCurrent(ruleId: string) {
    const fresh = await queryClient.fetchQuery({ ...journeyRulesQuery, staleTime: 0 }).catch(() => null);
    return fresh?.rules.find((r) => r.id === ruleId) ?? null;
  }

  /** Someone else changed the rule: read it as it is now and put this admin's change over it in the form, unsaved. */
  async function showConflict(from: JourneyRule, wanted: JourneyRuleInput, message: string) {
    const current = await readCurrent(from.id);
    save.reset();
    if (!current) {
      setConflict({ error: { message, fields: [] }, current: null });
      return;
    }
    const { form, clashes } = rebaseRuleChange(from, wanted, current);
    fill(form);
    setOpened(current);
    setConflict({ error: { message, fields: clashes.map((clash) => ({ path: clash.field, message: clashSentence(clash, choices) })) }, current });
  }

  /** The rule as this admin has it in the form. */
  function wantedRule(): JourneyRuleInput {
    const codes = outcomes
      .split(',')
      .map((code) => code.trim())
      .filter((code) => code !== '');
    const minutes = delay.trim() === '' ? 0 : Number(delay);
    return {
      milestone,
      templateKey,
      victimCategory,
      crimeType: crimeType === '' ? null : crimeType,
      outcomeCodes: chosen?.hasOutcome && codes.length > 0 ? codes : null,
      delayMinutes: minutes,
      delayFrom: chosen?.namesATime ? delayFrom : 'milestone',
      statutory,
      fallback,
    };
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.isPending) return;
    const body = wantedRule();
    const onSuccess = (answer: { warnings: string[] }) => {
      const done = rule ? 'Rule changed.' : 'Rule added.';
      onDone([done, 'It applies to milestones recorded from now on.', ...answer.warnings].join(' '));
    };
    if (!opened) {
      save.mutate({ ruleId: null, rule: body }, { onSuccess });
      return;
    }
    // Only what this admin changed, from the version they opened: a change someone else made
    // since is refused rather than silently replaced.
    const changes = changedRuleFields(opened, body);
    if (Object.keys(changes).length === 0) {
      onDone('Nothing changed.');
      return;
    }
    setConflict(null);
    save.mutate(
      { ruleId: opened.id, rule: { ...changes, version: opened.version } },
      {
        onSuccess,
        onError: (refusal) => {
          if (isChangedSinceRead(refusal)) void showConflict(opened, body, refusal.message);
        },
      },
    );
  }

  const field = (name: string, label: string, control: ReactNode, hint?: string) => {
    const message = fieldMessage(error, name);
    return (
      <div className={`field${message ? ' field--error' : ''}`}>
        <label htmlFor={id(name)}>{label}</label>
        {hint && (
          <p className="hint" id={`${id(name)}-hint`}>
            {hint}
          </p>
        )}
        <InlineError id={`${id(name)}-error`} message={message} />
        {control}
      </div>
    );
  };

  return (
    <form onSubmit={submit} noValidate className="form panel" aria-label={rule ? 'Change the rule' : 'Add a rule'} data-testid="journey-rule-form">
      <h2>{rule ? 'Change the rule' : 'Add a rule'}</h2>
      <ErrorSummary error={error} fieldIds={fieldIds} />
      {opened && <ChangedElsewhereNotice changed={changedElsewhere} what="This rule" onShowNow={(sentence) => void showConflict(opened, wantedRule(), sentence)} />}
      {conflict?.current && <RuleNow rule={conflict.current} choices={choices} />}
      {field(
        'milestone',
        'When this happens',
        <select id={id('milestone')} aria-describedby={describedBy('milestone')} value={milestone} onChange={(e) => setMilestone(e.target.value)}>
          {choices.milestones.map((m) => (
            <option key={m.milestone} value={m.milestone}>
              {m.label}
            </option>
          ))}
        </select>,
      )}
      {field(
        'templateKey',
        'Send this message',
        <select id={id('templateKey')} aria-describedby={describedBy('templateKey')} value={templateKey} onChange={(e) => setTemplateKey(e.target.value)}>
          {choices.templates.map((t) => (
            <option key={t.key} value={t.key}>
              {t.purpose}
            </option>
          ))}
        </select>,
      )}
      {field(
        'victimCategory',
        'To these victims',
        <select id={id('victimCategory')} aria-describedby={describedBy('victimCategory')} value={victimCategory} onChange={(e) => setVictimCategory(e.target.value as Category)}>
          {Object.entries(VICTIM_CATEGORY_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>,
      )}
      {field(
        'crimeType',
        'Crime type',
        <select id={id('crimeType')} aria-describedby={describedBy('crimeType')} value={crimeType} onChange={(e) => setCrimeType(e.target.value)}>
          <option value="">Any crime type</option>
          {choices.crimeTypes.map((t) => (
            <option key={t.code} value={t.code}>
              {t.label}
            </option>
          ))}
        </select>,
      )}
      {chosen?.hasOutcome &&
        field(
          'outcomeCodes',
          'Outcome codes',
          <input id={id('outcomeCodes')} type="text" value={outcomes} onChange={(e) => setOutcomes(e.target.value)} aria-describedby={describedBy('outcomeCodes', true)} />,
          'Home Office outcome numbers separated by commas, such as 14, 15. Leave empty for any outcome.',
        )}
      {field(
        'delayMinutes',
        'Delay in minutes',
        <input id={id('delayMinutes')} type="number" inputMode="numeric" value={delay} onChange={(e) => setDelay(e.target.value)} aria-describedby={describedBy('delayMinutes', true)} />,
        chosen?.namesATime ? 'Counted from the milestone, or from the time it names: -1440 is a day before.' : '0 sends at once; 1440 is a day later.',
      )}
      {chosen?.namesATime &&
        field(
          'delayFrom',
          'Count the delay from',
          <select id={id('delayFrom')} aria-describedby={describedBy('delayFrom')} value={delayFrom} onChange={(e) => setDelayFrom(e.target.value === 'at' ? 'at' : 'milestone')}>
            <option value="milestone">When it is recorded</option>
            <option value="at">The time it names (the appointment or hearing)</option>
          </select>,
        )}
      <InlineError id={`${id('statutory')}-error`} message={fieldMessage(error, 'statutory')} />
      <div className="checkbox">
        <input id={id('statutory')} aria-describedby={describedBy('statutory')} type="checkbox" checked={statutory} onChange={(e) => setStatutory(e.target.checked)} />{' '}
        <label htmlFor={id('statutory')}>Victims&apos; Code update (sent even to victims who opted out of other updates)</label>
      </div>
      <InlineError id={`${id('fallback')}-error`} message={fieldMessage(error, 'fallback')} />
      <div className="checkbox">
        <input id={id('fallback')} aria-describedby={describedBy('fallback')} type="checkbox" checked={fallback} onChange={(e) => setFallback(e.target.checked)} />{' '}
        <label htmlFor={id('fallback')}>Only when no rule for a crime type or outcome matched</label>
      </div>
      <div className="actions">
        <button type="submit" className="button" aria-disabled={save.isPending} data-testid="journey-rule-save">
          {!rule ? 'Add the rule' : conflict ? 'Save my change again' : 'Save the change'}
        </button>{' '}
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
