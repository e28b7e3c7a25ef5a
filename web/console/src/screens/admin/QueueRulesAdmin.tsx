import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { isChangedSinceRead, toUiError, type UiError } from '../../api/errors.ts';
import type { QueueRule, QueueView } from '../../api/types.ts';
import { ChangedElsewhereNotice, useChangedElsewhere } from '../../changed-elsewhere.tsx';
import { AsItIsNow, ErrorSummary, InlineError, Loading, PageHeading, StatusMessage, fieldMessage, focusById } from '../../components.tsx';
import { queuesQuery, useReplaceQueueRules } from './admin-api.ts';
import { AdminNav } from './AdminNav.tsx';
import { ListRefreshedStatus, useListFollowsChanges, type ListRefreshed } from '../../list-follows-changes.tsx';
import { QueueRuleForm } from './QueueRuleForm.tsx';
import { byRule, categoryChoices, channelChoices, draftsOf, isSameRules, moveRule, ruleInWords, rulesFacts, rulesToSend, type DraftRule } from './queue-rules.ts';

/** The rules as read: what the list is saved from (decision 0084). */
type Opened = { rules: QueueRule[]; version: number };
/** Saving was refused because someone else replaced the rules after they were read: what to show. */
type Conflict = { error: UiError; current: QueueRule[] | null };

const rowId = (index: number) => `queue-rule-${index}`;

/**
 * The rules a save would refuse as they were stored (before that was checked), each linked to its
 * row: the admin fixes them before saving, rather than learn of them from a refused save. Contacts
 * are still routed by them until then (decision 0095).
 */
function RulesToFix({ drafts, canChange }: { drafts: readonly DraftRule[]; canChange: boolean }) {
  const marked = drafts.flatMap((rule, index) => (rule.refusedBecause ? [{ index, reason: rule.refusedBecause }] : []));
  if (marked.length === 0) return null;
  return (
    <section className="rules-to-fix" aria-labelledby="h-queue-rules-to-fix" data-testid="queue-rules-to-fix">
      <h2 id="h-queue-rules-to-fix">{marked.length === 1 ? 'A rule to fix' : `${marked.length} rules to fix`}</h2>
      <p>
        {marked.length === 1 ? 'This rule was' : 'These rules were'} saved before such rules were refused. New contacts are still routed by{' '}
        {marked.length === 1 ? 'it' : 'them'}, but the rules cannot be saved until {marked.length === 1 ? 'it is' : 'each is'} changed or removed
        {canChange ? '' : ' by a supervisor or force administrator'}.
      </p>
      <ul>
        {marked.map(({ index, reason }) => (
          <li key={index}>
            <a
              href={`#${rowId(index)}`}
              onClick={(e) => {
                e.preventDefault();
                focusById(rowId(index));
              }}
            >
              Rule {index + 1}
            </a>
            : {reason}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The ordered rules that put each new contact into a queue: the first rule a contact matches
 * decides; a contact none matches goes to the default queue. Those who manage routing
 * (`routing:manage`) add, change, remove and move rules on the page and save the list whole;
 * others who read contacts see the rules with no controls.
 */
export function QueueRulesAdminScreen({ canChange }: { canChange: boolean }) {
  const queues = useQuery(queuesQuery);
  // Rules replaced elsewhere, or a queue renamed, are read again: the editor shows them if nothing is unsaved, else says so.
  const refreshed = useListFollowsChanges({ records: ['queue_rules', 'queue'], queries: [queuesQuery.queryKey], what: 'The queue rules' });
  const data = queues.data;
  const fallback = data?.queues.find((q) => q.isDefault);
  return (
    <>
      <PageHeading title="Queue rules">Queue rules</PageHeading>
      <AdminNav current="queue-rules" />
      <p>These rules put each new contact into a queue. They are tried in order: the first rule a contact matches decides its queue.</p>
      {fallback && (
        <p data-testid="queue-rules-default">
          Contacts that match no rule go to the default queue, {fallback.name}.
        </p>
      )}
      {!canChange && <p data-testid="queue-rules-read-only">You can read these rules. A supervisor or force administrator changes them.</p>}
      <ErrorSummary error={toUiError(queues.error)} focus={false} />
      {!data && queues.isPending && <Loading what="queue rules" />}
      {data && <RulesEditor opened={{ rules: data.rules, version: data.rulesVersion }} queues={data.queues} canChange={canChange} refreshed={refreshed} />}
    </>
  );
}

/**
 * The list, changed on the page and saved whole from the version read. If someone else replaced
 * the rules meanwhile, the save is refused: the page says so, shows the rules as they are now
 * and keeps this admin's list, to save again over them or change first.
 */
function RulesEditor({ opened: read, queues, canChange, refreshed }: { opened: Opened; queues: readonly QueueView[]; canChange: boolean; refreshed: ListRefreshed | null }) {
  const save = useReplaceQueueRules();
  const queryClient = useQueryClient();
  // The rules as the save is made from: as read, then as saved, or as they were when a conflict was shown.
  const [opened, setOpened] = useState<Opened>(read);
  const [drafts, setDrafts] = useState<DraftRule[]>(() => draftsOf(read.rules));
  const [editing, setEditing] = useState<DraftRule | 'new' | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const isChanged = !isSameRules(drafts, draftsOf(opened.rules));
  // Rules changed elsewhere reach a page with nothing unsaved (after a refetch): it shows them.
  if (!isChanged && !conflict && read.version > opened.version) {
    setOpened(read);
    setDrafts(draftsOf(read.rules));
  }
  // A refresh heard while this admin's list differs from the rules read is never announced, not even once the list is saved.
  const [quietUpTo, setQuietUpTo] = useState(0);
  if ((isChanged || conflict) && refreshed && refreshed.count > quietUpTo) setQuietUpTo(refreshed.count);
  const refreshedNow = refreshed && refreshed.count > quietUpTo ? refreshed : null;
  const refused = isChangedSinceRead(save.error) ? null : toUiError(save.error);
  const error = conflict?.error ?? (refused ? { ...refused, fields: byRule(refused.fields) } : null);
  const fieldIds = Object.fromEntries(drafts.map((_, index) => [`rules.${index}`, rowId(index)]));
  const channels = channelChoices(drafts);
  const categories = categoryChoices(drafts);
  // A page with nothing unsaved shows the rules read again (above); one with changes is told.
  const changedElsewhere = useChangedElsewhere({
    record: 'queue_rules',
    version: opened.version,
    isSaving: save.isPending,
    readVersion: async () => (await queryClient.fetchQuery({ ...queuesQuery, staleTime: 0 }).catch(() => null))?.rulesVersion ?? null,
  });

  /** Any change to the list: what the last save refused named the rules by their old places. */
  const change = (next: DraftRule[], message: string) => {
    save.reset();
    setDrafts(next);
    setNotice(message);
  };

  const move = (index: number, by: -1 | 1) => {
    const rule = drafts[index];
    if (!rule) return;
    change(moveRule(drafts, index, by), `Rule moved to place ${index + by + 1}. Save the rules to put the new order into use.`);
    // Focus stays with the rule moved: on the same button, or on the other once it reached an end.
    const [same, other] = by < 0 ? ['up', 'down'] : ['down', 'up'];
    window.setTimeout(() => focusById(document.getElementById(`${rule.key}-${same}`) ? `${rule.key}-${same}` : `${rule.key}-${other}`), 0);
  };

  const remove = (index: number) => {
    if (!window.confirm(`Remove rule ${index + 1} from the list? Nothing changes until you save the rules.`)) return;
    if (editing !== null && editing !== 'new' && editing.key === drafts[index]?.key) setEditing(null);
    change(
      drafts.filter((_, i) => i !== index),
      `Rule ${index + 1} removed from the list. Save the rules to put it out of use.`,
    );
    window.setTimeout(() => focusById('queue-rules-notice'), 0);
  };

  const done = (rule: DraftRule) => {
    const index = drafts.findIndex((r) => r.key === rule.key);
    const next = index < 0 ? [...drafts, rule] : drafts.map((r) => (r.key === rule.key ? rule : r));
    const place = index < 0 ? next.length : index + 1;
    setEditing(null);
    change(next, `${index < 0 ? `Rule ${place} added to the list` : `Rule ${place} changed in the list`}. Save the rules to put it into use.`);
    window.setTimeout(() => focusById(rowId(place - 1)), 0);
  };

  /** Someone else replaced the rules: read them as they are now and keep this admin's list, unsaved. */
  async function showConflict(message: string) {
    const fresh = await queryClient.fetchQuery({ ...queuesQuery, staleTime: 0 }).catch(() => null);
    save.reset();
    if (fresh) setOpened({ rules: fresh.rules, version: fresh.rulesVersion });
    setConflict({ error: { message, fields: [] }, current: fresh?.rules ?? null });
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.isPending) return;
    // Every save is recorded and counted: one that changes nothing would only refuse another admin's.
    if (!isChanged && !conflict) {
      setNotice('Nothing to save: the rules are as saved.');
      focusById('queue-rules-notice');
      return;
    }
    setConflict(null);
    setNotice(null);
    // From the version this page read: a replacement made by someone else since is refused rather than silently undone.
    save.mutate(
      { rules: rulesToSend(drafts), version: opened.version },
      {
        onSuccess: (saved) => {
          setOpened({ rules: saved.rules, version: saved.rulesVersion });
          setDrafts(draftsOf(saved.rules));
          setNotice('Queue rules saved. New contacts are routed by them.');
          focusById('queue-rules-notice');
        },
        onError: (refusal) => {
          if (isChangedSinceRead(refusal)) void showConflict(refusal.message);
        },
      },
    );
  }

  return (
    <>
      <StatusMessage message={notice} id="queue-rules-notice" />
      {/* Said only when the page shows the rules read again; with changes unsaved the notice below speaks instead. */}
      <ListRefreshedStatus refreshed={refreshedNow} testId="queue-rules-refreshed" />
      <ErrorSummary error={error} fieldIds={fieldIds} />
      {/* A reader has nothing to save: the rules read again are shown and announced above (decision 0105). */}
      <ChangedElsewhereNotice changed={canChange ? changedElsewhere : null} what="The list of queue rules" onShowNow={(sentence) => void showConflict(sentence)} />
      <RulesToFix drafts={drafts} canChange={canChange} />
      {conflict?.current && (
        <AsItIsNow
          heading="The rules as they are now"
          facts={rulesFacts(conflict.current, queues)}
          testId="queue-rules-now"
          note="Your list below is kept as you left it. Nothing is saved until you save it again, and saving it replaces the rules shown here."
        />
      )}
      {canChange && editing !== null && (
        <QueueRuleForm
          key={editing === 'new' ? 'new' : editing.key}
          rule={editing === 'new' ? null : editing}
          place={editing === 'new' ? drafts.length + 1 : drafts.indexOf(editing) + 1}
          queues={queues}
          channels={channels}
          categories={categories}
          onDone={done}
          onCancel={() => setEditing(null)}
        />
      )}
      <div className="table-wrap">
        <table className="table" data-testid="queue-rules-table">
          <caption className="visually-hidden">Queue rules, in the order they are tried</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Channels</th>
              <th scope="col">Triage categories</th>
              <th scope="col">Priorities</th>
              <th scope="col">Sends to</th>
              {canChange && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {drafts.length === 0 && (
              <tr>
                <td colSpan={canChange ? 6 : 5}>No rules: every new contact goes to the default queue.</td>
              </tr>
            )}
            {drafts.map((rule, index) => {
              const words = ruleInWords(rule, queues);
              const message = fieldMessage(error, `rules.${index}`);
              const name = `rule ${index + 1}`;
              return (
                <tr key={rule.key} data-testid="queue-rule-row" data-queue={words.queue}>
                  <th scope="row" id={rowId(index)} tabIndex={-1}>
                    {index + 1}
                    <InlineError id={`${rowId(index)}-error`} message={message} />
                    {rule.refusedBecause && (
                      <p className="rule-to-fix" data-testid="queue-rule-to-fix">
                        To fix: {rule.refusedBecause} Contacts are still routed by it.
                      </p>
                    )}
                  </th>
                  <td>{words.channels}</td>
                  <td>{words.categories}</td>
                  <td>{words.priorities}</td>
                  <td>{words.queue}</td>
                  {canChange && (
                    <td className="actions">
                      <button type="button" className="button button--secondary" onClick={() => setEditing(rule)}>
                        Change<span className="visually-hidden"> {name}</span>
                      </button>{' '}
                      {index > 0 && (
                        <button type="button" id={`${rule.key}-up`} className="button button--secondary" onClick={() => move(index, -1)}>
                          Move up<span className="visually-hidden"> {name}</span>
                        </button>
                      )}{' '}
                      {index < drafts.length - 1 && (
                        <button type="button" id={`${rule.key}-down`} className="button button--secondary" onClick={() => move(index, 1)}>
                          Move down<span className="visually-hidden"> {name}</span>
                        </button>
                      )}{' '}
                      <button type="button" className="button button--warning" onClick={() => remove(index)}>
                        Remove<span className="visually-hidden"> {name}</span>
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {canChange && (
        <form onSubmit={submit} noValidate className="form">
          {(isChanged || conflict) && (
            <p className="notice" data-testid="queue-rules-unsaved">
              You have unsaved changes. New contacts are routed by the saved rules until you save these.
            </p>
          )}
          <div className="actions">
            <button type="button" className="button button--secondary" onClick={() => setEditing('new')} data-testid="queue-rule-add">
              Add a rule
            </button>{' '}
            <button type="submit" className="button" data-testid="queue-rules-save" aria-disabled={save.isPending}>
              {conflict ? 'Save my rules again' : 'Save rules'}
            </button>
          </div>
        </form>
      )}
    </>
  );
}
