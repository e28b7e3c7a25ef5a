import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { toUiError } from '../../api/errors.ts';
import type { TemplateLocale } from '../../api/types.ts';
import { ErrorSummary, Loading, PageHeading, StatusMessage, focusById } from '../../components.tsx';
import { templatesQuery } from './admin-api.ts';
import { TemplateForm } from './TemplateForm.tsx';
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
