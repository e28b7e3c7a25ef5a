import { useState } from 'react';
import { toUiError, verifyAudit, type UiError } from '../api';
import { ErrorSummary, PageHeading } from '../components';
import type { AuditVerifyResult } from '../types';

export function AuditScreen() {
  const [result, setResult] = useState<AuditVerifyResult | null>(null);
  const [checkedAt, setCheckedAt] = useState<Date | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function verify() {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await verifyAudit());
      setCheckedAt(new Date());
    } catch (err) {
      setResult(null);
      setError(toUiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeading title="Audit log">Audit log</PageHeading>
      <p>Check that the tamper-evident audit chain is intact. Every entry is re-hashed and compared with the next.</p>
      <ErrorSummary error={error} />
      <button type="button" className="button" data-testid="audit-verify" onClick={() => void verify()} aria-disabled={busy}>
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
