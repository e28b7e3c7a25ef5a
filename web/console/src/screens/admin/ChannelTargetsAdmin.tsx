import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { toUiError, type FieldError, type UiError } from '../../api/errors.ts';
import type { ChannelTargets, ResponseChannel } from '../../api/types.ts';
import { ErrorSummary, InlineError, Loading, StatusMessage, fieldMessage, focusById } from '../../components.tsx';
import { channelTargetsQuery, useSetChannelTargets, type ChannelTargetsInput } from './admin-api.ts';

// Response targets per kind of channel (decision 0041): each applies to a contact on that channel
// when it is tighter than its queue's target for the priority; an empty box leaves the queue's.

const KINDS = [
  { key: 'firstResponseMinutes', label: 'First response target' },
  { key: 'nextResponseMinutes', label: 'Next response target' },
] as const;
type Kind = (typeof KINDS)[number]['key'];
type Draft = Partial<Record<ResponseChannel, Record<Kind, string>>>;

const inputId = (channel: ResponseChannel, kind: Kind) => `channel-${channel}-${kind}`;

function draftOf(channels: readonly ChannelTargets[]): Draft {
  const draft: Draft = {};
  for (const c of channels) {
    draft[c.channel] = { firstResponseMinutes: c.firstResponseMinutes === null ? '' : String(c.firstResponseMinutes), nextResponseMinutes: c.nextResponseMinutes === null ? '' : String(c.nextResponseMinutes) };
  }
  return draft;
}

/** The channel targets, with a form to change them; the server checks the minutes and says what is wrong. */
export function ChannelTargetsSection() {
  const channels = useQuery(channelTargetsQuery);
  return (
    <section aria-labelledby="h-channel-targets" data-testid="channel-targets">
      <h2 id="h-channel-targets">Response targets by channel</h2>
      <p>
        In minutes. On a channel with a target, a contact must be answered within it even when its queue allows longer; the queue&apos;s target
        applies when it is tighter. Leave a box empty to use the queue&apos;s target. A change applies to clocks started from now.
      </p>
      <ErrorSummary error={toUiError(channels.error)} focus={false} />
      {!channels.data && channels.isPending && <Loading what="channel targets" />}
      {channels.data && <ChannelTargetsForm channels={channels.data} />}
    </section>
  );
}

function ChannelTargetsForm({ channels }: { channels: ChannelTargets[] }) {
  const save = useSetChannelTargets();
  const [draft, setDraft] = useState<Draft>(() => draftOf(channels));
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const error = invalid ?? toUiError(save.error);
  const fieldIds = Object.fromEntries(channels.flatMap((c) => KINDS.map((k) => [`${c.channel}.${k.key}`, inputId(c.channel, k.key)])));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.isPending) return;
    const body: ChannelTargetsInput = {};
    const problems: FieldError[] = [];
    for (const c of channels) {
      const row = draft[c.channel];
      const read = (kind: (typeof KINDS)[number]): number | null => {
        const text = (row?.[kind.key] ?? '').trim();
        if (text === '') return null;
        const n = Number(text);
        // Whole minutes and their range are the server's to check; here only "is it a number".
        if (!Number.isFinite(n)) problems.push({ path: `${c.channel}.${kind.key}`, message: `${c.label} ${kind.label.toLowerCase()} must be a number of minutes` });
        return n;
      };
      body[c.channel] = { firstResponseMinutes: read(KINDS[0]), nextResponseMinutes: read(KINDS[1]) };
    }
    if (problems.length > 0) {
      setInvalid({ message: '', fields: problems });
      return;
    }
    setInvalid(null);
    setNotice(null);
    save.mutate(body, {
      onSuccess: (saved) => {
        // As stored: a box emptied stays empty, a number is shown as the server took it.
        setDraft(draftOf(saved));
        setNotice('Channel targets saved. New clocks use them.');
        focusById('channel-targets-notice');
      },
    });
  }

  return (
    <form onSubmit={submit} noValidate className="form">
      <StatusMessage message={notice} id="channel-targets-notice" />
      <ErrorSummary error={error} fieldIds={fieldIds} />
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
                const message = fieldMessage(error, `${c.channel}.${k.key}`);
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
                      value={draft[c.channel]?.[k.key] ?? ''}
                      aria-invalid={message ? true : undefined}
                      aria-describedby={message ? `${id}-error` : undefined}
                      onChange={(e) => {
                        const row = draft[c.channel] ?? { firstResponseMinutes: '', nextResponseMinutes: '' };
                        setDraft({ ...draft, [c.channel]: { ...row, [k.key]: e.target.value } });
                      }}
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <button type="submit" className="button" data-testid="channel-targets-save" aria-disabled={save.isPending}>
        Save channel targets
      </button>
    </form>
  );
}
