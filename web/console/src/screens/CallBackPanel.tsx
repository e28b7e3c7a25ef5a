// Calls and callbacks are answered by calling the person back, never in writing: the number to
// call, the note left for whoever calls, and (on a call) the way to ask for a callback.
import type { ContactDetail, StaffUser } from '../api/types.ts';
import { numberToCall, telHref } from '../call-back.ts';
import { hasPermission } from '../permissions.ts';
import { contactHref } from '../router.ts';

export function CallBackPanel({ detail, user }: { detail: ContactDetail; user: StaffUser }) {
  const number = numberToCall(detail);
  const callback = detail.routing.callback;
  const isCallback = detail.contact.channel === 'callback';
  const open = detail.contact.status === 'open';
  return (
    <section aria-labelledby="h-call-back" className="panel" data-testid="call-back-panel">
      <h2 id="h-call-back">Call back</h2>
      <p>{isCallback ? 'Call the person on this number.' : 'A call is answered by calling the person back; it cannot be answered in writing.'}</p>
      <dl className="facts">
        <div>
          <dt>Number to call</dt>
          <dd data-testid="number-to-call">
            {number ? (
              <a href={telHref(number)} className="mono">
                {number}
              </a>
            ) : (
              <span className="muted">No number known</span>
            )}
          </dd>
        </div>
        {callback?.forContactId && callback.forReference && (
          <div>
            <dt>About</dt>
            <dd>
              <a href={contactHref(callback.forContactId)} className="ref">
                {callback.forReference}
              </a>
            </dd>
          </div>
        )}
      </dl>
      {callback?.note && (
        <div className="callback-note" data-testid="callback-note">
          <h3>Note for whoever calls</h3>
          <p className="msg__body">{callback.note}</p>
        </div>
      )}
      {!isCallback && open && hasPermission(user, 'contacts:reply') && (
        <p>
          To have someone call later, use <a href="#h-routing-callback">Request a callback</a>.
        </p>
      )}
    </section>
  );
}
