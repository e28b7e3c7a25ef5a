import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { toUiError } from '../../api/errors.ts';
import type { ChannelAccount } from '../../api/types.ts';
import { ErrorSummary, InlineError, Loading, PageHeading, StatusMessage, fieldMessage, focusById } from '../../components.tsx';
import { channelLabel } from '../../format.ts';
import { channelAccountsQuery, channelKindsQuery, useUpdateChannelAccount } from './admin-api.ts';
import { AdminNav } from './AdminNav.tsx';
import { ChannelConnectForm, type Reconnecting } from './ChannelConnectForm.tsx';

/**
 * The force's channel accounts: connect one, connect one again with new credentials, rename,
 * disable and enable. Credentials go to the server and are never sent back to the console.
 */
export function ChannelsAdminScreen() {
  const accounts = useQuery(channelAccountsQuery);
  const kinds = useQuery(channelKindsQuery);
  const update = useUpdateChannelAccount();
  const [notice, setNotice] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  // What the connect form is open for: a new account, one account connected again, or nothing.
  const [connecting, setConnecting] = useState<Reconnecting | 'new' | null>(null);
  const list = accounts.data;

  function openConnect(which: Reconnecting | 'new') {
    setConnecting(which);
    setRenaming(null);
    setNotice(null);
    window.setTimeout(() => focusById('h-channel-connect'), 0);
  }

  function connected(account: ChannelAccount) {
    const previous = connecting !== 'new' ? connecting : null;
    setConnecting(null);
    const standIn = account.isDemoStandIn ? ' It still holds the demo’s published credentials, so nothing is sent through it.' : '';
    if (!previous) setNotice(`${account.label} is connected.${standIn}`);
    else if (previous.accountId === account.id) setNotice(`${account.label} is connected again with the settings you gave.${standIn}`);
    else setNotice(`${account.label} is connected as another account. ${previous.label} is unchanged: disable it if it is no longer used.${standIn}`);
    focusById('channels-notice');
  }

  function toggle(account: ChannelAccount) {
    if (update.isPending) return;
    if (account.isEnabled && !window.confirm(`Disable ${account.label}? Messages sent to it are refused until it is enabled again.`)) return;
    update.mutate(
      { accountId: account.id, isEnabled: !account.isEnabled },
      {
        onSuccess: (changed) => {
          setNotice(`${changed.label} is ${changed.isEnabled ? 'enabled' : 'disabled'}.`);
          focusById('channels-notice');
        },
      },
    );
  }

  const account = list?.find((a) => a.id === renaming);
  return (
    <>
      <PageHeading title="Channel accounts">Channel accounts</PageHeading>
      <AdminNav current="channels" />
      <p>Credentials are kept sealed and are never shown here. To change an account’s credentials, connect it again.</p>
      {list?.some((a) => a.isDemoStandIn) && (
        <p data-testid="demo-stand-in-note">
          Accounts marked <strong>demo stand-in</strong> still hold the demo’s published credentials: nothing is sent through them. Replies on them show as not sent, and
          victims’ texts wait in the outbox until you connect the force’s own account (or connect this one again with its real credentials).
        </p>
      )}
      <StatusMessage message={notice} id="channels-notice" />
      <ErrorSummary error={toUiError(update.error)} />
      <ErrorSummary error={toUiError(accounts.error)} focus={false} />
      <ErrorSummary error={toUiError(kinds.error)} focus={false} />
      {!list && accounts.isPending && <Loading what="channel accounts" />}
      {kinds.data && connecting !== null && (
        <ChannelConnectForm
          key={connecting === 'new' ? 'new' : connecting.accountId}
          kinds={kinds.data}
          reconnecting={connecting === 'new' ? null : connecting}
          onDone={connected}
          onCancel={() => setConnecting(null)}
        />
      )}
      {kinds.data && connecting === null && (
        <p>
          <button type="button" className="button" onClick={() => openConnect('new')} data-testid="channel-connect">
            Connect a channel account
          </button>
        </p>
      )}
      {list && list.length === 0 && <p className="empty">No channel accounts are connected.</p>}
      {list && list.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="channels-table">
            <caption className="visually-hidden">Connected channel accounts, whether each is enabled, and actions</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Channel</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((a) => (
                <tr key={a.id} data-testid="channel-row" data-enabled={String(a.isEnabled)}>
                  <th scope="row">{a.label}</th>
                  <td>{channelLabel(a.channel)}</td>
                  <td>
                    {a.isEnabled ? <span className="status status--done">Enabled</span> : <span className="status status--dead">Disabled</span>}
                    {a.isDemoStandIn && (
                      <>
                        {' '}
                        <span className="status status--held" data-testid="demo-stand-in">
                          Demo stand-in
                        </span>
                      </>
                    )}
                  </td>
                  <td>
                    <span className="actions">
                      <button
                        type="button"
                        className="button button--small button--secondary"
                        onClick={() => {
                          setRenaming(a.id);
                          setConnecting(null);
                          window.setTimeout(() => focusById('channel-label'), 0);
                        }}
                      >
                        Rename<span className="visually-hidden"> {a.label}</span>
                      </button>{' '}
                      <button
                        type="button"
                        className="button button--small button--secondary"
                        data-testid="channel-reconnect"
                        onClick={() => openConnect({ accountId: a.id, channel: a.channel, label: a.label })}
                      >
                        Connect again<span className="visually-hidden"> {a.label}</span>
                      </button>{' '}
                      <button
                        type="button"
                        className={`button button--small${a.isEnabled ? ' button--warning' : ''}`}
                        data-testid="channel-toggle"
                        aria-disabled={update.isPending}
                        onClick={() => toggle(a)}
                      >
                        {a.isEnabled ? 'Disable' : 'Enable'}
                        <span className="visually-hidden"> {a.label}</span>
                      </button>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {account && (
        <RenameForm
          key={account.id}
          account={account}
          onDone={(label) => {
            setRenaming(null);
            setNotice(`Renamed to ${label}.`);
            focusById('channels-notice');
          }}
        />
      )}
    </>
  );
}

function RenameForm({ account, onDone }: { account: ChannelAccount; onDone: (label: string) => void }) {
  const update = useUpdateChannelAccount();
  const [label, setLabel] = useState(account.label);
  const error = toUiError(update.error);
  const labelError = fieldMessage(error, 'label');
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (update.isPending) return;
    update.mutate({ accountId: account.id, label }, { onSuccess: (changed) => onDone(changed.label) });
  }
  return (
    <form onSubmit={submit} noValidate className="form panel" aria-label={`Rename ${account.label}`}>
      <ErrorSummary error={error} fieldIds={{ label: 'channel-label' }} />
      <div className={`field${labelError ? ' field--error' : ''}`}>
        <label htmlFor="channel-label">New name for {account.label}</label>
        <InlineError id="channel-label-error" message={labelError} />
        <input id="channel-label" type="text" value={label} onChange={(e) => setLabel(e.target.value)} aria-invalid={labelError ? true : undefined} />
      </div>
      <button type="submit" className="button" aria-disabled={update.isPending}>
        Save name
      </button>
    </form>
  );
}
