import { useQuery } from '@tanstack/react-query';
import { toUiError } from '../api/errors.ts';
import { auditVerifyQuery } from '../api/queries.ts';
import { ErrorSummary, PageHeading } from '../components.tsx';

export function AuditScreen() {
  // Verifying re-hashes the whole chain, so it runs only when asked.
  const audit = useQuery(auditVerifyQuery);
  const busy = audit.isFetching;
  const result = audit.isError ? null : (audit.data ?? null);
  const checkedAt = result ? new Date(audit.dataUpdatedAt) : null;

  function verify() {
    if (!busy) void audit.refetch();
  }

  return (
    <>
      <PageHeading title="Audit log">Audit log</PageHeading>
      <p>Check that the tamper-evident audit chain is intact. Every entry is re-hashed and compared with the next.</p>
      <ErrorSummary error={toUiError(audit.error)} />
      <button type="button" className="button" data-testid="audit-verify" onClick={verify} aria-disabled={busy}>
        {busy ? 'Verifying…' : 'Verify audit chain'}
      </button>
      <div role="status" aria-live="polite" data-testid="audit-result">
        {result && (
          <div className={`result ${result.ok ? 'result--ok' : 'result--bad'}`} data-ok={String(result.ok)}>
            <h2>{result.ok ? 'Audit chain intact' : 'Audit chain broken'}</h2>
            <p>
              {result.checked} {result.checked === 1 ? 'entry' : 'entries'} checked
              {checkedAt && ` at ${checkedAt.toLocaleTimeString('en-GB')}`}.
            </p>
            {result.firstBroken && (
              <p>
                First broken entry: sequence <strong>{result.firstBroken.seq}</strong> — {result.firstBroken.reason}
              </p>
            )}
          </div>
        )}
      </div>
    </>
  );
}
