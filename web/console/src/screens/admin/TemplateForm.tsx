import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { isChangedSinceRead, toUiError, type UiError } from '../../api/errors.ts';
import type { MessageTemplate, MessageTemplateKey, TemplateLocale } from '../../api/types.ts';
import { AsItIsNow, ErrorSummary, InlineError, fieldMessage } from '../../components.tsx';
import { rebaseChange } from '../../changed-since-opened.ts';
import { ChangedElsewhereNotice, useChangedElsewhere } from '../../changed-elsewhere.tsx';
import { templatesQuery, usePreviewTemplate, useSaveTemplate } from './admin-api.ts';

type Text = { subject: string; body: string };
const TEXT_FIELDS = ['subject', 'body'] as const;
const FIELD_LABELS: Record<(typeof TEXT_FIELDS)[number], string> = { subject: 'Subject', body: 'Message' };

/** Saving was refused because someone else saved the text after the form was opened: what to show. */
type Conflict = { error: UiError; current: MessageTemplate | null };

const textOf = (template: MessageTemplate | null | undefined): Text => ({ subject: template?.subject ?? '', body: template?.body ?? '' });

/**
 * One language of one message: edit, preview with made-up values, save. A save is made from the
 * version the form was opened at (0: not written yet); if someone else saved the text meanwhile,
 * the form says so, shows the text as it is now, keeps what this admin typed (taking the other's
 * text for a field this admin left alone) and saves only when the admin saves again (decision 0082).
 */
export function TemplateForm({
  templateKey,
  locale,
  localeLabel,
  lang,
  template,
  onSaved,
}: {
  templateKey: MessageTemplateKey;
  locale: TemplateLocale;
  localeLabel: string;
  lang: string;
  template: MessageTemplate | undefined;
  onSaved: (message: string) => void;
}) {
  const save = useSaveTemplate();
  const preview = usePreviewTemplate();
  const queryClient = useQueryClient();
  // The text as the save is made from: as opened, then as saved, or as it was when a conflict was shown.
  const [opened, setOpened] = useState<MessageTemplate | null>(template ?? null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [subject, setSubject] = useState(template?.subject ?? '');
  const [body, setBody] = useState(template?.body ?? '');
  const id = `template-${templateKey.key.replace(/\./g, '-')}-${locale}`;
  const language = localeLabel.split(' ')[0] ?? localeLabel;
  // A refusal for a text saved meanwhile is shown as the conflict, once the text as it is now is read.
  const error = conflict?.error ?? (isChangedSinceRead(save.error) ? null : (toUiError(save.error) ?? toUiError(preview.error)));
  const changedElsewhere = useChangedElsewhere({
    record: 'template',
    id: `${templateKey.key}/email/${locale}`,
    version: opened?.version ?? 0,
    isSaving: save.isPending,
    readVersion: async () => (await readCurrent())?.version ?? null,
  });
  const subjectError = fieldMessage(error, 'subject');

  /** The text as it is now, read again (null: not written, or not readable). */
  async function readCurrent() {
    const fresh = await queryClient.fetchQuery({ ...templatesQuery, staleTime: 0 }).catch(() => null);
    return fresh?.templates.find((t) => t.key === templateKey.key && t.locale === locale && t.channel === 'email') ?? null;
  }
  const bodyError = fieldMessage(error, 'body');

  /** Someone else saved the text: read it as it is now and put this admin's text over it in the form, unsaved. */
  async function showConflict(from: MessageTemplate | null, wanted: Text, message: string) {
    const current = await readCurrent();
    save.reset();
    if (!current) {
      setConflict({ error: { message, fields: [] }, current: null });
      return;
    }
    const { form, clashes } = rebaseChange(TEXT_FIELDS, textOf(from), wanted, textOf(current));
    setSubject(form.subject);
    setBody(form.body);
    setOpened(current);
    const fields = clashes.map((clash) => ({
      path: clash.field,
      message:
        clash.field === 'subject'
          ? `Subject is now “${current.subject}”; the form keeps yours, “${wanted.subject}”. Save again to put yours over it, or change it.`
          : `${FIELD_LABELS[clash.field]} was changed too: it is shown as it is now below; the form keeps yours. Save again to put yours over it, or change it.`,
    }));
    setConflict({ error: { message, fields }, current });
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.isPending) return;
    preview.reset();
    const from = opened;
    const wanted = { subject, body };
    setConflict(null);
    // From the version this form shows: a text someone else saved since is refused rather than silently replaced.
    save.mutate(
      { key: templateKey.key, locale, ...wanted, version: from?.version ?? 0 },
      {
        onSuccess: (saved) => {
          setOpened(saved);
          onSaved(`${localeLabel} “${templateKey.purpose}” saved.`);
        },
        onError: (refusal) => {
          if (isChangedSinceRead(refusal)) void showConflict(from, wanted, refusal.message);
        },
      },
    );
  }

  return (
    <form onSubmit={submit} noValidate className="form template" aria-label={`${templateKey.purpose}, ${localeLabel}`} data-testid="template-form" data-locale={locale}>
      <h3>{localeLabel}</h3>
      {!opened && <p className="hint">Not written yet: people who chose this language get the English one.</p>}
      <ErrorSummary error={error} fieldIds={{ subject: `${id}-subject`, body: `${id}-body` }} />
      <ChangedElsewhereNotice changed={changedElsewhere} what={`The ${language} text`} onShowNow={(sentence) => void showConflict(opened, { subject, body }, sentence)} />
      {conflict?.current && (
        <AsItIsNow
          heading={`The ${language} text as it is now`}
          facts={[
            { term: 'Subject', value: conflict.current.subject, lang },
            { term: 'Message', value: conflict.current.body, lang },
          ]}
          testId="template-now"
          isStacked
        />
      )}
      <div className={`field${subjectError ? ' field--error' : ''}`}>
        <label htmlFor={`${id}-subject`}>Subject</label>
        <InlineError id={`${id}-subject-error`} message={subjectError} />
        <input id={`${id}-subject`} type="text" lang={lang} value={subject} onChange={(e) => setSubject(e.target.value)} aria-invalid={subjectError ? true : undefined} />
      </div>
      <div className={`field${bodyError ? ' field--error' : ''}`}>
        <label htmlFor={`${id}-body`}>Message</label>
        <InlineError id={`${id}-body-error`} message={bodyError} />
        <textarea id={`${id}-body`} lang={lang} rows={8} value={body} onChange={(e) => setBody(e.target.value)} aria-invalid={bodyError ? true : undefined} />
      </div>
      <div className="actions">
        <button type="submit" className="button" aria-disabled={save.isPending} data-testid="template-save">
          {conflict ? `Save my ${language} text again` : `Save ${language}`}
        </button>{' '}
        <button
          type="button"
          className="button button--secondary"
          data-testid="template-preview"
          onClick={() => {
            save.reset();
            setConflict(null);
            preview.mutate({ key: templateKey.key, subject, body });
          }}
        >
          Preview
        </button>
      </div>
      {preview.data && (
        <div className="template-preview" role="status" data-testid="template-preview-result" lang={lang}>
          <p>
            <strong>Subject:</strong> {preview.data.subject}
          </p>
          {/* Plain text: a template is never rendered as HTML. */}
          <p className="msg__body">{preview.data.body}</p>
        </div>
      )}
    </form>
  );
}
