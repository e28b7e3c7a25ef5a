import { useEffect, useState, type FormEvent } from 'react';
import { invalidFields, toUiError, type FieldError, type UiError } from '../api/errors.ts';
import { useSignIn } from '../api/session-mutations.ts';
import { ErrorSummary, InlineError, fieldMessage } from '../components.tsx';

const FIELD_IDS = { email: 'login-email', password: 'login-password' };

/** Signing in: the session it gives becomes the console's (session-mutations.ts). */
export function LoginScreen({ notice }: { notice: string | null }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const signIn = useSignIn();
  const error = invalid ?? toUiError(signIn.error);
  const busy = signIn.isPending || signIn.isSuccess;

  useEffect(() => {
    document.title = 'Sign in – Bluelamp staff console';
  }, []);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const fields: FieldError[] = [];
    if (!email.trim()) fields.push({ path: 'email', message: 'Enter your email address' });
    if (!password) fields.push({ path: 'password', message: 'Enter your password' });
    setInvalid(fields.length > 0 ? invalidFields(fields) : null);
    if (fields.length > 0) return;
    signIn.mutate({ email: email.trim(), password }, { onSuccess: () => setPassword('') });
  }

  const emailError = fieldMessage(error, 'email');
  const passwordError = fieldMessage(error, 'password');

  return (
    <main id="main-content" className="login" tabIndex={-1}>
      <div className="login__panel">
        <p className="brand brand--login">
          Bluelamp <span className="brand__sub">Staff console</span>
        </p>
        <h1 className="page-heading">Sign in</h1>
        {notice && !error && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <ErrorSummary error={error} fieldIds={FIELD_IDS} />
        <form onSubmit={submit} noValidate>
          <div className={`field${emailError ? ' field--error' : ''}`}>
            <label htmlFor={FIELD_IDS.email}>Email address</label>
            <InlineError id="login-email-error" message={emailError} />
            <input
              id={FIELD_IDS.email}
              name="email"
              type="email"
              autoComplete="username"
              spellCheck={false}
              autoFocus
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={emailError ? true : undefined}
              aria-describedby={emailError ? 'login-email-error' : undefined}
            />
          </div>
          <div className={`field${passwordError ? ' field--error' : ''}`}>
            <label htmlFor={FIELD_IDS.password}>Password</label>
            <InlineError id="login-password-error" message={passwordError} />
            <input
              id={FIELD_IDS.password}
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={passwordError ? true : undefined}
              aria-describedby={passwordError ? 'login-password-error' : undefined}
            />
          </div>
          <button type="submit" className="button" aria-disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
