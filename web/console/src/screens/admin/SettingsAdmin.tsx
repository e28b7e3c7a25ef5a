import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { toUiError, type UiError } from '../../api/errors.ts';
import type { ForceSettings, ForceSettingsInput } from '../../api/types.ts';
import { ErrorSummary, Loading, PageHeading, StatusMessage, focusById } from '../../components.tsx';
import { forceSettingsQuery, useSaveForceSettings } from './admin-api.ts';
import { AdminNav } from './AdminNav.tsx';
import { RoadRoutingForm } from './RoadRoutingForm.tsx';
import { TrustedAddressesSection } from './TrustedAddressesSection.tsx';

type GradeKey = 'immediate' | 'priority' | 'scheduled' | 'resolution_without_deployment';
const GRADES: ReadonlyArray<{ key: GradeKey; label: string; max: number }> = [
  { key: 'immediate', label: 'Immediate', max: 1440 },
  { key: 'priority', label: 'Priority', max: 10_080 },
  { key: 'scheduled', label: 'Scheduled', max: 43_200 },
  { key: 'resolution_without_deployment', label: 'Resolution without deployment', max: 43_200 },
];

const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

/** The force's own settings: the re-open window, THRIVE re-assessment, grade targets, unit positions and acknowledgements per address. */
export function SettingsAdminScreen() {
  const settings = useQuery(forceSettingsQuery);
  return (
    <>
      <PageHeading title="Force settings">Force settings</PageHeading>
      <AdminNav current="settings" />
      <ErrorSummary error={toUiError(settings.error)} focus={false} />
      {!settings.data && settings.isPending && <Loading what="settings" />}
      {settings.data && <SettingsForm settings={settings.data} />}
      {settings.data && <RoadRoutingForm settings={settings.data} />}
      {settings.data && <TrustedAddressesSection settings={settings.data} />}
    </>
  );
}

function SettingsForm({ settings }: { settings: ForceSettings }) {
  const save = useSaveForceSettings();
  const [reopen, setReopen] = useState(text(settings.reopenClosedWithinHours));
  const [thrive, setThrive] = useState(text(settings.thriveReassessAfterMinutes));
  const [staleAfter, setStaleAfter] = useState(text(settings.positionStaleAfterMinutes));
  const [historyDays, setHistoryDays] = useState(text(settings.positionHistoryDays));
  const [grades, setGrades] = useState<Record<GradeKey, string>>({
    immediate: text(settings.gradeTargets?.immediate),
    priority: text(settings.gradeTargets?.priority),
    scheduled: text(settings.gradeTargets?.scheduled),
    resolution_without_deployment: text(settings.gradeTargets?.resolution_without_deployment),
  });
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const error = invalid ?? toUiError(save.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.isPending) return;
    const problems: string[] = [];
    const whole = (value: string, what: string, min: number, max: number): number | undefined => {
      const n = Number(value.trim());
      if (!Number.isInteger(n) || n < min || n > max) {
        problems.push(`${what} must be a whole number from ${min} to ${max.toLocaleString('en-GB')}`);
        return undefined;
      }
      return n;
    };
    const body: ForceSettingsInput = {};
    if (reopen.trim() !== '') body.reopenClosedWithinHours = whole(reopen, 'Re-open window', 0, 2160);
    if (thrive.trim() !== '') body.thriveReassessAfterMinutes = whole(thrive, 'THRIVE re-assessment', 5, 10_080);
    if (staleAfter.trim() !== '') body.positionStaleAfterMinutes = whole(staleAfter, 'Unit position stale after', 1, 1440);
    if (historyDays.trim() !== '') body.positionHistoryDays = whole(historyDays, 'Keep unit positions for', 1, 366);
    const targets: NonNullable<ForceSettingsInput['gradeTargets']> = {};
    for (const g of GRADES) {
      // Blank means no target for that grade.
      targets[g.key] = grades[g.key].trim() === '' ? null : (whole(grades[g.key], `${g.label} target`, 1, g.max) ?? null);
    }
    body.gradeTargets = targets;
    if (problems.length > 0) {
      setInvalid({ message: '', fields: problems.map((message) => ({ path: '', message })) });
      return;
    }
    setInvalid(null);
    save.mutate(body, {
      onSuccess: () => {
        setNotice('Settings saved.');
        focusById('settings-notice');
      },
    });
  }

  const number = (id: string, label: string, hint: string, value: string, set: (v: string) => void) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <p className="hint" id={`${id}-hint`}>
        {hint}
      </p>
      <input id={id} className="input--narrow" type="text" inputMode="numeric" aria-describedby={`${id}-hint`} value={value} onChange={(e) => set(e.target.value)} />
    </div>
  );

  return (
    <form onSubmit={submit} noValidate className="form" data-testid="settings-form">
      <StatusMessage message={notice} id="settings-notice" />
      <ErrorSummary error={error} />
      {number('settings-reopen', 'Re-open window (hours)', 'A message on a thread closed this recently re-opens it; later ones start a new contact.', reopen, setReopen)}
      {number('settings-thrive', 'Re-assess THRIVE after (minutes)', 'An open contact is due a new THRIVE assessment after this long.', thrive, setThrive)}
      {number(
        'settings-position-stale',
        'Unit position stale after (minutes)',
        'A unit whose last position is older than this is shown as stale and not recommended. Blank for the default, 5.',
        staleAfter,
        setStaleAfter,
      )}
      {number('settings-position-history', 'Keep unit positions for (days)', "Units' past positions are deleted after this long. Blank for the default, 7.", historyDays, setHistoryDays)}
      <fieldset className="field">
        <legend>Grade targets (minutes from grading; blank for none)</legend>
        {GRADES.map((g) => (
          <div key={g.key} className="field">
            <label htmlFor={`settings-grade-${g.key}`}>{g.label}</label>{' '}
            <input
              id={`settings-grade-${g.key}`}
              className="input--narrow"
              type="text"
              inputMode="numeric"
              value={grades[g.key]}
              onChange={(e) => setGrades({ ...grades, [g.key]: e.target.value })}
            />
          </div>
        ))}
      </fieldset>
      <button type="submit" className="button" aria-disabled={save.isPending} data-testid="settings-save">
        Save settings
      </button>
    </form>
  );
}
