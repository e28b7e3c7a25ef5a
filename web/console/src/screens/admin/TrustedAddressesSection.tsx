// The acknowledgements of online reports (decision 0166): how many one email address is sent a
// day, how many a trusted reporting address is (a charity, a school's safeguarding lead, a housing
// association reporting for others), and the list of trusted addresses, added and removed here.
import { useEffect, useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { toUiError, type UiError } from '../../api/errors.ts';
import type { ForceSettings } from '../../api/types.ts';
import { invalidate } from '../../api/query-client.ts';
import { ErrorSummary, InlineError, StatusMessage, fieldMessage, focusById } from '../../components.tsx';
import { formatDateTime } from '../../format.ts';
import { useSaveForceSettings } from './admin-api.ts';
import { TRUSTED_ADDRESSES_KEY, offsetStillShowing, trustedAddressesQuery, useChangeTrustedAddress } from './trusted-addresses-api.ts';

const PAGE_SIZE = 20;
const ALLOWANCE_BOUNDS = { perAddress: { min: 1, max: 500, standard: 5 }, trustedPerAddress: { min: 1, max: 2000, standard: 200 } } as const;

/**
 * The allowances as the force stored them (or the standard ones), not as they apply: the trusted
 * allowance applied is never below the other, and a form that started from that would save it.
 */
export function TrustedAddressesSection({ settings }: { settings: Pick<ForceSettings, 'acknowledgementsPerAddress' | 'trustedAcknowledgementsPerAddress'> }) {
  const [offset, setOffset] = useState(0);
  const page = useQuery({ ...trustedAddressesQuery(offset, PAGE_SIZE), placeholderData: keepPreviousData });
  const change = useChangeTrustedAddress();
  const [notice, setNotice] = useState<string | null>(null);
  const data = page.data;
  const shownTo = data ? offset + data.addresses.length : 0;
  // A page emptied by removing its last address goes back to the last page that holds some.
  useEffect(() => {
    if (!data || page.isPlaceholderData) return;
    const still = offsetStillShowing(offset, data.addresses.length, data.total, PAGE_SIZE);
    if (still !== offset) setOffset(still);
  }, [data, offset, page.isPlaceholderData]);

  function remove(address: string) {
    if (change.isPending) return;
    setNotice(null);
    change.mutate(
      { change: 'remove', address },
      {
        onSuccess: (result) => {
          setNotice(`Removed: ${result.address} is sent no more acknowledgements than any other address.`);
          focusById('trusted-notice');
        },
      },
    );
  }

  return (
    <section aria-labelledby="h-acknowledgements" data-testid="acknowledgements-section">
      <h2 id="h-acknowledgements">Acknowledgements of online reports</h2>
      <p className="hint">
        Each online report is acknowledged by email with its reference. To stop the form being used to send a stranger mail, one address is sent only so many in 24 hours.
        Reporting centres that report for others from one address (a charity, a school’s safeguarding lead, a housing association) can be trusted with more.
        Trusting an address, or raising an allowance, also sends the acknowledgements it held back in the last 24 hours, oldest first, up to the new allowance.
      </p>
      <ErrorSummary error={toUiError(page.error)} focus={false} />
      {data && (
        <AllowanceForm
          perAddress={settings.acknowledgementsPerAddress ?? ALLOWANCE_BOUNDS.perAddress.standard}
          trustedPerAddress={settings.trustedAcknowledgementsPerAddress ?? ALLOWANCE_BOUNDS.trustedPerAddress.standard}
        />
      )}
      <h3 id="h-trusted-addresses">Trusted reporting addresses</h3>
      <StatusMessage message={notice} id="trusted-notice" />
      {change.variables?.change === 'remove' && <ErrorSummary error={toUiError(change.error)} />}
      {data && (
        <p data-testid="trusted-summary">{data.total === 0 ? 'No address is trusted.' : `Showing ${offset + 1}–${shownTo} of ${data.total}`}</p>
      )}
      {data && data.addresses.length > 0 && (
        <table className="table" aria-labelledby="h-trusted-addresses">
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Added</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.addresses.map((a) => (
              <tr key={a.id} data-testid="trusted-address">
                <td>{a.address}</td>
                <td>
                  <time dateTime={a.addedAt}>{formatDateTime(a.addedAt)}</time> by {a.addedBy.name}
                </td>
                <td>
                  <button type="button" className="button button--secondary" aria-disabled={change.isPending} onClick={() => remove(a.address)}>
                    Remove<span className="visually-hidden"> {a.address}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.total > PAGE_SIZE && (
        <nav className="pager" aria-label="Pages of trusted addresses">
          <button type="button" className="button button--secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
            Previous
          </button>{' '}
          <button type="button" className="button button--secondary" disabled={shownTo >= data.total} onClick={() => setOffset(offset + PAGE_SIZE)}>
            Next
          </button>
        </nav>
      )}
      <AddTrustedAddressForm />
    </section>
  );
}

function AllowanceForm({ perAddress, trustedPerAddress }: { perAddress: number; trustedPerAddress: number }) {
  const save = useSaveForceSettings();
  const queryClient = useQueryClient();
  const [values, setValues] = useState({ perAddress: String(perAddress), trustedPerAddress: String(trustedPerAddress) });
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const error = invalid ?? toUiError(save.error);
  const fields = {
    perAddress: { id: 'ack-per-address', label: 'Acknowledgements to one address a day', hint: 'From 1 to 500. The standard is 5.', setting: 'acknowledgementsPerAddress' },
    trustedPerAddress: {
      id: 'ack-trusted-per-address',
      label: 'Acknowledgements to a trusted address a day',
      hint: 'From 1 to 2,000. The standard is 200. A trusted address is never sent fewer than any other.',
      setting: 'trustedAcknowledgementsPerAddress',
    },
  } as const;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.isPending) return;
    const problems: { path: string; message: string }[] = [];
    const whole = (key: keyof typeof fields): number | undefined => {
      const n = Number(values[key].trim());
      const { min, max } = ALLOWANCE_BOUNDS[key];
      if (values[key].trim() === '' || !Number.isInteger(n) || n < min || n > max) {
        problems.push({ path: fields[key].setting, message: `${fields[key].label} must be a whole number from ${min} to ${max.toLocaleString('en-GB')}` });
        return undefined;
      }
      return n;
    };
    const acknowledgementsPerAddress = whole('perAddress');
    const trustedAcknowledgementsPerAddress = whole('trustedPerAddress');
    if (problems.length > 0 || acknowledgementsPerAddress === undefined || trustedAcknowledgementsPerAddress === undefined) {
      setInvalid({ message: '', fields: problems });
      return;
    }
    setInvalid(null);
    setNotice(null);
    save.mutate(
      { acknowledgementsPerAddress, trustedAcknowledgementsPerAddress },
      {
        onSuccess: () => {
          invalidate(queryClient, [TRUSTED_ADDRESSES_KEY]);
          setNotice('Allowances saved.');
          focusById('allowance-notice');
        },
      },
    );
  }

  return (
    <form onSubmit={submit} noValidate className="form" aria-label="Acknowledgement allowances" data-testid="allowance-form">
      <StatusMessage message={notice} id="allowance-notice" />
      <ErrorSummary error={error} fieldIds={{ acknowledgementsPerAddress: fields.perAddress.id, trustedAcknowledgementsPerAddress: fields.trustedPerAddress.id }} />
      {(Object.keys(fields) as (keyof typeof fields)[]).map((key) => {
        const field = fields[key];
        const message = fieldMessage(error, field.setting);
        return (
          <div key={key} className={`field${message ? ' field--error' : ''}`}>
            <label htmlFor={field.id}>{field.label}</label>
            <p className="hint" id={`${field.id}-hint`}>
              {field.hint}
            </p>
            <InlineError id={`${field.id}-error`} message={message} />
            <input
              id={field.id}
              className="input--narrow"
              type="text"
              inputMode="numeric"
              value={values[key]}
              onChange={(e) => setValues({ ...values, [key]: e.target.value })}
              aria-invalid={message ? true : undefined}
              aria-describedby={[`${field.id}-hint`, message ? `${field.id}-error` : ''].filter(Boolean).join(' ')}
            />
          </div>
        );
      })}
      <button type="submit" className="button" aria-disabled={save.isPending} data-testid="allowance-save">
        Save allowances
      </button>
    </form>
  );
}

function AddTrustedAddressForm() {
  const change = useChangeTrustedAddress();
  const [address, setAddress] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const error = change.variables?.change === 'add' ? toUiError(change.error) : null;
  const message = fieldMessage(error, 'address');
  const id = 'trusted-address-add';

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (change.isPending) return;
    setDone(null);
    change.mutate(
      { change: 'add', address },
      {
        onSuccess: (result) => {
          setDone(result.added ? `Added: ${result.address} is a trusted reporting address.` : `${result.address} was already a trusted reporting address.`);
          setAddress('');
        },
      },
    );
  }

  return (
    <form onSubmit={submit} noValidate className="form" aria-labelledby="h-trusted-add" data-testid="trusted-add-form">
      <h3 id="h-trusted-add">Trust an address</h3>
      <ErrorSummary error={error} fieldIds={{ address: id }} />
      {done && (
        <p className="result result--ok" role="status" data-testid="trusted-add-done">
          {done}
        </p>
      )}
      <div className={`field${message ? ' field--error' : ''}`}>
        <label htmlFor={id}>Email address</label>
        <p className="hint" id={`${id}-hint`}>
          The address the reporting centre gives on its reports. Acknowledgements are sent by email only.
        </p>
        <InlineError id={`${id}-error`} message={message} />
        <input
          id={id}
          type="email"
          autoComplete="off"
          maxLength={320}
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          aria-invalid={message ? true : undefined}
          aria-describedby={[`${id}-hint`, message ? `${id}-error` : ''].filter(Boolean).join(' ')}
        />
      </div>
      <button type="submit" className="button" aria-disabled={change.isPending}>
        Trust address
      </button>
    </form>
  );
}
