// Where the console opens for someone who arrives with no address: the queue for most, but an
// investigator's working day is their cases. Only an empty address is changed, so a link to a
// contact or a case still opens what it names.

/** Sets the address to the person's landing screen when none is given; returns whether it did. */
export function landingHash(user: { role: string; permissions: readonly string[] }): boolean {
  const hash = window.location.hash.replace(/^#/, '').replace(/\/+$/, '');
  if (hash !== '') return false;
  if (user.role !== 'investigator' || !user.permissions.includes('cases:read')) return false;
  // replaceState, not a hash assignment: no extra history entry, and no hashchange to race the router.
  window.history.replaceState(null, '', '#/cases');
  return true;
}
