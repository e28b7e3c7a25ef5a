import { useState, type FormEvent, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { toUiError, type UiError } from '../../api/errors.ts';
import type { ChannelAccount, ChannelConnectField, ChannelKind } from '../../api/types.ts';
import { ErrorSummary, InlineError, fieldMessage } from '../../components.tsx';
import { channelAccountSettingsQuery, useConnectChannelAccount, useReconnectChannelAccount } from './admin-api.ts';
import { configOf, fieldOfPath, inputIdOf, shownFields, startingValues, valuesFromSettings, type ConnectValues } from './channel-connect.ts';

/** The account connected again, when the form replaces one account's credentials. */
export type Reconnecting = { accountId: string; channel: string; label: string };

type FormProps = {
  kinds: readonly ChannelKind[];
  reconnecting: Reconnecting | null;
  onDone: (account: ChannelAccount) => void;
  onCancel: () => void;
};

const CHANNEL_ID = 'connect-channel';
const LABEL_ID = 'connect-label';

/** The first problem the server found with a setting, whichever line of a list it was. */
function messageFor(error: UiError | null, fields: readonly ChannelConnectField[], field: ChannelConnectField): string | null {
  return error?.fields.find((f) => fieldOfPath(fields, f.path)?.name === field.name)?.message ?? null;
}

/**
 * Connects a provider account: the channel, a name for it, then that channel's settings as the
 * server declares them. Credentials are typed into password inputs and never shown again; the
 * server checks every setting and names each one it refuses. Connecting an account again opens
 * the same form for its channel, filled in with the account's settings but for its credentials,
 * which the admin types anew: they replace the old ones in the same account.
 */
export function ChannelConnectForm(props: FormProps) {
  if (!props.reconnecting) return <ConnectForm {...props} reconnecting={null} />;
  return <ReconnectForm {...props} reconnecting={props.reconnecting} />;
}

/** Reads the account's settings first, then opens the form with them. */
function ReconnectForm(props: FormProps & { reconnecting: Reconnecting }) {
  const settings = useQuery(channelAccountSettingsQuery(props.reconnecting.accountId));
  const kind = props.kinds.find((k) => k.channel === props.reconnecting.channel);
  if (settings.error) {
    return (
      <div className="panel" role="alert">
        <p>{toUiError(settings.error)?.message ?? 'The account’s settings could not be read.'}</p>
        <button type="button" className="button button--secondary" onClick={props.onCancel}>
          Close
        </button>
      </div>
    );
  }
  if (!settings.data || !kind) return <p role="status">Reading {props.reconnecting.label}’s settings…</p>;
  return (
    <ConnectForm
      {...props}
      reconnecting={{ ...props.reconnecting, version: settings.data.account.version }}
      initialValues={valuesFromSettings(kind, settings.data.settings)}
    />
  );
}

function ConnectForm({
  kinds,
  reconnecting,
  initialValues,
  onDone,
  onCancel,
}: Omit<FormProps, 'reconnecting'> & { reconnecting: (Reconnecting & { version: number }) | null; initialValues?: ConnectValues }) {
  const connectNew = useConnectChannelAccount();
  const connectAgain = useReconnectChannelAccount();
  const connect = reconnecting ? connectAgain : connectNew;
  const [channel, setChannel] = useState(reconnecting?.channel ?? '');
  const [label, setLabel] = useState(reconnecting?.label ?? '');
  const kind = kinds.find((k) => k.channel === channel) ?? null;
  const [values, setValues] = useState<ConnectValues>(initialValues ?? (kind ? startingValues(kind) : {}));
  const fields = kind ? shownFields(kind, values) : [];
  const error = toUiError(connect.error);
  const channelError = fieldMessage(error, 'channel');
  const labelError = fieldMessage(error, 'label');
  const fieldIds: Record<string, string> = { channel: CHANNEL_ID, label: LABEL_ID };
  for (const issue of error?.fields ?? []) {
    const field = fieldOfPath(fields, issue.path);
    if (field) fieldIds[issue.path] = inputIdOf(field.name);
  }
  const identifying = fields.find((field) => field.identifiesAccount);
  const headingId = 'h-channel-connect';

  function choose(next: string) {
    const nextKind = kinds.find((k) => k.channel === next);
    setChannel(next);
    setValues(nextKind ? startingValues(nextKind) : {});
    connect.reset();
  }
  const set = (name: string, value: string | boolean) => setValues((current) => ({ ...current, [name]: value }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (connect.isPending) return;
    const config = kind ? configOf(fields, values) : {};
    if (reconnecting) connectAgain.mutate({ accountId: reconnecting.accountId, label, config, version: reconnecting.version }, { onSuccess: onDone });
    else connectNew.mutate({ channel, label, config }, { onSuccess: onDone });
  }

  const control = (field: ChannelConnectField, describedBy: string, message: string | null): ReactNode => {
    const id = inputIdOf(field.name);
    const typed = values[field.name];
    const text = typeof typed === 'string' ? typed : '';
    const common = { id, 'aria-describedby': describedBy, 'aria-invalid': message ? true : undefined } as const;
    if (field.kind === 'lines') return <textarea {...common} rows={3} spellCheck={false} value={text} onChange={(e) => set(field.name, e.target.value)} />;
    if (field.kind === 'secret') return <input {...common} type="password" autoComplete="off" spellCheck={false} value={text} onChange={(e) => set(field.name, e.target.value)} />;
    const type = field.kind === 'url' ? 'url' : field.kind === 'email' ? 'email' : 'text';
    const mode = field.kind === 'number' ? ({ inputMode: 'numeric', className: 'input--narrow' } as const) : {};
    // The setting an account is known by names the provider account: another value is another account.
    const isFixed = reconnecting !== null && field.identifiesAccount;
    return <input {...common} {...mode} type={type} readOnly={isFixed} autoComplete="off" spellCheck={false} value={text} onChange={(e) => set(field.name, e.target.value)} />;
  };

  const setting = (field: ChannelConnectField) => {
    const id = inputIdOf(field.name);
    const message = messageFor(error, fields, field);
    const describedBy = [`${id}-hint`, message ? `${id}-error` : null].filter(Boolean).join(' ');
    const optional = field.isOptional ? ' (optional)' : '';
    const hint = field.default !== null && field.kind !== 'boolean' ? `${field.hint} Left blank: ${String(field.default)}.` : field.hint;
    if (field.kind === 'boolean') {
      return (
        <div key={field.name} className={`field${message ? ' field--error' : ''}`}>
          <InlineError id={`${id}-error`} message={message} />
          <div className="checkbox">
            <input id={id} type="checkbox" checked={values[field.name] === true} onChange={(e) => set(field.name, e.target.checked)} aria-describedby={describedBy} />{' '}
            <label htmlFor={id}>{field.label}</label>
          </div>
          <p className="hint" id={`${id}-hint`}>
            {hint}
          </p>
        </div>
      );
    }
    if (field.kind === 'choice') {
      return (
        <div key={field.name} className={`field${message ? ' field--error' : ''}`}>
          <fieldset aria-describedby={describedBy}>
            <legend>
              {field.label}
              {optional}
            </legend>
            <p className="hint" id={`${id}-hint`}>
              {hint}
            </p>
            <InlineError id={`${id}-error`} message={message} />
            {(field.options ?? []).map((option, i) => (
              <div key={option.value} className="checkbox">
                <input
                  type="radio"
                  id={i === 0 ? id : `${id}-${option.value}`}
                  name={id}
                  value={option.value}
                  checked={values[field.name] === option.value}
                  onChange={() => set(field.name, option.value)}
                />{' '}
                <label htmlFor={i === 0 ? id : `${id}-${option.value}`}>{option.label}</label>
              </div>
            ))}
          </fieldset>
        </div>
      );
    }
    return (
      <div key={field.name} className={`field${message ? ' field--error' : ''}`}>
        <label htmlFor={id}>
          {field.label}
          {optional}
        </label>
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
        <InlineError id={`${id}-error`} message={message} />
        {control(field, describedBy, message)}
      </div>
    );
  };

  return (
    <form onSubmit={submit} noValidate autoComplete="off" className="form panel" aria-labelledby={headingId} data-testid="channel-connect-form">
      <h2 id={headingId} tabIndex={-1}>
        {reconnecting ? `Connect ${reconnecting.label} again` : 'Connect a channel account'}
      </h2>
      <ErrorSummary error={error} fieldIds={fieldIds} />
      {reconnecting ? (
        <p>
          Channel: <strong>{kind?.label ?? channel}</strong>. Its settings are filled in as the account holds them, but for its credentials: type them
          again. What you give replaces this account’s settings and credentials, and the old credentials stop working at once.
        </p>
      ) : (
        <div className={`field${channelError ? ' field--error' : ''}`}>
          <fieldset aria-describedby={channelError ? `${CHANNEL_ID}-error` : undefined}>
            <legend>Channel</legend>
            <InlineError id={`${CHANNEL_ID}-error`} message={channelError} />
            {kinds.map((k, i) => (
              <div key={k.channel} className="checkbox">
                <input type="radio" id={i === 0 ? CHANNEL_ID : `${CHANNEL_ID}-${k.channel}`} name={CHANNEL_ID} value={k.channel} checked={channel === k.channel} onChange={() => choose(k.channel)} />{' '}
                <label htmlFor={i === 0 ? CHANNEL_ID : `${CHANNEL_ID}-${k.channel}`}>{k.label}</label>
              </div>
            ))}
          </fieldset>
        </div>
      )}
      <div className={`field${labelError ? ' field--error' : ''}`}>
        <label htmlFor={LABEL_ID}>Name</label>
        <p className="hint" id={`${LABEL_ID}-hint`}>
          What staff see the account as, such as Force text line.
        </p>
        <InlineError id={`${LABEL_ID}-error`} message={labelError} />
        <input
          id={LABEL_ID}
          type="text"
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          aria-describedby={labelError ? `${LABEL_ID}-hint ${LABEL_ID}-error` : `${LABEL_ID}-hint`}
          aria-invalid={labelError ? true : undefined}
        />
      </div>
      {identifying && (
        <p data-testid="connect-identifies">
          {!reconnecting
            ? `The account is known by its ${identifying.label}: connecting again with the same one replaces its settings and credentials.`
            : identifying.kind === 'secret'
              ? `Type the new ${identifying.label}: it replaces the old one, which stops working at once, so give the provider the new one at the same time.`
              : `The account is known by its ${identifying.label}, which stays as it is. To connect another, connect a new account.`}
        </p>
      )}
      {fields.map(setting)}
      <p>Credentials are kept sealed. Nobody, you included, can see them here again.</p>
      <div className="actions">
        <button type="submit" className="button" aria-disabled={connect.isPending} data-testid="channel-connect-submit">
          {reconnecting ? 'Connect it again' : 'Connect the account'}
        </button>{' '}
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
