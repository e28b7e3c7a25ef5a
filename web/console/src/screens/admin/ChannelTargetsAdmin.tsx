import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { isChangedSinceRead, toUiError, type FieldError, type UiError } from '../../api/errors.ts';
import type { ChannelTargets, ResponseChannel } from '../../api/types.ts';
import { ChangedElsewhereNotice, useChangedElsewhere } from '../../changed-elsewhere.tsx';
import { AsItIsNow, ErrorSummary, InlineError, Loading, StatusMessage, fieldMessage, focusById } from '../../components.tsx';
import { channelTargetsQuery, useSetChannelTargets, type ChannelTargetsInput } from './admin-api.ts';
import { CHANNEL_KINDS as KINDS, channelBoxesOf, channelClashSentence, channelFacts, rebaseChannelChange, type ChannelBoxes } from './routing-changes.ts';

// Response targets per kind of channel (decision 0041): each applies to a contact on that channel
// when it is tighter than its queue's target for the priority; an empty box leaves the queue's.

type Kind = (typeof KINDS)[number]['key'];
type Opened = { channels: ChannelTargets[]; version: number };
/** Saving was refused because someone else changed the targets after the form was opened: what to show. */
type Conflict = { error: UiError; current: ChannelTargets[] | null };

const inputId = (channel: ResponseChannel, kind: Kind) => `channel-${channel}-${kind}`;
const box = (channel: ResponseChannel, kind: Kind) => `${channel}.${kind}`;

/** The channel targets, with a form to change them; the server checks the minutes and says what is wrong. */
export function ChannelTargetsSection() {
  const targets = useQuery(channelTargetsQuery);
  return (
    <section aria-labelledby="h-channel-targets" data-testid="channel-targets">
      <h2 id="h-channel-targets">Response targets by channel</h2>
      <p>
        In minutes. On a channel with a target, a contact must be answered within it even when its queue allows longer; the queue&apos;s target
        applies when it is tighter. Leave a box empty to use the queue&apos;s target. A change applies to clocks started from now.
      </p>
      <ErrorSummary error={toUiError(targets.error)} focus={false} />
      {!targets.data && targets.isPending && <Loading what="channel targets" />}
      {targets.data && <ChannelTargetsForm targets={targets.data} />}
    </section>
  );
}

/**
 * The targets of every kind of channel, saved together from the version the form was opened at;
 * if someone else changed them meanwhile, the form says so, shows them as they are now, keeps what
 * this admin entered and saves only when the admin saves again (decision 0084).
 */
function ChannelTargetsForm({ targets }: { targets: Opened }) {
  const save = useSetChannelTargets();
  const queryClient = useQueryClient();
  // The targets as the save is made from: as opened, then as saved, or as they were when a conflict was shown.
  const [opened, setOpened] = useState<Opened>(targets);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [draft, setDraft] = useState<ChannelBoxes>(() => channelBoxesOf(targets.channels));
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const channels = opened.channels;
  const error = invalid ?? conflict?.error ?? (isChangedSinceRead(save.error) ? null : toUiError(save.error));
  const fieldIds = Object.fromEntries(channels.flatMap((c) => KINDS.map((k) => [box(c.channel, k.key), inputId(c.channel, k.key)])));
  const changedElsewhere = useChangedElsewhere({
    record: 'channel_targets',
    version: opened.version,
    isSaving: save.isPending,
    readVersion: async () => (await queryClient.fetchQuery({ ...channelTargetsQuery, staleTime: 0 }).catch(() => null))?.version ?? null,
  });

  /** Someone else changed the targets: read them as they are now and put this admin's change over them in the form, unsaved. */
  async function showConflict(from: Opened, wanted: ChannelBoxes, message: string) {
    const fresh = await queryClient.fetchQuery({ ...channelTargetsQuery, staleTime: 0 }).catch(() => null);
    save.reset();
    if (!fresh) {
      setConflict({ error: { message, fields: [] }, current: null });
      return;
    }
    const { form, clashes } = rebaseChannelChange(from.channels, wanted, fresh.channels);
    setDraft(form);
    setOpened(fresh);
    setConflict({ error: { message, fields: clashes.map((clash) => ({ path: clash.field, message: channelClashSentence(clash, fresh.channels) })) }, current: fresh.channels });
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.isPending) return;
    const body: ChannelTargetsInput = {};
    const problems: FieldError[] = [];
    for (const c of channels) {
      const read = (kind: (typeof KINDS)[number]): number | null => {
        const text = (draft[box(c.channel, kind.key)] ?? '').trim();
        if (text === '') return null;
        const n = Number(text);
        // Whole minutes and their range are the server's to check; here only "is it a number".
        if (!Number.isFinite(n)) problems.push({ path: box(c.channel, kind.key), message: `${c.label} ${kind.label.toLowerCase()} must be a number of minutes` });
        return n;
      };
      body[c.channel] = { firstResponseMinutes: read(KINDS[0]), nextResponseMinutes: read(KINDS[1]) };
    }
    if (problems.length > 0) {
      setInvalid({ message: '', fields: problems });
      return;
    }
    setInvalid(null);
    setConflict(null);
    setNotice(null);
    const from = opened;
    const wanted = draft;
    // From the version this form shows: a change someone else made since is refused rather than silently replaced.
    save.mutate(
      { ...body, version: from.version },
      {
        onSuccess: (saved) => {
          // As stored: a box emptied stays empty, a number is shown as the server took it.
          setOpened(saved);
          setDraft(channelBoxesOf(saved.channels));
          setNotice('Channel targets saved. New clocks use them.');
          focusById('channel-targets-notice');
        },
        onError: (refusal) => {
          if (isChangedSinceRead(refusal)) void showConflict(from, wanted, refusal.message);
        },
      },
    );
  }

  return (
    <form onSubmit={submit} noValidate className="form">
      <StatusMessage message={notice} id="channel-targets-notice" />
      <ErrorSummary error={error} fieldIds={fieldIds} />
      <ChangedElsewhereNotice changed={changedElsewhere} what="The response targets by channel" onShowNow={(sentence) => void showConflict(opened, draft, sentence)} />
      {conflict?.current && <AsItIsNow heading="The targets as they are now" facts={channelFacts(conflict.current)} testId="channel-targets-now" />}
      <table className="table">
        <caption className="visually-hidden">First and next response targets in minutes, by channel</caption>
        <thead>
          <tr>
            <th scope="col">Channel</th>
            {KINDS.map((k) => (
              <th scope="col" key={k.key}>
                {k.label} (minutes)
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {channels.map((c) => (
            <tr key={c.channel} data-testid="channel-target-row" data-channel={c.channel}>
              <th scope="row">{c.label}</th>
              {KINDS.map((k) => {
                const id = inputId(c.channel, k.key);
                const message = fieldMessage(error, box(c.channel, k.key));
                return (
                  <td key={k.key}>
                    <label htmlFor={id} className="visually-hidden">
                      {c.label} {k.label.toLowerCase()}, in minutes
                    </label>
                    <InlineError id={`${id}-error`} message={message} />
                    <input
                      id={id}
                      className="input--narrow"
                      type="text"
                      inputMode="numeric"
                      value={draft[box(c.channel, k.key)] ?? ''}
                      aria-invalid={message ? true : undefined}
                      aria-describedby={message ? `${id}-error` : undefined}
                      onChange={(e) => setDraft({ ...draft, [box(c.channel, k.key)]: e.target.value })}
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <button type="submit" className="button" data-testid="channel-targets-save" aria-disabled={save.isPending}>
        {conflict ? 'Save my change again' : 'Save channel targets'}
      </button>
    </form>
  );
}
