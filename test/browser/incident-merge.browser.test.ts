/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { MAP_ARGS, expectNoAxeViolations, startBrowserSuite } from './browser-kit.ts';
import { signIn, submitPublicReport } from '../helpers.ts';

type Incident = { id: string; reference: string };
type Session = Awaited<ReturnType<typeof signIn>>;

// Far from the demo force's seeded places: a street in Inverness, and one 300 m along it.
const HERE = { lat: 57.478, lon: -4.224 };
const ALONG = { lat: 57.4807, lon: -4.224 };

// A dispatcher merges a duplicate into the incident it duplicates (after the API refuses a merge
// into a resolved one), unlinks a contact linked by mistake, and links another from its screen.
describe('merging incidents and linking contacts, in a real browser', () => {
  let reports = 0;

  const api = async <T>(session: Session, method: 'POST', url: string, payload: object) => {
    const response = await suite.app.inject({ method, url, headers: session.headers, payload });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json<T>();
  };
  const report = async (whatHappened: string) => {
    reports += 1;
    const { contactId } = await submitPublicReport(suite.app.deps, suite.app.demoForceId, { submissionId: `browser-merge-${reports}`, whatHappened, where: 'Academy Street, Inverness', when: 'just now', name: null, email: `merge${reports}@example.org` });
    return String(contactId);
  };

  const suite = startBrowserSuite({ args: MAP_ARGS });

  it('merges a duplicate into the incident nearby, unlinks a contact from it and links another by reference', async () => {
    const handler = await signIn(suite.app, 'handler@demo.police.uk');
    const supervisor = await signIn(suite.app, 'supervisor@demo.police.uk');
    const dispatcherApi = await signIn(suite.app, 'dispatch@demo.police.uk');
    const [first, second, third] = [await report('Someone climbing into the house opposite'), await report('Man in my neighbour’s garden with a torch'), await report('Heard glass breaking on Academy Street')];
    const create = async (payload: object) => (await api<{ incident: Incident }>(handler, 'POST', '/api/incidents', { type: 'crime_burglary', grade: 'priority', ...payload })).incident;
    const kept = await create({ summary: 'Burglary in progress', contactIds: [first], ...HERE });
    const duplicate = await create({ summary: 'Intruder in a garden', contactIds: [second], ...ALONG });
    // A job done: resolved, still live, but it can take no merge.
    const resolved = await create({ summary: 'Earlier break-in', ...HERE });
    const unit = await api<{ unit: { id: string } }>(supervisor, 'POST', '/api/units', { callSign: 'IV01', type: 'response' });
    await api(dispatcherApi, 'POST', `/api/incidents/${resolved.id}/dispatch`, { unitIds: [unit.unit.id] });
    await api(dispatcherApi, 'POST', `/api/incidents/${resolved.id}/status`, { move: 'resolve' });

    const page = await suite.openConsole('dispatcher');
    await page.goto(`${suite.base}/console/#/incidents/${duplicate.id}`);
    const form = page.getByTestId('merge-incident');
    await form.getByLabel(new RegExp(`^${kept.reference}: Burglary in progress .*m away`)).waitFor();
    // Cancelling it instead points to the merge: a duplicate of a live incident is merged, and the
    // "duplicate" closing code says it is only for one whose incident has ended.
    const finish = page.getByTestId('finish-incident');
    await finish.getByLabel('What happened').selectOption('cancel');
    await finish.getByText(/A duplicate of a live incident is merged into it instead \(Merge into another incident, below\)/).waitFor();
    await finish.getByLabel('Why it is cancelled').selectOption('duplicate');
    await finish.getByText(/Only for a duplicate of an incident already resolved or ended\. If the incident it duplicates is live, merge this one into it instead/).waitFor();
    await expectNoAxeViolations(page);
    await expect(form.getByLabel(new RegExp(`^${resolved.reference}:`)).count()).resolves.toBe(0);
    await page.getByTestId('merge-review').click();
    await page.getByText('Choose the incident this one duplicates').first().waitFor();
    await expectNoAxeViolations(page);

    // The API's refusal is shown as the console shows every refusal.
    await form.getByLabel('Another incident, by its reference').check();
    await page.getByLabel('Reference of the incident it duplicates').fill(resolved.reference.toLowerCase());
    await page.getByTestId('merge-review').click();
    await page.getByTestId('merge-yes').click();
    const refusal = page.locator('.error-summary');
    await refusal.filter({ hasText: /this incident is resolved/ }).waitFor();
    await expectNoAxeViolations(page);

    await form.getByLabel(new RegExp(`^${kept.reference}:`)).check();
    await page.getByTestId('merge-review').click();
    const confirm = page.getByTestId('merge-confirm');
    await confirm.waitFor();
    await expect(confirm.textContent()).resolves.toContain(`Merge ${duplicate.reference} into ${kept.reference}? ${duplicate.reference} is cancelled as merged and its contacts move to ${kept.reference}.`);
    await expectNoAxeViolations(page);
    await page.getByTestId('merge-yes').click();
    await page.getByRole('status').filter({ hasText: `${duplicate.reference} merged into ${kept.reference}.` }).waitFor();
    const mergedInto = page.getByTestId('merged-into');
    await mergedInto.getByRole('link', { name: kept.reference }).waitFor();
    await expect(page.getByTestId('incident-details').textContent()).resolves.toContain('Cancelled: Merged into another incident');
    await page.getByTestId('incident-history').getByText(`Cancelled: Merged into another incident (${kept.reference})`).waitFor();
    await expect.poll(() => page.getByTestId('merge-incident').count()).toBe(0);
    await expectNoAxeViolations(page);

    // On to the incident kept: both contacts are there; the second was linked by mistake.
    await mergedInto.getByRole('link', { name: kept.reference }).click();
    const linked = page.getByTestId('linked-contacts');
    await linked.getByTestId('linked-contact').nth(1).waitFor();
    const secondRow = linked.getByTestId('linked-contact').filter({ has: page.locator(`a[href$="${second}"]`) });
    const secondReference = await secondRow.getAttribute('data-reference');
    await secondRow.getByTestId('unlink-contact').click();
    await page.getByTestId('unlink-yes').click();
    await page.getByText('Say why the contact is unlinked').first().waitFor();
    await expectNoAxeViolations(page);
    await page.getByLabel(`Why unlink ${secondReference ?? ''}?`).fill('A different break-in, two streets away');
    await page.getByTestId('unlink-yes').click();
    await page.getByRole('status').filter({ hasText: `${secondReference ?? ''} unlinked from ${kept.reference}.` }).waitFor();
    await expect.poll(() => linked.getByTestId('linked-contact').count()).toBe(1);
    await page.getByTestId('unlinked-contacts').getByText(secondReference ?? '').waitFor();
    await expectNoAxeViolations(page);

    // A contact on no incident is linked from its own screen, by the reference.
    await page.goto(`${suite.base}/console/#/contacts/${third}`);
    const link = page.getByTestId('link-to-incident');
    await link.waitFor();
    await link.getByLabel('Or its reference').fill('INC-999999');
    await page.getByTestId('link-to-incident-submit').click();
    await page.getByText('INC-999999 is not a live incident: it has ended or does not exist').first().waitFor();
    await expectNoAxeViolations(page);
    await link.getByLabel('Or its reference').fill(kept.reference);
    await page.getByTestId('link-to-incident-submit').click();
    await page.getByRole('status').filter({ hasText: `Contact linked to incident ${kept.reference}.` }).waitFor();
    await page.getByTestId('contact-incident').filter({ hasText: `On incident ${kept.reference}` }).waitFor();
    await expect.poll(() => page.getByTestId('link-to-incident').count()).toBe(0);
    await expectNoAxeViolations(page);
    await page.close();

    // Whoever may only read incidents sees the links, and nothing that changes them.
    const reader = await suite.openConsole('investigator');
    await reader.goto(`${suite.base}/console/#/incidents/${kept.id}`);
    await reader.getByTestId('linked-contacts').getByTestId('linked-contact').nth(1).waitFor();
    await expect(reader.getByTestId('unlink-contact').count()).resolves.toBe(0);
    await expect(reader.getByTestId('merge-incident').count()).resolves.toBe(0);
    await reader.goto(`${suite.base}/console/#/contacts/${second}`);
    await reader.getByText('Not on an incident.').waitFor();
    await expect(reader.getByTestId('link-to-incident').count()).resolves.toBe(0);
    await reader.close();
  });
});
