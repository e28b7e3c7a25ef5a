import { useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useActivateRuleSet, useCreateRuleSet, useTryTriage } from '../api/admin-mutations.ts';
import { invalidFields, toUiError, type FieldError, type UiError } from '../api/errors.ts';
import { ruleSetQuery, ruleSetsQuery } from '../api/queries.ts';
import type { RuleSet, TriageCategory, TriageResultMatch, TriageRuleInput } from '../api/types.ts';
import { ErrorSummary, Loading, PageHeading, PriorityBadge, StatusMessage } from '../components.tsx';
import { formatDateTime, humanize } from '../format.ts';
import { categoryLabel } from '../labels.ts';

/** The text with each match wrapped in <mark>; built from text nodes only, never raw HTML. */
function Highlighted({ text, matches }: { text: string; matches: TriageResultMatch[] }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [index, match] of [...matches].sort((a, b) => a.start - b.start).entries()) {
    if (match.start < at) continue;
    parts.push(text.slice(at, match.start));
    parts.push(
      <mark key={index} className={`match match--${match.treatment}`} title={`${match.phrase} (${categoryLabel(match.category)}): ${match.treatment}`}>
        {text.slice(match.start, match.end)}
      </mark>,
    );
    at = match.end;
  }
  parts.push(text.slice(at));
  return <p className="triage-text">{parts}</p>;
}

function TryIt({ version }: { version: number | null }) {
  const [text, setText] = useState('');
  const [line, setLine] = useState('');
  const score = useTryTriage();
  // The text as it was scored: the box may have changed since.
  const result = score.data && score.variables ? { text: score.variables.text, view: score.data } : null;

  function run() {
    if (score.isPending || text.trim() === '') return;
    score.mutate({ text, ...(version ? { version } : {}), ...(line ? { line } : {}) });
  }

  return (
    <section aria-labelledby="try-heading">
      <h2 id="try-heading">Try it{version ? ` with version ${version}` : ' with the active rules'}</h2>
      <p>Nothing is stored: this scores the text as a new contact would be scored now.</p>
      <ErrorSummary error={toUiError(score.error)} />
      <div className="field">
        <label htmlFor="try-text">Message</label>
        <textarea id="try-text" rows={4} value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <div className="field field--inline">
        <label htmlFor="try-line">Line</label>
        <select id="try-line" value={line} onChange={(e) => setLine(e.target.value)}>
          <option value="">Not a phone line</option>
          <option value="999">999</option>
        </select>
      </div>
      <button type="button" className="button" aria-disabled={score.isPending} onClick={run}>
        Score
      </button>
      {result && (
        <div className="triage-result" data-testid="triage-result">
          <p>
            <PriorityBadge priority={result.view.priority} label={result.view.priorityLabel} /> Score {result.view.score} (rule set v
            {result.view.ruleSetVersion})
          </p>
          <Highlighted text={result.text} matches={result.view.matches} />
          <table className="table">
            <caption>Contributions</caption>
            <thead>
              <tr>
                <th scope="col">Why</th>
                <th scope="col">Signal</th>
                <th scope="col">Points</th>
              </tr>
            </thead>
            <tbody>
              {result.view.contributions.map((c, i) => (
                <tr key={i}>
                  <td>{c.label}</td>
                  <td>{humanize(c.signal)}</td>
                  <td>{c.points}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ul>
            {result.view.explanation.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

type Row = { phrase: string; variants: string; category: string; weight: string };

const toRow = (rule: RuleSet['rules'][number]): Row => ({
  phrase: rule.phrase,
  variants: (rule.variants ?? []).join(', '),
  category: rule.category,
  weight: String(rule.weight),
});

/** The rows as the request takes them, or what to fix: a stored category this version of the server no longer offers, say. */
function fromRows(rows: Row[], categories: readonly TriageCategory[]): { rules: TriageRuleInput[]; issues: FieldError[] } {
  const rules: TriageRuleInput[] = [];
  const issues: FieldError[] = [];
  rows.forEach((row, i) => {
    const category = categories.find((c) => c === row.category);
    if (!category) {
      issues.push({ path: `rules.${i}.category`, message: `Choose a category for rule ${i + 1}` });
      return;
    }
    rules.push({
      phrase: row.phrase.trim(),
      variants: row.variants.split(',').map((v) => v.trim()).filter((v) => v !== ''),
      category,
      weight: Number(row.weight),
    });
  });
  return { rules, issues };
}

const RULE_FIELDS = ['phrase', 'variants', 'category', 'weight'] as const;
const ruleInputId = (index: number, field: (typeof RULE_FIELDS)[number]) => `rule-${index}-${field}`;

/** Each rule's inputs by their place in the request ("rules.2.weight"), so a refusal links to the input it names. */
function ruleFieldIds(count: number): Record<string, string> {
  const ids: Record<string, string> = {};
  for (let i = 0; i < count; i++) for (const field of RULE_FIELDS) ids[`rules.${i}.${field}`] = ruleInputId(i, field);
  return ids;
}

function Editor({ version, categories, onSaved }: { version: number; categories: TriageCategory[]; onSaved: (version: number) => void }) {
  const rules = useQuery(ruleSetQuery(version));
  const [rows, setRows] = useState<Row[] | null>(null);
  const save = useCreateRuleSet();
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const shown = rows ?? rules.data?.rules.map(toRow) ?? null;

  function update(index: number, patch: Partial<Row>) {
    if (!shown) return;
    setRows(shown.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  }

  function saveRows() {
    if (save.isPending || !shown) return;
    const { rules: input, issues } = fromRows(shown, categories);
    setInvalid(issues.length > 0 ? invalidFields(issues) : null);
    if (issues.length > 0) return;
    save.mutate(input, {
      onSuccess: (saved) => {
        onSaved(saved);
        setRows(null);
      },
    });
  }

  return (
    <section aria-labelledby="rules-heading">
      <h2 id="rules-heading">Rules in version {version}</h2>
      <ErrorSummary error={invalid ?? toUiError(save.error) ?? toUiError(rules.error)} fieldIds={ruleFieldIds(shown?.length ?? 0)} />
      {!shown && <Loading what="rules" />}
      {shown && (
        <>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Rules</caption>
              <thead>
                <tr>
                  <th scope="col">Phrase</th>
                  <th scope="col">Variants (comma separated)</th>
                  <th scope="col">Category</th>
                  <th scope="col">Weight</th>
                  <th scope="col">
                    <span className="visually-hidden">Remove</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((row, i) => (
                  <tr key={i}>
                    <td>
                      <input id={ruleInputId(i, 'phrase')} aria-label={`Phrase ${i + 1}`} value={row.phrase} onChange={(e) => update(i, { phrase: e.target.value })} />
                    </td>
                    <td>
                      <input id={ruleInputId(i, 'variants')} aria-label={`Variants ${i + 1}`} value={row.variants} onChange={(e) => update(i, { variants: e.target.value })} />
                    </td>
                    <td>
                      <select
                        id={ruleInputId(i, 'category')}
                        aria-label={`Category ${i + 1}`}
                        value={row.category}
                        onChange={(e) => update(i, { category: e.target.value })}
                      >
                        {categories.map((c) => (
                          <option key={c} value={c}>
                            {categoryLabel(c)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <input id={ruleInputId(i, 'weight')} aria-label={`Weight ${i + 1}`} type="number" min={-100} max={100} value={row.weight} onChange={(e) => update(i, { weight: e.target.value })} />
                    </td>
                    <td>
                      <button type="button" className="button button--secondary" onClick={() => setRows(shown.filter((_, j) => j !== i))}>
                        Remove<span className="visually-hidden"> rule {i + 1}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setRows([...shown, { phrase: '', variants: '', category: categories[0] ?? 'weapons', weight: '10' }])}
          >
            Add a rule
          </button>{' '}
          <button type="button" className="button" aria-disabled={save.isPending} onClick={saveRows}>
            Save as a new version
          </button>
        </>
      )}
    </section>
  );
}

/** Triage rules: versions, the active rules, an editor that saves new versions, and a "try it" box. */
export function RulesScreen() {
  const sets = useQuery(ruleSetsQuery);
  const activate = useActivateRuleSet();
  const [selected, setSelected] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = sets.data?.ruleSets ?? [];
  const active = list.find((s) => s.isActive)?.version ?? null;
  const shown = selected ?? active;

  function activateVersion(version: number) {
    if (!window.confirm(`Make version ${version} the active rule set? Every new contact is scored with it from now on.`)) return;
    activate.mutate(version, { onSuccess: () => setNotice(`Version ${version} is now active. New contacts are scored with it.`) });
  }

  return (
    <>
      <PageHeading title="Triage rules">Triage rules</PageHeading>
      <StatusMessage message={notice} id="rules-notice" />
      <ErrorSummary error={toUiError(activate.error) ?? toUiError(sets.error)} />
      {!sets.data && sets.isPending && <Loading what="rule sets" />}
      {list.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>Versions</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Created</th>
                <th scope="col">Rules</th>
                <th scope="col">Variants</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((set) => (
                <tr key={set.version} aria-current={set.version === shown ? 'true' : undefined}>
                  <td>v{set.version}</td>
                  <td>{formatDateTime(set.createdAt)}</td>
                  <td>{set.ruleCount}</td>
                  <td>{set.variantCount}</td>
                  <td>{set.isActive ? 'Active' : 'Not active'}</td>
                  <td>
                    <button type="button" className="button button--secondary" onClick={() => setSelected(set.version)}>
                      View<span className="visually-hidden"> version {set.version}</span>
                    </button>{' '}
                    {!set.isActive && (
                      <button type="button" className="button" onClick={() => activateVersion(set.version)}>
                        Activate<span className="visually-hidden"> version {set.version}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {/* One box per version: a result scored with another version is never shown as this one's. */}
      <TryIt key={shown ?? 'active'} version={shown} />
      {shown !== null && (
        <Editor
          key={shown}
          version={shown}
          categories={sets.data?.categories ?? []}
          onSaved={(version) => {
            setNotice(`Saved as version ${version}. It is not active yet: try it, then activate it.`);
            setSelected(version);
          }}
        />
      )}
    </>
  );
}
