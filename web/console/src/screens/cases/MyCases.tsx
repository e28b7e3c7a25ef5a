import { useRef, type KeyboardEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { caseCataloguesQuery, caseListQuery, type CaseSummary, type CaseWhich } from '../../api/cases.ts';
import { toUiError } from '../../api/errors.ts';
import { ErrorSummary, Loading, PageHeading } from '../../components.tsx';
import { formatDateTime } from '../../format.ts';
import { caseHref } from './case-routes.ts';
import { CASE_STATUS_LABELS, SUSPECT_LABELS } from './case-text.ts';

const TITLES: Readonly<Record<CaseWhich, string>> = { mine: 'My cases', open: 'Open cases', all: 'All cases' };

/** The sub-navigation shared by the investigator's screens. */
export function CasesNav({ current, canRecord }: { current: CaseWhich | 'new' | null; canRecord: boolean }) {
  const links = [
    { key: 'mine', href: caseHref({ name: 'list', which: 'mine' }), label: 'My cases' },
    { key: 'open', href: caseHref({ name: 'list', which: 'open' }), label: 'Open cases' },
    { key: 'all', href: caseHref({ name: 'list', which: 'all' }), label: 'All cases' },
    { key: 'new', href: caseHref({ name: 'newCase' }), label: 'Record a case' },
  ] as const;
  return (
    <nav aria-label="Cases" className="cases-nav">
      {links
        .filter((link) => canRecord || link.key !== 'new')
        .map((link) => (
          <a key={link.key} href={link.href} aria-current={current === link.key ? 'page' : undefined}>
            {link.label}
          </a>
        ))}
    </nav>
  );
}

/** The crime type's label from the force's list (its code when the list has not loaded or lost it). */
export function useCrimeTypeLabel(): (code: string | null) => string {
  const catalogues = useQuery(caseCataloguesQuery);
  return (code) => {
    if (!code) return 'Not classified';
    return catalogues.data?.crimeTypes.find((t) => t.code === code)?.label ?? code;
  };
}

function suspectText(item: Pick<CaseSummary, 'suspect' | 'charged'>): string {
  return item.charged ? `${SUSPECT_LABELS[item.suspect]}; charged` : SUSPECT_LABELS[item.suspect];
}

/**
 * Up and down arrows (and Home, End) move between the cases' links, so a list is worked without
 * tabbing through every cell; Enter opens the case, as on any link.
 */
function moveBetweenRows(event: KeyboardEvent<HTMLTableSectionElement>, body: HTMLTableSectionElement | null) {
  if (!body || event.altKey || event.ctrlKey || event.metaKey) return;
  const links = Array.from(body.querySelectorAll<HTMLAnchorElement>('a[data-case-link]'));
  const at = links.findIndex((link) => link === document.activeElement);
  let next: number | null = null;
  if (event.key === 'ArrowDown') next = Math.min(links.length - 1, at + 1);
  else if (event.key === 'ArrowUp') next = Math.max(0, at - 1);
  else if (event.key === 'Home') next = 0;
  else if (event.key === 'End') next = links.length - 1;
  if (next === null || at < 0) return;
  event.preventDefault();
  links[next]?.focus();
}

export function MyCasesScreen({ which, canRecord }: { which: CaseWhich; canRecord: boolean }) {
  const cases = useQuery(caseListQuery(which));
  const crimeTypeLabel = useCrimeTypeLabel();
  const body = useRef<HTMLTableSectionElement>(null);
  const title = TITLES[which];
  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      <CasesNav current={which} canRecord={canRecord} />
      {cases.isError && <ErrorSummary error={toUiError(cases.error)} focus={false} />}
      {cases.isPending ? (
        <Loading what="cases" />
      ) : (cases.data ?? []).length === 0 ? (
        <p data-testid="no-cases">{which === 'mine' ? 'No open cases are allocated to you.' : 'No cases.'}</p>
      ) : (
        <>
          <p className="hint" id="cases-hint">
            Use the up and down arrow keys to move between cases, and Enter to open one.
          </p>
          <div className="table-wrap">
            <table className="table" data-testid="case-list" aria-describedby="cases-hint">
              <caption className="visually-hidden">{title}, most recently changed first</caption>
              <thead>
                <tr>
                  <th scope="col">Reference</th>
                  <th scope="col">Crime type</th>
                  <th scope="col">Status</th>
                  <th scope="col">Suspect</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody ref={body} onKeyDown={(event) => moveBetweenRows(event, body.current)}>
                {(cases.data ?? []).map((item) => (
                  <tr key={item.id} data-testid="case-row" data-reference={item.reference}>
                    <th scope="row">
                      <a href={caseHref({ name: 'case', id: item.id })} data-case-link>
                        {item.reference}
                      </a>
                    </th>
                    <td>
                      {crimeTypeLabel(item.crimeType)}
                      {item.summary && (
                        <>
                          <br />
                          <span className="hint">{item.summary}</span>
                        </>
                      )}
                    </td>
                    <td>{CASE_STATUS_LABELS[item.status]}</td>
                    <td>{suspectText(item)}</td>
                    <td>{formatDateTime(item.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
