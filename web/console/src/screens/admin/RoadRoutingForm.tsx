// The force's road-routing service for arrival times in recommendations (OSRM or Valhalla), or none.
import { useState, type FormEvent } from 'react';
import { toUiError, type UiError } from '../../api/errors.ts';
import type { ForceSettings, ForceSettingsInput } from '../../api/types.ts';
import { ErrorSummary, StatusMessage, focusById } from '../../components.tsx';
import { useSaveForceSettings } from './admin-api.ts';

type Engine = '' | 'osrm' | 'valhalla';
const FIELD_IDS = {
  'roadRouting.engine': 'routing-engine',
  'roadRouting.url': 'routing-url',
  'roadRouting.profile': 'routing-profile',
  'roadRouting.timeoutMs': 'routing-timeout',
  'roadRouting.durationFactor': 'routing-factor',
};

const asEngine = (value: unknown): Engine => (value === 'osrm' || value === 'valhalla' ? value : '');

export function RoadRoutingForm({ settings }: { settings: ForceSettings }) {
  const save = useSaveForceSettings();
  const current = settings.roadRouting ?? null;
  const [engine, setEngine] = useState<Engine>(asEngine(current?.engine));
  const [url, setUrl] = useState(current?.url ?? '');
  const [profile, setProfile] = useState(current?.profile ?? '');
  const [timeout, setTimeoutMs] = useState(current?.timeoutMs === undefined ? '' : String(current.timeoutMs));
  const [factor, setFactor] = useState(current?.durationFactor === undefined ? '' : String(current.durationFactor));
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const error = invalid ?? toUiError(save.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.isPending) return;
    const problems: { path: string; message: string }[] = [];
    let roadRouting: ForceSettingsInput['roadRouting'] = null;
    if (engine !== '') {
      if (url.trim() === '') problems.push({ path: 'roadRouting.url', message: "Enter the routing service's address, for example https://osrm.force.internal" });
      const timeoutMs = timeout.trim() === '' ? undefined : Number(timeout);
      if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs < 200 || timeoutMs > 10_000)) problems.push({ path: 'roadRouting.timeoutMs', message: 'Wait must be a whole number of milliseconds from 200 to 10,000' });
      const durationFactor = factor.trim() === '' ? undefined : Number(factor);
      if (durationFactor !== undefined && (!Number.isFinite(durationFactor) || durationFactor < 0.3 || durationFactor > 2)) problems.push({ path: 'roadRouting.durationFactor', message: 'Time factor must be a number from 0.3 to 2' });
      roadRouting = {
        engine,
        url: url.trim(),
        ...(profile.trim() ? { profile: profile.trim() } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        ...(durationFactor !== undefined ? { durationFactor } : {}),
      };
    }
    if (problems.length > 0) {
      setInvalid({ message: '', fields: problems });
      return;
    }
    setInvalid(null);
    save.mutate(
      { roadRouting },
      {
        onSuccess: () => {
          setNotice(roadRouting ? 'Road routing saved: recommendations now ask the routing service for arrival times.' : 'Road routing turned off: arrival times are estimated from distance.');
          focusById('routing-notice');
        },
      },
    );
  }

  const field = (id: string, label: string, hint: string, value: string, set: (v: string) => void, narrow = true) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <p className="hint" id={`${id}-hint`}>
        {hint}
      </p>
      <input id={id} className={narrow ? 'input--narrow' : undefined} type="text" aria-describedby={`${id}-hint`} value={value} onChange={(e) => set(e.target.value)} />
    </div>
  );

  return (
    <form onSubmit={submit} noValidate className="form" data-testid="road-routing-form" aria-labelledby="routing-heading">
      <h2 id="routing-heading">Road routing for arrival times</h2>
      <StatusMessage message={notice} id="routing-notice" />
      <ErrorSummary error={error} fieldIds={FIELD_IDS} />
      <div className="field">
        <label htmlFor="routing-engine">Routing service</label>
        <p className="hint" id="routing-engine-hint">
          Without one, arrival times are estimated from straight-line distance. The service must be reachable from Bluelamp (an address inside the force network must be on its outbound allow list).
        </p>
        <select id="routing-engine" aria-describedby="routing-engine-hint" value={engine} onChange={(e) => setEngine(asEngine(e.target.value))}>
          <option value="">None (estimate from distance)</option>
          <option value="osrm">OSRM</option>
          <option value="valhalla">Valhalla</option>
        </select>
      </div>
      {engine !== '' && (
        <>
          {field('routing-url', 'Address', 'The base address of the service, for example http://osrm.force.internal:5000', url, setUrl, false)}
          {field('routing-profile', 'Profile (optional)', engine === 'osrm' ? 'The OSRM profile; driving if blank.' : 'The Valhalla costing; auto if blank.', profile, setProfile)}
          {field('routing-timeout', 'Wait (milliseconds, optional)', 'After this long the distance estimate is used instead; 2,000 if blank.', timeout, setTimeoutMs)}
          {field('routing-factor', 'Time factor (optional)', "Multiplies the service's times: below 1 for blue-light driving; 1 if blank.", factor, setFactor)}
        </>
      )}
      <button type="submit" className="button" aria-disabled={save.isPending} data-testid="routing-save">
        Save road routing
      </button>
    </form>
  );
}
