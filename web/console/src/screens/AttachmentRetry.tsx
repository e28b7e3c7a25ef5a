// The "Try again" of a file the provider could not be reached for (decision 0106). Only for staff
// who may reply to the contact; a file a check refused has no button: trying again would change
// nothing. The status line says what happened, for everyone and for screen readers.
import { useRetryAttachment } from '../api/contact-mutations.ts';
import { toUiError } from '../api/errors.ts';

export function RetryAttachmentButton({ contactId, attachmentId, name, onStatus }: { contactId: string; attachmentId: string; name: string; onStatus: (status: string) => void }) {
  const retry = useRetryAttachment(contactId);
  const busy = retry.isPending;
  return (
    <button
      type="button"
      className="button button--small button--secondary"
      data-testid="attachment-retry"
      aria-disabled={busy}
      onClick={() => {
        if (busy) return;
        onStatus(`Asking the provider for ${name} again…`);
        retry.mutate(attachmentId, {
          onSuccess: () => onStatus(`Trying ${name} again: it is being fetched from the provider.`),
          onError: (error) => onStatus(`${name} could not be tried again: ${toUiError(error)?.message ?? 'something went wrong'}`),
        });
      }}
    >
      Try again<span className="visually-hidden"> to download {name}</span>
    </button>
  );
}
