import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { isChangedSinceRead, toUiError, type UiError } from '../../api/errors.ts';
import type { ChannelAccount } from '../../api/types.ts';
import { ChangedElsewhereNotice, useChangedElsewhere } from '../../changed-elsewhere.tsx';
import { rebaseChange } from '../../changed-since-opened.ts';
import { AsItIsNow, ErrorSummary, InlineError, Loading, PageHeading, StatusMessage, fieldMessage, focusById } from '../../components.tsx';
import { channelLabel } from '../../format.ts';
import { channelAccountsQuery, channelKindsQuery, useUpdateChannelAccount } from './admin-api.ts';
import { AdminNav } from './AdminNav.tsx';
import { MailboxHealthNote } from './MailboxHealth.tsx';
import { ChannelConnectForm, type Reconnecting } from './ChannelConnectForm.tsx';
import { ListRefreshedStatus, useListFollowsChanges } from '../../list-follows-changes.tsx';

/**
 * The force's channel accounts: connect one, connect one again with new credentials, rename,
 * disable and enable. Credentials go to the server and are never sent back to the console.
 */
export function ChannelsAdminScreen() {
  const accounts = useQuery(channelAccountsQuery);
  const kinds = useQuery(channelKindsQuery);
  // Accounts connected, renamed or switched by another admin show in the list at once; a rename form open below keeps what it holds.
  const refreshed = useListFollowsChanges({ records: ['channel_account'], queries: [channelAccountsQuery.queryKey], what: 'The channel accounts' });
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
      // From the version the list shows: a change made since (a rename, connecting it again) refuses it, and the list is read again.
      { accountId: account.id, isEnabled: !account.isEnabled, version: account.version },
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
      <p>Credentials are kept sealed and are never shown here. To change an account’s credentials, connect it again: that also turns it on if it was off.</p>
      <p data-testid="first-connected-note">
        If the force has several enabled accounts of one kind, victims’ texts go by the GOV.UK Notify service (or Twilio number) connected first, and the portal’s chat page opens
        the chat connected first. Renaming another account does not change that. To use another one, turn the first one off.
      </p>
      {list?.some((a) => a.isDemoStandIn) && (
        <p data-testid="demo-stand-in-note">
          Accounts marked <strong>demo stand-in</strong> still hold the demo’s published credentials: nothing is sent through them. Replies on them show as not sent, and
          victims’ texts wait in the outbox until you connect the force’s own account (or connect this one again with its real credentials).
        </p>
      )}
      <StatusMessage message={notice} id="channels-notice" />
      <ListRefreshedStatus refreshed={refreshed} testId="channels-refreshed" />
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
                    {a.channel === 'email' && a.isEnabled && <MailboxHealthNote accountId={a.id} label={a.label} />}
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

/**
 * Renames one account from the version it was opened at. If someone renamed, switched or connected
 * it again meanwhile, the form says so (as it happens, or when the save is refused), shows the
 * account as it is now, keeps the name typed here if one was, and saves only when saved again.
 */
function RenameForm({ account, onDone }: { account: ChannelAccount; onDone: (label: string) => void }) {
  const update = useUpdateChannelAccount();
  const queryClient = useQueryClient();
  // The account as the change is made from: as opened, then as it was when a refusal was shown.
  const [opened, setOpened] = useState(account);
  const [conflict, setConflict] = useState<{ error: UiError; current: ChannelAccount | null } | null>(null);
  const [label, setLabel] = useState(account.label);
  const error = conflict?.error ?? (isChangedSinceRead(update.error) ? null : toUiError(update.error));
  const labelError = fieldMessage(error, 'label');
  const changedElsewhere = useChangedElsewhere({
    record: 'channel_account',
    id: account.id,
    version: opened.version,
    isSaving: update.isPending,
    readVersion: async () => (await readCurrent())?.version ?? null,
  });

  /** The account as it is now, read again (null: gone, or not readable). */
  async function readCurrent() {
    const fresh = await queryClient.fetchQuery({ ...channelAccountsQuery, staleTime: 0 }).catch(() => null);
    return fresh?.find((a) => a.id === account.id) ?? null;
  }

  /** Someone else changed the account: show it as it is now, keeping the name typed here if it was changed. */
  async function showConflict(from: ChannelAccount, wanted: string, message: string) {
    const current = await readCurrent();
    update.reset();
    if (!current) {
      setConflict({ error: { message, fields: [] }, current: null });
      return;
    }
    const { form, clashes } = rebaseChange(['label'], { label: from.label }, { label: wanted }, { label: current.label });
    setLabel(form.label);
    setOpened(current);
    setConflict({ error: { message, fields: clashes.map(() => ({ path: 'label', message: `The name is now “${current.label}”; the form keeps yours, “${wanted}”. Save again to put yours over it, or change it.` })) }, current });
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (update.isPending) return;
    setConflict(null);
    const from = opened;
    const wanted = label;
    update.mutate(
      { accountId: account.id, label: wanted, version: from.version },
      {
        onSuccess: (changed) => onDone(changed.label),
        onError: (refusal) => {
          if (isChangedSinceRead(refusal)) void showConflict(from, wanted, refusal.message);
        },
      },
    );
  }
  return (
    <form onSubmit={submit} noValidate className="form panel" aria-label={`Rename ${account.label}`} data-testid="channel-rename">
      <ErrorSummary error={error} fieldIds={{ label: 'channel-label' }} />
      <ChangedElsewhereNotice changed={changedElsewhere} what="This channel account" onShowNow={(sentence) => void showConflict(opened, label, sentence)} />
      {conflict?.current && (
        <AsItIsNow
          heading="The account as it is now"
          facts={[
            { term: 'Name', value: conflict.current.label },
            { term: 'Status', value: conflict.current.isEnabled ? 'Enabled' : 'Disabled' },
          ]}
          testId="channel-now"
        />
      )}
      <div className={`field${labelError ? ' field--error' : ''}`}>
        <label htmlFor="channel-label">New name for {account.label}</label>
        <InlineError id="channel-label-error" message={labelError} />
        <input id="channel-label" type="text" value={label} onChange={(e) => setLabel(e.target.value)} aria-invalid={labelError ? true : undefined} aria-describedby={labelError ? 'channel-label-error' : undefined} />
      </div>
      <button type="submit" className="button" aria-disabled={update.isPending} data-testid="channel-rename-save">
        {conflict ? 'Save my change again' : 'Save name'}
      </button>
    </form>
  );
}
