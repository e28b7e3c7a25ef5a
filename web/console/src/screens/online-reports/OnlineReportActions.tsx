import { useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { toUiError } from '../../api/errors.ts';
import { ErrorSummary } from '../../components.tsx';
import { crimeTypesQuery, useClassifyOnlineReport, useProcessOnlineReport, type OnlineReport } from './online-reports-api.ts';

/** Process (confirm the draft) and then classify (choose the crime type, the suggestion first). */
export function OnlineReportActions({ report }: { report: OnlineReport }) {
  const process = useProcessOnlineReport();
  const classify = useClassifyOnlineReport();
  const crimeTypes = useQuery(crimeTypesQuery);
  const [crimeType, setCrimeType] = useState(report.crimeType ?? report.suggestedCrimeType ?? '');
  const selectId = useId();
  const error = toUiError(process.error ?? classify.error);
  if (report.stage === 'drafted') {
    return (
      <>
        <ErrorSummary error={error} focus={false} />
        <button type="button" className="button" disabled={process.isPending} onClick={() => process.mutate({ contactId: report.contactId })}>
          Process {report.contactReference}
        </button>
      </>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (crimeType) classify.mutate({ contactId: report.contactId, crimeType });
      }}
    >
      <ErrorSummary error={error} focus={false} />
      <label htmlFor={selectId}>Crime type for {report.contactReference}</label>
      <select id={selectId} value={crimeType} onChange={(e) => setCrimeType(e.target.value)}>
        <option value="">Choose…</option>
        {(crimeTypes.data ?? []).map((t) => (
          <option key={t.code} value={t.code}>
            {t.label}
            {t.code === report.suggestedCrimeType ? ' (suggested)' : ''}
          </option>
        ))}
      </select>{' '}
      <button type="submit" className="button" disabled={classify.isPending || !crimeType}>
        {report.stage === 'classified' ? 'Reclassify' : 'Classify'}
      </button>
    </form>
  );
}
