import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { isChangedSinceRead, toUiError, type UiError } from '../../api/errors.ts';
import { staffAccountsQuery } from '../../api/queries.ts';
import type { CapacityClass, SkillName, StaffAccount } from '../../api/types.ts';
import { ChangedElsewhereNotice, useChangedElsewhere } from '../../changed-elsewhere.tsx';
import { AsItIsNow, ErrorSummary, InlineError, fieldMessage } from '../../components.tsx';
import { humanize } from '../../format.ts';
import { CAPACITY_CLASSES } from '../../labels.ts';
import { useSetRoutingProfile } from './admin-api.ts';
import { SKILLS, isSkillName } from './admin-labels.ts';
import { capacityLabel, profileClashSentence, profileValues, profileValuesOf, rebaseProfileChange, skillsInWords, type ProfileValues } from './staff-changes.ts';

type Routing = NonNullable<StaffAccount['routing']>;

/** Saving was refused because someone else changed the profile after the form was opened: what to show. */
type Conflict = { error: UiError; current: Routing | null };

const FIRST_SKILL_ID = `staff-edit-skill-${SKILLS[0]?.key ?? ''}`;
const capacityId = (key: CapacityClass) => `staff-edit-capacity-${key}`;
const FIELD_IDS: Record<string, string> = { skills: FIRST_SKILL_ID, ...Object.fromEntries(CAPACITY_CLASSES.map((key) => [`capacity.${key}`, capacityId(key)])) };

/**
 * Someone's skills and capacity per channel class, saved from the version the form was opened at;
 * if someone else changed them meanwhile, the form says so, shows them as they are now, keeps what
 * this person entered (taking the other's value for a field they left alone) and saves only when
 * they save again (decision 0085).
 */
export function StaffProfileForm({ person, routing, onDone }: { person: StaffAccount; routing: Routing; onDone: (message: string) => void }) {
  const save = useSetRoutingProfile();
  const queryClient = useQueryClient();
  // The profile as the save is made from: as opened, then as saved, or as it was when a conflict was shown.
  const [opened, setOpened] = useState<Routing>(routing);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [skills, setSkills] = useState<SkillName[]>(routing.skills.filter(isSkillName));
  const [capacity, setCapacity] = useState<Record<CapacityClass, string>>(() => profileValuesOf(routing));
  const [invalid, setInvalid] = useState<UiError | null>(null);
  // A refusal for a profile changed meanwhile is shown as the conflict, once the profile as it is now is read.
  const error = conflict?.error ?? (isChangedSinceRead(save.error) ? null : toUiError(save.error));
  const skillsError = fieldMessage(error, 'skills');
  const changedElsewhere = useChangedElsewhere({
    record: 'staff_profile',
    id: person.id,
    version: opened.version,
    isSaving: save.isPending,
    readVersion: async () => (await readCurrent())?.version ?? null,
  });

  /** Their profile as it is now, read again (null: deactivated, or not readable). */
  async function readCurrent() {
    const fresh = await queryClient.fetchQuery({ ...staffAccountsQuery, staleTime: 0 }).catch(() => null);
    return fresh?.find((p) => p.id === person.id && p.isActive)?.routing ?? null;
  }

  function fill(values: ProfileValues) {
    setSkills(values.skills.filter(isSkillName));
    setCapacity(values);
  }

  /** Someone else changed the profile: read it as it is now and put this person's change over it in the form, unsaved. */
  async function showConflict(from: Routing, wanted: ProfileValues, message: string) {
    const current = await readCurrent();
    save.reset();
    if (!current) {
      setConflict({ error: { message, fields: [] }, current: null });
      return;
    }
    const { form, clashes } = rebaseProfileChange(profileValuesOf(from), wanted, profileValuesOf(current));
    fill(form);
    setOpened(current);
    const fields = clashes.map((clash) => ({ path: clash.field === 'skills' ? 'skills' : `capacity.${clash.field}`, message: profileClashSentence(clash) }));
    setConflict({ error: { message, fields }, current });
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.isPending) return;
    const numbers: Partial<Record<CapacityClass, number>> = {};
    for (const key of CAPACITY_CLASSES) {
      const text = capacity[key].trim();
      if (text === '') continue;
      const n = Number(text);
      if (!Number.isInteger(n) || n < 0 || n > 50) {
        setInvalid({ message: `Capacity for ${humanize(key).toLowerCase()} must be a whole number from 0 to 50`, fields: [] });
        return;
      }
      numbers[key] = n;
    }
    setInvalid(null);
    setConflict(null);
    const from = opened;
    const wanted = profileValues(skills, capacity);
    // From the version this form shows: skills or capacity someone else changed since are refused rather than silently replaced.
    save.mutate(
      { staffId: person.id, skills, capacity: numbers, version: from.version },
      {
        onSuccess: (saved) => {
          setOpened(saved.routing);
          onDone(`${person.name}'s skills and capacity are saved.`);
        },
        onError: (refusal) => {
          if (isChangedSinceRead(refusal)) void showConflict(from, wanted, refusal.message);
        },
      },
    );
  }
  return (
    <form onSubmit={submit} noValidate className="form" aria-label={`Skills and capacity of ${person.name}`}>
      <ErrorSummary error={invalid ?? error} fieldIds={FIELD_IDS} />
      <ChangedElsewhereNotice
        changed={changedElsewhere}
        what="Their skills and capacity"
        onShowNow={(sentence) => void showConflict(opened, profileValues(skills, capacity), sentence)}
      />
      {conflict?.current && (
        <AsItIsNow
          heading="Their skills and capacity as they are now"
          facts={[
            { term: 'Skills', value: skillsInWords(conflict.current.skills) },
            ...CAPACITY_CLASSES.map((key) => ({ term: capacityLabel(key), value: String(conflict.current?.capacity[key] ?? 'not set') })),
          ]}
          testId="staff-profile-now"
        />
      )}
      <fieldset className={`field${skillsError ? ' field--error' : ''}`} aria-describedby={skillsError ? 'staff-edit-skills-error' : undefined}>
        <legend>Skills</legend>
        <InlineError id="staff-edit-skills-error" message={skillsError} />
        {SKILLS.map((skill) => (
          <div key={skill.key} className="checkbox">
            <input
              type="checkbox"
              id={`staff-edit-skill-${skill.key}`}
              checked={skills.includes(skill.key)}
              onChange={(e) => setSkills(e.target.checked ? [...skills, skill.key] : skills.filter((s) => s !== skill.key))}
            />{' '}
            <label htmlFor={`staff-edit-skill-${skill.key}`}>{skill.label}</label>
          </div>
        ))}
      </fieldset>
      <fieldset className="field">
        <legend>Capacity: how many of each they hold at once</legend>
        <div className="field--inline">
          {CAPACITY_CLASSES.map((key) => {
            const clash = fieldMessage(error, `capacity.${key}`);
            return (
              <span key={key}>
                <label htmlFor={capacityId(key)}>{humanize(key)}</label>{' '}
                <InlineError id={`${capacityId(key)}-error`} message={clash} />
                <input
                  id={capacityId(key)}
                  className="input--narrow"
                  type="text"
                  inputMode="numeric"
                  value={capacity[key]}
                  aria-invalid={clash ? true : undefined}
                  aria-describedby={clash ? `${capacityId(key)}-error` : undefined}
                  onChange={(e) => setCapacity({ ...capacity, [key]: e.target.value })}
                />
              </span>
            );
          })}
        </div>
        <InlineError id="staff-edit-capacity-error" message={fieldMessage(error, 'capacity')} />
      </fieldset>
      <button type="submit" className="button button--secondary" data-testid="staff-profile-submit" aria-disabled={save.isPending}>
        {conflict ? 'Save my change again' : 'Save skills and capacity'}
      </button>
    </form>
  );
}
