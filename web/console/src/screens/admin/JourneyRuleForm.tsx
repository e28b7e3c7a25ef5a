import { useState, type FormEvent, type ReactNode } from 'react';
import { toUiError } from '../../api/errors.ts';
import type { JourneyRule, JourneyRuleChoices, JourneyRuleInput } from '../../api/types.ts';
import { ErrorSummary, InlineError, fieldMessage } from '../../components.tsx';
import { changedRuleFields, useSaveJourneyRule } from './journey-rules-api.ts';
import { VICTIM_CATEGORY_LABELS } from './journey-rule-words.ts';

type Category = JourneyRuleInput['victimCategory'] & string;

/**
 * Adds a journey rule, or changes one: which milestone, which victims, which message, and when.
 * The server checks everything against what exists and names what it refuses.
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
  const error = toUiError(save.error);
  const id = (field: string) => `rule-${field}`;
  const fieldIds = Object.fromEntries(['milestone', 'templateKey', 'victimCategory', 'crimeType', 'outcomeCodes', 'delayMinutes', 'delayFrom'].map((f) => [f, id(f)]));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.isPending) return;
    const codes = outcomes
      .split(',')
      .map((code) => code.trim())
      .filter((code) => code !== '');
    const minutes = delay.trim() === '' ? 0 : Number(delay);
    const body: JourneyRuleInput = {
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
    const onSuccess = (answer: { warnings: string[] }) => {
      const done = rule ? 'Rule changed.' : 'Rule added.';
      onDone([done, 'It applies to milestones recorded from now on.', ...answer.warnings].join(' '));
    };
    if (!rule) {
      save.mutate({ ruleId: null, rule: body }, { onSuccess });
      return;
    }
    // Only what this admin changed: another admin's change to a field left alone here stands.
    const changes = changedRuleFields(rule, body);
    if (Object.keys(changes).length === 0) {
      onDone('Nothing changed.');
      return;
    }
    save.mutate({ ruleId: rule.id, rule: changes }, { onSuccess });
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
      {field(
        'milestone',
        'When this happens',
        <select id={id('milestone')} value={milestone} onChange={(e) => setMilestone(e.target.value)}>
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
        <select id={id('templateKey')} value={templateKey} onChange={(e) => setTemplateKey(e.target.value)}>
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
        <select id={id('victimCategory')} value={victimCategory} onChange={(e) => setVictimCategory(e.target.value as Category)}>
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
        <select id={id('crimeType')} value={crimeType} onChange={(e) => setCrimeType(e.target.value)}>
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
          <input id={id('outcomeCodes')} type="text" value={outcomes} onChange={(e) => setOutcomes(e.target.value)} aria-describedby={`${id('outcomeCodes')}-hint`} />,
          'Home Office outcome numbers separated by commas, such as 14, 15. Leave empty for any outcome.',
        )}
      {field(
        'delayMinutes',
        'Delay in minutes',
        <input id={id('delayMinutes')} type="number" inputMode="numeric" value={delay} onChange={(e) => setDelay(e.target.value)} aria-describedby={`${id('delayMinutes')}-hint`} />,
        chosen?.namesATime ? 'Counted from the milestone, or from the time it names: -1440 is a day before.' : '0 sends at once; 1440 is a day later.',
      )}
      {chosen?.namesATime &&
        field(
          'delayFrom',
          'Count the delay from',
          <select id={id('delayFrom')} value={delayFrom} onChange={(e) => setDelayFrom(e.target.value === 'at' ? 'at' : 'milestone')}>
            <option value="milestone">When it is recorded</option>
            <option value="at">The time it names (the appointment or hearing)</option>
          </select>,
        )}
      <div className="checkbox">
        <input id={id('statutory')} type="checkbox" checked={statutory} onChange={(e) => setStatutory(e.target.checked)} />{' '}
        <label htmlFor={id('statutory')}>Victims&apos; Code update (sent even to victims who opted out of other updates)</label>
      </div>
      <div className="checkbox">
        <input id={id('fallback')} type="checkbox" checked={fallback} onChange={(e) => setFallback(e.target.checked)} />{' '}
        <label htmlFor={id('fallback')}>Only when no rule for a crime type or outcome matched</label>
      </div>
      <div className="actions">
        <button type="submit" className="button" aria-disabled={save.isPending} data-testid="journey-rule-save">
          {rule ? 'Save the change' : 'Add the rule'}
        </button>{' '}
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
