import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { toUiError } from '../../api/errors.ts';
import type { MessageTemplate, MessageTemplateKey, TemplateLocale } from '../../api/types.ts';
import { ErrorSummary, InlineError, Loading, PageHeading, StatusMessage, fieldMessage, focusById } from '../../components.tsx';
import { templatesQuery, usePreviewTemplate, useSaveTemplate } from './admin-api.ts';
import { AdminNav } from './AdminNav.tsx';

const LOCALES: ReadonlyArray<{ locale: TemplateLocale; label: string; lang: string }> = [
  { locale: 'en', label: 'English', lang: 'en' },
  { locale: 'cy', label: 'Welsh (Cymraeg)', lang: 'cy' },
];

/**
 * The force's outbound messages, each in English and Welsh side by side: edit, preview with
 * made-up values, save. The person's language decides which one they get.
 */
export function TemplatesAdminScreen() {
  const templates = useQuery(templatesQuery);
  const [notice, setNotice] = useState<string | null>(null);
  const data = templates.data;
  return (
    <>
      <PageHeading title="Message templates">Message templates</PageHeading>
      <AdminNav current="templates" />
      <p>
        Each message exists in English and Welsh. Placeholders such as <code>{'{{reference}}'}</code> are filled when the message is sent.
      </p>
      <StatusMessage message={notice} id="templates-notice" />
      <ErrorSummary error={toUiError(templates.error)} focus={false} />
      {!data && templates.isPending && <Loading what="templates" />}
      {data?.keys.map((key) => (
        <section key={key.key} className="panel" aria-labelledby={`h-template-${key.key}`} data-testid="template-key" data-key={key.key}>
          <h2 id={`h-template-${key.key}`}>{key.purpose}</h2>
          <p className="hint">
            Placeholders: {key.placeholders.map((p) => `{{${p}}}`).join(', ')}
            {key.required.length > 0 && <> (must include {key.required.map((p) => `{{${p}}}`).join(', ')})</>}
          </p>
          <div className="template-pair">
            {LOCALES.map(({ locale, label, lang }) => (
              <TemplateForm
                key={locale}
                templateKey={key}
                locale={locale}
                localeLabel={label}
                lang={lang}
                template={data.templates.find((t) => t.key === key.key && t.locale === locale && t.channel === 'email')}
                onSaved={(message) => {
                  setNotice(message);
                  focusById('templates-notice');
                }}
              />
            ))}
          </div>
        </section>
      ))}
    </>
  );
}

function TemplateForm({
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
  const [subject, setSubject] = useState(template?.subject ?? '');
  const [body, setBody] = useState(template?.body ?? '');
  const id = `template-${templateKey.key.replace(/\./g, '-')}-${locale}`;
  const error = toUiError(save.error) ?? toUiError(preview.error);
  const subjectError = fieldMessage(error, 'subject');
  const bodyError = fieldMessage(error, 'body');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.isPending) return;
    preview.reset();
    save.mutate({ key: templateKey.key, locale, subject, body }, { onSuccess: () => onSaved(`${localeLabel} “${templateKey.purpose}” saved.`) });
  }

  return (
    <form onSubmit={submit} noValidate className="form template" aria-label={`${templateKey.purpose}, ${localeLabel}`} data-testid="template-form" data-locale={locale}>
      <h3>{localeLabel}</h3>
      {!template && <p className="hint">Not written yet: people who chose this language get the English one.</p>}
      <ErrorSummary error={error} fieldIds={{ subject: `${id}-subject`, body: `${id}-body` }} />
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
          Save {localeLabel.split(' ')[0]}
        </button>{' '}
        <button
          type="button"
          className="button button--secondary"
          data-testid="template-preview"
          onClick={() => {
            save.reset();
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
