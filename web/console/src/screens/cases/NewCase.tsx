import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { caseCataloguesQuery, useRecordCase, type NewCaseInput } from '../../api/cases.ts';
import { toUiError } from '../../api/errors.ts';
import { ErrorSummary, InlineError, PageHeading, fieldMessage } from '../../components.tsx';
import { caseHref } from './case-routes.ts';
import { CasesNav } from './MyCases.tsx';

const FIELD_IDS: Record<string, string> = { crimeType: 'case-crime-type', summary: 'case-summary' };
const victimId = (i: number) => `case-victim-${i}`;

type Victim = { name: string; enhancedRights: boolean };

/** Records a case directly: its crime type from the force's list, what happened, and its victims. */
export function NewCaseScreen() {
  const create = useRecordCase();
  const catalogues = useQuery(caseCataloguesQuery);
  const [crimeType, setCrimeType] = useState('');
  const [summary, setSummary] = useState('');
  const [victims, setVictims] = useState<Victim[]>([{ name: '', enhancedRights: false }]);
  const error = toUiError(create.error);
  const groups = [...new Set((catalogues.data?.crimeTypes ?? []).map((t) => t.group))];
  const fieldIds = { ...FIELD_IDS, ...Object.fromEntries(victims.map((_, i) => [`victims.${i}.name`, victimId(i)])) };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (create.isPending) return;
    const body: NewCaseInput = {
      crimeType: crimeType || null,
      summary: summary.trim(),
      victims: victims.filter((v) => v.name.trim()).map((v) => ({ name: v.name.trim(), enhancedRights: v.enhancedRights })),
    };
    create.mutate(body, { onSuccess: (created) => void (window.location.hash = caseHref({ name: 'case', id: created.id })) });
  }

  const setVictim = (i: number, change: Partial<Victim>) => setVictims((now) => now.map((v, j) => (j === i ? { ...v, ...change } : v)));
  const crimeMessage = fieldMessage(error, 'crimeType');
  const summaryMessage = fieldMessage(error, 'summary');

  return (
    <>
      <PageHeading title="Record a case">Record a case</PageHeading>
      <CasesNav current="new" canRecord />
      <form onSubmit={submit} noValidate className="form" data-testid="new-case">
        <ErrorSummary error={error} fieldIds={fieldIds} />
        <div className={`field${crimeMessage ? ' field--error' : ''}`}>
          <label htmlFor={FIELD_IDS.crimeType}>Crime type</label>
          <InlineError id="case-crime-type-error" message={crimeMessage} />
          <select id={FIELD_IDS.crimeType} value={crimeType} onChange={(e) => setCrimeType(e.target.value)} aria-describedby={crimeMessage ? 'case-crime-type-error' : undefined}>
            <option value="">Not classified yet</option>
            {groups.map((group) => (
              <optgroup key={group} label={group}>
                {(catalogues.data?.crimeTypes ?? [])
                  .filter((t) => t.group === group)
                  .map((t) => (
                    <option key={t.code} value={t.code}>
                      {t.label}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div className={`field${summaryMessage ? ' field--error' : ''}`}>
          <label htmlFor={FIELD_IDS.summary}>What happened</label>
          <InlineError id="case-summary-error" message={summaryMessage} />
          <textarea id={FIELD_IDS.summary} rows={4} value={summary} onChange={(e) => setSummary(e.target.value)} aria-describedby={summaryMessage ? 'case-summary-error' : undefined} />
        </div>
        <fieldset className="case-fieldset">
          <legend>Victims</legend>
          {victims.map((victim, i) => {
            const message = fieldMessage(error, `victims.${i}.name`);
            return (
              <div key={i} className={`field${message ? ' field--error' : ''}`}>
                <label htmlFor={victimId(i)}>Name of victim {i + 1}</label>
                <InlineError id={`${victimId(i)}-error`} message={message} />
                <input id={victimId(i)} type="text" value={victim.name} onChange={(e) => setVictim(i, { name: e.target.value })} aria-describedby={message ? `${victimId(i)}-error` : undefined} />
                <label className="checkbox">
                  <input type="checkbox" checked={victim.enhancedRights} onChange={(e) => setVictim(i, { enhancedRights: e.target.checked })} /> Enhanced rights under the Victims’ Code (updates within 1 working day)
                </label>
              </div>
            );
          })}
          <button type="button" className="button button--secondary" onClick={() => setVictims((now) => [...now, { name: '', enhancedRights: false }])}>
            Add another victim
          </button>
        </fieldset>
        <button type="submit" className="button" data-testid="record-case" aria-disabled={create.isPending}>
          {create.isPending ? 'Recording…' : 'Record the case'}
        </button>
      </form>
    </>
  );
}
