import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { invalidFields, toUiError, type FieldError, type UiError } from '../api/errors.ts';
import { useChangePassword } from '../api/session-mutations.ts';
import { ErrorSummary, InlineError, PageHeading, StatusMessage, fieldMessage } from '../components.tsx';

const FIELD_IDS = {
  currentPassword: 'password-current',
  newPassword: 'password-new',
  confirm: 'password-confirm',
};

/** The same minimum the server applies; the server's refusal is what counts. */
const MIN_LENGTH = 12;

interface ChangePasswordFormProps {
  /** What the current password is called: the one-time one, or simply the current one. */
  isOneTime: boolean;
  onChanged?: () => void;
}

function ChangePasswordForm({ isOneTime, onChanged }: ChangePasswordFormProps) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const change = useChangePassword();
  const busy = change.isPending;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const fields: FieldError[] = [];
    if (!current) fields.push({ path: 'currentPassword', message: isOneTime ? 'Enter your one-time password' : 'Enter your current password' });
    if (!next) fields.push({ path: 'newPassword', message: 'Enter a new password' });
    else if (next !== confirm) fields.push({ path: 'confirm', message: 'The two new passwords do not match' });
    setInvalid(fields.length > 0 ? invalidFields(fields) : null);
    if (fields.length > 0) return;
    change.mutate(
      { currentPassword: current, newPassword: next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
          setConfirm('');
          onChanged?.();
        },
      },
    );
  }

  // The server's one check on the current password, beyond its being given, is that it is right.
  const refused = toUiError(change.error);
  const summary = useMemo<UiError | null>(() => {
    if (invalid || !refused) return invalid;
    const wrongCurrent = `The ${isOneTime ? 'one-time' : 'current'} password is wrong`;
    const fields = refused.fields.map((field) => (field.path === 'currentPassword' ? { ...field, message: wrongCurrent } : field));
    return { message: fields.length > 0 ? '' : refused.message, fields };
  }, [invalid, refused, isOneTime]);
  const currentMessage = fieldMessage(summary, 'currentPassword');
  const newError = fieldMessage(summary, 'newPassword');
  const confirmError = fieldMessage(summary, 'confirm');

  return (
    <>
      <ErrorSummary error={summary} fieldIds={FIELD_IDS} />
      <form onSubmit={submit} noValidate data-testid="change-password-form">
        <div className={`field${currentMessage ? ' field--error' : ''}`}>
          <label htmlFor={FIELD_IDS.currentPassword}>{isOneTime ? 'One-time password' : 'Current password'}</label>
          <InlineError id="password-current-error" message={currentMessage} />
          <input
            id={FIELD_IDS.currentPassword}
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
          <label htmlFor={FIELD_IDS.newPassword}>New password</label>
          <p className="hint" id="password-new-hint">
            At least {MIN_LENGTH} characters. Not your email address or a common password. Three random words work well.
          </p>
          <InlineError id="password-new-error" message={newError} />
          <input
            id={FIELD_IDS.newPassword}
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
export function ForcedPasswordChangeScreen({ name, onSignOut }: { name: string; onSignOut: () => void }) {
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
        {/* Once changed, the session no longer asks for it and the console opens (session-mutations.ts). */}
        <ChangePasswordForm isOneTime />
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
