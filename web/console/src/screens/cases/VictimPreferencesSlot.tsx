import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSetVictimPreferences, victimPreferencesQuery, type VictimPreferences } from '../../api/cases.ts';
import { toUiError } from '../../api/errors.ts';
import { ErrorSummary, Loading, StatusMessage } from '../../components.tsx';

// A victim's contact preferences on the case (GET/PUT /api/cases/:id/victims/:victimId/preferences):
// shown under their name, in a disclosure; the investigator may change the switches that matter
// most for their safety. Every later journey message follows them.

const CHANNEL_LABELS: Record<string, string> = { email: 'Email', sms: 'Text message', portal: 'Case page (portal)', letter: 'Letter' };
type Switch = 'neverSms' | 'portalOnly' | 'optOutNonStatutory' | 'domesticAbuse';
const SWITCHES: { key: Switch; label: string }[] = [
  { key: 'neverSms', label: 'Never by text message' },
  { key: 'portalOnly', label: 'Only on their case page (portal)' },
  { key: 'optOutNonStatutory', label: 'Only the updates the Victims’ Code requires' },
  { key: 'domesticAbuse', label: 'Domestic abuse: contact only in the safe ways above, and no letter unless letters come first' },
];

// Letters are a place in the victim's channel order (decision 0136): first, where they prefer
// post; last, the default, where nothing else can reach them; or left out.
type LetterChoice = 'first' | 'last' | 'never';
const LETTER_CHOICES: { value: LetterChoice; label: string }[] = [
  { value: 'last', label: 'Only when nothing else can reach them' },
  { value: 'first', label: 'They prefer letters: post first' },
  { value: 'never', label: 'Never by letter' },
];

function letterChoiceOf(channels: readonly string[]): LetterChoice {
  if (!channels.includes('letter')) return 'never';
  return channels[0] === 'letter' ? 'first' : 'last';
}

function withLetter<T extends string>(channels: readonly T[], letter: T, choice: LetterChoice): T[] {
  const others = channels.filter((c) => c !== letter);
  if (choice === 'never') return others;
  return choice === 'first' ? [letter, ...others] : [...others, letter];
}

type SmsOptOutSource = 'keyword' | 'staff' | null;
type FormProps = { caseId: string; victimId: string; preferences: VictimPreferences; canChange: boolean; smsOptOut: SmsOptOutSource };

function PreferencesForm({ caseId, victimId, preferences, canChange, smsOptOut }: FormProps) {
  const save = useSetVictimPreferences(caseId, victimId);
  const [said, setSaid] = useState<string | null>(null);
  const { victimId: _id, isSet: _set, updatedAt: _at, ...current } = preferences;
  const toggle = (key: Switch, on: boolean) => {
    const next = { ...current, [key]: on };
    // Portal only needs the portal among the channels.
    if (key === 'portalOnly' && on && !next.channels.includes('portal')) next.channels = [...next.channels, 'portal'];
    save.mutate(next, { onSuccess: () => setSaid('Contact preferences saved') });
  };
  const chooseLetters = (choice: LetterChoice) => {
    save.mutate({ ...current, channels: withLetter(current.channels, 'letter', choice) }, { onSuccess: () => setSaid('Contact preferences saved') });
  };
  return (
    <div data-testid="victim-preferences">
      <p>
        Channels, in order: {preferences.channels.map((c) => CHANNEL_LABELS[c] ?? c).join(', ')}
        {preferences.language === 'cy' ? ' · in Welsh' : ''}
        {preferences.safeWindows.length > 0 ? ` · only at the safe times set (${preferences.safeWindows.length})` : ' · any time'}
        {preferences.isSet ? '' : ' (the defaults: nobody has set them)'}
      </p>
      {smsOptOut !== null && preferences.channels.includes('sms') && (
        <p data-testid="preferences-sms-opted-out">
          {smsOptOut === 'staff'
            ? 'Text messages are skipped: staff recorded that their number is not to be texted. Updates go by their next channel until the opt-out is lifted.'
            : 'Text messages are skipped: their number replied STOP. Updates go by their next channel until they text START.'}
        </p>
      )}
      {save.error && <ErrorSummary error={toUiError(save.error)} focus={false} />}
      {SWITCHES.map(({ key, label }) => (
        <label key={key} className="checkbox">
          <input type="checkbox" checked={preferences[key]} disabled={!canChange || save.isPending} onChange={(e) => toggle(key, e.target.checked)} /> {label}
        </label>
      ))}
      <fieldset className="letter-choice">
        <legend>Letters by post</legend>
        {LETTER_CHOICES.map(({ value, label }) => (
          <label key={value} className="radio">
            <input
              type="radio"
              name={`letters-${victimId}`}
              value={value}
              checked={letterChoiceOf(preferences.channels) === value}
              disabled={!canChange || save.isPending}
              onChange={() => chooseLetters(value)}
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      <StatusMessage message={said} />
    </div>
  );
}

/** A victim's contact preferences, read when opened. */
export function VictimPreferencesSlot({ caseId, victimId, canChange = false, smsOptOut = null }: { caseId: string; victimId: string; canChange?: boolean; smsOptOut?: SmsOptOutSource }) {
  const [isOpen, setIsOpen] = useState(false);
  const found = useQuery({ ...victimPreferencesQuery(caseId, victimId), enabled: isOpen });
  return (
    <details onToggle={(e) => setIsOpen(e.currentTarget.open)}>
      <summary>Contact preferences</summary>
      {found.data ? (
        <PreferencesForm caseId={caseId} victimId={victimId} preferences={found.data} canChange={canChange} smsOptOut={smsOptOut} />
      ) : found.isError ? (
        <ErrorSummary error={toUiError(found.error)} focus={false} />
      ) : (
        <Loading what="their contact preferences" />
      )}
    </details>
  );
}
