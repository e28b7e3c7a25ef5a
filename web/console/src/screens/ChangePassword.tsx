import { useEffect, useState, type FormEvent } from 'react';
import { changePassword, toUiError, type FieldError, type UiError } from '../api';
import { ErrorSummary, InlineError, PageHeading, StatusMessage, fieldMessage } from '../components';

const FIELD_IDS = {
  'body.currentPassword': 'password-current',
  'body.newPassword': 'password-new',
  confirm: 'password-confirm',
};

/** The same minimum the server applies; the server's refusal is what counts. */
const MIN_LENGTH = 12;

interface ChangePasswordFormProps {
  /** What the current password is called: the one-time one, or simply the current one. */
  isOneTime: boolean;
  onChanged: () => void;
}

function ChangePasswordForm({ isOneTime, onChanged }: ChangePasswordFormProps) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<UiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const fields: FieldError[] = [];
    if (!current) fields.push({ path: 'body.currentPassword', message: isOneTime ? 'Enter your one-time password' : 'Enter your current password' });
    if (!next) fields.push({ path: 'body.newPassword', message: 'Enter a new password' });
    else if (next !== confirm) fields.push({ path: 'confirm', message: 'The two new passwords do not match' });
    if (fields.length > 0) {
      setError({ message: '', fields });
      return;
    }
    setBusy(true);
    try {
      await changePassword(current, next);
      setCurrent('');
      setNext('');
      setConfirm('');
      setError(null);
      onChanged();
    } catch (err) {
      setError(toUiError(err));
    } finally {
      setBusy(false);
    }
  }

  // The server explains each refusal by field ("must be at least 12 characters long"); say whose.
  const friendly = (field: FieldError): FieldError => {
    if (field.path === 'body.currentPassword' && field.message === 'is not your current password') {
      return { ...field, message: `The ${isOneTime ? 'one-time' : 'current'} password is wrong` };
    }
    if (field.path === 'body.newPassword' && !field.message.startsWith('Enter')) return { ...field, message: `Your new password ${field.message}` };
    return field;
  };
  const summary: UiError | null = error ? { message: error.fields.length > 0 ? '' : error.message, fields: error.fields.map(friendly) } : null;
  const currentMessage = fieldMessage(summary, 'body.currentPassword');
  const newError = fieldMessage(summary, 'body.newPassword');
  const confirmError = fieldMessage(summary, 'confirm');

  return (
    <>
      <ErrorSummary error={summary} fieldIds={FIELD_IDS} />
      <form onSubmit={submit} noValidate data-testid="change-password-form">
        <div className={`field${currentMessage ? ' field--error' : ''}`}>
          <label htmlFor={FIELD_IDS['body.currentPassword']}>{isOneTime ? 'One-time password' : 'Current password'}</label>
          <InlineError id="password-current-error" message={currentMessage} />
          <input
            id={FIELD_IDS['body.currentPassword']}
            name="current-password"
            type="password"
            autoComplete="current-password"
            autoFocus
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            aria-invalid={currentMessage ? true : undefined}
            aria-describedby={currentMessage ? 'password-current-error' : undefined}
          />
        </div>
        <div className={`field${newError ? ' field--error' : ''}`}>
          <label htmlFor={FIELD_IDS['body.newPassword']}>New password</label>
          <p className="hint" id="password-new-hint">
            At least {MIN_LENGTH} characters. Not your email address or a common password. Three random words work well.
          </p>
          <InlineError id="password-new-error" message={newError} />
          <input
            id={FIELD_IDS['body.newPassword']}
            name="new-password"
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            aria-invalid={newError ? true : undefined}
            aria-describedby={newError ? 'password-new-hint password-new-error' : 'password-new-hint'}
          />
        </div>
        <div className={`field${confirmError ? ' field--error' : ''}`}>
          <label htmlFor={FIELD_IDS.confirm}>Confirm new password</label>
          <InlineError id="password-confirm-error" message={confirmError} />
          <input
            id={FIELD_IDS.confirm}
            name="confirm-password"
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            aria-invalid={confirmError ? true : undefined}
            aria-describedby={confirmError ? 'password-confirm-error' : undefined}
          />
        </div>
        <button type="submit" className="button" aria-disabled={busy}>
          {busy ? 'Changing password…' : 'Change password'}
        </button>
      </form>
    </>
  );
}

/**
 * Shown instead of the console after signing in with a one-time password: until it is changed the
 * server refuses everything else, so there is nothing else to show.
 */
export function ForcedPasswordChangeScreen({ name, onChanged, onSignOut }: { name: string; onChanged: () => void; onSignOut: () => void }) {
  useEffect(() => {
    document.title = 'Change your password – Bluelamp staff console';
  }, []);
  return (
    <main id="main-content" className="login" tabIndex={-1}>
      <div className="login__panel">
        <p className="brand brand--login">
          Bluelamp <span className="brand__sub">Staff console</span>
        </p>
        <h1 className="page-heading">Change your password</h1>
        <p>
          {name}, you signed in with a one-time password. Choose your own password before you continue; nobody else will know
          it.
        </p>
        <ChangePasswordForm isOneTime onChanged={onChanged} />
        <p>
          <button type="button" className="button button--secondary" onClick={onSignOut}>
            Sign out
          </button>
        </p>
      </div>
    </main>
  );
}

/** Changing one's password at any time (#/account/password). */
export function ChangePasswordScreen() {
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <>
      <PageHeading title="Change your password">Change your password</PageHeading>
      <p>Your other signed-in sessions end when you change it; this one stays signed in.</p>
      <StatusMessage message={notice} id="password-notice" />
      <ChangePasswordForm isOneTime={false} onChanged={() => setNotice('Your password has been changed.')} />
    </>
  );
}
