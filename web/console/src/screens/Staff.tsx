import { useState } from 'react';
import { deactivateStaff, listStaffAccounts, reactivateStaff, resetStaffPassword, toUiError, type UiError } from '../api';
import { ErrorSummary, Loading, PageHeading, StatusMessage, focusById } from '../components';
import { formatDateTime, humanize } from '../format';
import { useResource } from '../hooks';
import type { StaffAccount } from '../types';

type Issued = { name: string; email: string; oneTimePassword: string };

/**
 * The force admin's list of staff: reset a password (the new one-time password is shown here once),
 * deactivate and reactivate. An admin's own row has no actions.
 */
export function StaffScreen({ currentUserId }: { currentUserId: string }) {
  const staff = useResource((signal) => listStaffAccounts(signal), []);
  const [notice, setNotice] = useState<string | null>(null);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function act(person: StaffAccount, action: 'reset' | 'deactivate' | 'reactivate') {
    if (busy) return;
    const question = {
      reset: `Reset the password of ${person.name}? They are signed out at once and must choose a new password at their next sign-in.`,
      deactivate: `Deactivate ${person.name}? They are signed out at once, cannot sign in, and their open contacts go back to the queue.`,
      reactivate: null,
    }[action];
    if (question && !window.confirm(question)) return;
    setBusy(person.id);
    setError(null);
    setIssued(null);
    setNotice(null);
    try {
      if (action === 'reset') {
        const result = await resetStaffPassword(person.id);
        setIssued({ name: person.name, email: person.email, oneTimePassword: result.oneTimePassword });
        focusById('staff-issued');
      } else if (action === 'deactivate') {
        const result = await deactivateStaff(person.id);
        const returned = result.returnedContacts === 1 ? '1 contact went' : `${result.returnedContacts} contacts went`;
        setNotice(`${person.name} is deactivated and signed out. ${returned} back to the queue.`);
        focusById('staff-notice');
      } else {
        await reactivateStaff(person.id);
        setNotice(`${person.name} can sign in again.`);
        focusById('staff-notice');
      }
      staff.reload();
    } catch (err) {
      setError(toUiError(err));
    } finally {
      setBusy(null);
    }
  }

  const list = staff.data;
  return (
    <>
      <div className="page-header">
        <PageHeading title="Staff">Staff</PageHeading>
        <button type="button" className="button button--secondary" onClick={staff.reload}>
          Refresh
        </button>
      </div>
      <p>
        To add someone, run <code>bluelamp staff create</code> on the server; they choose their own password at first sign-in.
      </p>
      <StatusMessage message={notice} id="staff-notice" />
      {issued && (
        <div className="result result--ok" id="staff-issued" tabIndex={-1} role="status" data-testid="staff-one-time-password">
          <h2>New one-time password for {issued.name}</h2>
          <p>
            Give it to {issued.name} ({issued.email}) in person or by phone. It is shown only now; they must change it when they
            sign in.
          </p>
          <p className="mono">
            <strong>{issued.oneTimePassword}</strong>
          </p>
        </div>
      )}
      <ErrorSummary error={error} />
      <ErrorSummary error={staff.error} focus={false} />
      {!list && staff.loading && <Loading what="staff" />}
      {list && (
        <div className="table-wrap">
          <table className="table" data-testid="staff-table">
            <caption className="visually-hidden">Staff of this force, whether they can sign in, and actions</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Password changed</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((person) => (
                <tr key={person.id} data-testid="staff-row" data-staff-id={person.id} data-active={String(person.isActive)}>
                  <td>{person.name}</td>
                  <td className="break">{person.email}</td>
                  <td>{humanize(person.role)}</td>
                  <td>
                    {person.isActive ? (
                      <span className="status status--done">{person.mustChangePassword ? 'Active, must change password' : 'Active'}</span>
                    ) : (
                      <span className="status status--dead">
                        Deactivated{person.deactivatedAt ? ` ${formatDateTime(person.deactivatedAt)}` : ''}
                      </span>
                    )}
                  </td>
                  <td>{person.passwordChangedAt ? <time dateTime={person.passwordChangedAt}>{formatDateTime(person.passwordChangedAt)}</time> : <span className="muted">Never</span>}</td>
                  <td>
                    {person.id === currentUserId ? (
                      <span className="muted">You</span>
                    ) : (
                      <span className="actions">
                        {person.isActive && (
                          <button type="button" className="button button--small button--secondary" onClick={() => void act(person, 'reset')} aria-disabled={busy !== null}>
                            Reset password<span className="visually-hidden"> of {person.name}</span>
                          </button>
                        )}{' '}
                        {person.isActive ? (
                          <button type="button" className="button button--small button--warning" onClick={() => void act(person, 'deactivate')} aria-disabled={busy !== null}>
                            Deactivate<span className="visually-hidden"> {person.name}</span>
                          </button>
                        ) : (
                          <button type="button" className="button button--small" onClick={() => void act(person, 'reactivate')} aria-disabled={busy !== null}>
                            Reactivate<span className="visually-hidden"> {person.name}</span>
                          </button>
                        )}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
