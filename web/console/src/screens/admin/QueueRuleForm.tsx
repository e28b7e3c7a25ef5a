import { useEffect, useState, type FormEvent } from 'react';
import type { QueueView } from '../../api/types.ts';
import { focusById } from '../../components.tsx';
import { RULE_PRIORITIES, newRuleKey, type DraftRule } from './queue-rules.ts';

/** A list of checkboxes, one a choice; what is ticked is what the rule names. */
function Choices<T extends string | number>({
  id,
  legend,
  choices,
  chosen,
  onChange,
}: {
  id: string;
  legend: string;
  choices: ReadonlyArray<{ key: T; label: string }>;
  chosen: readonly T[];
  onChange: (chosen: T[]) => void;
}) {
  return (
    <fieldset className="field" aria-describedby={`${id}-hint`}>
      <legend>{legend}</legend>
      <p className="hint" id={`${id}-hint`}>
        Tick none for any.
      </p>
      {/* Ids by place: a stored value this console does not know may hold anything, spaces included. */}
      {choices.map((choice, index) => (
        <div key={choice.key} className="checkbox">
          <input
            type="checkbox"
            id={`${id}-${index}`}
            checked={chosen.includes(choice.key)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, choice.key] : chosen.filter((c) => c !== choice.key))}
          />{' '}
          <label htmlFor={`${id}-${index}`}>{choice.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

/**
 * Adds a rule to the list on the page, or changes one there: which channels, categories and
 * priorities it matches, and the queue it sends them to. Nothing is saved here: the list is
 * saved whole, with "Save rules". The server says what it refuses (a rule naming nothing, say).
 */
export function QueueRuleForm({
  rule,
  place,
  queues,
  channels,
  categories: categoryOptions,
  onDone,
  onCancel,
}: {
  rule: DraftRule | null;
  /** The rule's place in the list, counted from 1 (for a new rule, the place it will take). */
  place: number;
  queues: readonly QueueView[];
  channels: ReadonlyArray<{ key: string; label: string }>;
  /** Triage's categories and any unknown one a stored rule names (categoryChoices): one ticked stays in the rule until unticked. */
  categories: ReadonlyArray<{ key: string; label: string }>;
  onDone: (rule: DraftRule) => void;
  onCancel: () => void;
}) {
  const [queueId, setQueueId] = useState(rule?.queueId ?? queues[0]?.id ?? '');
  const [chosenChannels, setChannels] = useState<string[]>(rule?.channels ?? []);
  const [categories, setCategories] = useState<string[]>(rule?.categories ?? []);
  const [priorities, setPriorities] = useState<number[]>(rule?.priorities ?? []);
  const heading = rule ? `Change rule ${place}` : `Add rule ${place}`;
  useEffect(() => focusById('h-queue-rule-form'), []);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Kept in the order the choices are offered, so the list reads the same however they were ticked.
    const inOrder = <T,>(offered: readonly T[], chosen: readonly T[]) => offered.filter((c) => chosen.includes(c));
    onDone({
      key: rule?.key ?? newRuleKey(),
      queueId,
      channels: inOrder(
        channels.map((c) => c.key),
        chosenChannels,
      ),
      categories: inOrder(
        categoryOptions.map((c) => c.key),
        categories,
      ),
      priorities: inOrder(RULE_PRIORITIES, priorities),
      // Changed here, it is the save that checks it now.
      refusedBecause: null,
    });
  }

  return (
    <form onSubmit={submit} noValidate className="form panel" aria-labelledby="h-queue-rule-form" data-testid="queue-rule-form">
      <h2 id="h-queue-rule-form" tabIndex={-1}>
        {heading}
      </h2>
      <p>A contact matches the rule when it is on one of the channels ticked, has one of the categories ticked and one of the priorities ticked.</p>
      <Choices id="queue-rule-channel" legend="Channels" choices={channels} chosen={chosenChannels} onChange={setChannels} />
      <Choices id="queue-rule-category" legend="Triage categories" choices={categoryOptions} chosen={categories} onChange={setCategories} />
      <Choices id="queue-rule-priority" legend="Priorities" choices={RULE_PRIORITIES.map((key) => ({ key, label: `P${key}` }))} chosen={priorities} onChange={setPriorities} />
      <div className="field">
        <label htmlFor="queue-rule-queue">Send to this queue</label>
        <select id="queue-rule-queue" value={queueId} onChange={(e) => setQueueId(e.target.value)}>
          {queues.map((q) => (
            <option key={q.id} value={q.id}>
              {q.name}
            </option>
          ))}
        </select>
      </div>
      <div className="actions">
        <button type="submit" className="button" data-testid="queue-rule-done">
          {rule ? 'Change it in the list' : 'Add it to the list'}
        </button>{' '}
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
