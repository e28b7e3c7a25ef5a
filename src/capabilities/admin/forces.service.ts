import { sql } from 'kysely';
import { enterForce, withSystem, type Db, type Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { record } from '../../platform/events/recorder.ts';
import type { StaffRole } from '../../platform/auth/permissions.ts';
import { addMissingRulePacks, publishDefaultRuleSet, RULE_PACK_COUNT, RULE_PACK_EVENT } from '../triage/triage.service.ts';
import { DEFAULT_TEMPLATE_NAMES, seedDefaultJourneyRules, seedDefaultTemplates } from '../journeys/journeys.service.ts';
import { seedCaseCatalogues } from '../cases/cases.service.ts';
import { seedHelpArticles } from '../victim-portal/help-articles.service.ts';
import { seedDemoChannelTargets } from '../queue/channel-targets.service.ts';
import { ensureDefaultQueues } from '../queue/queues.service.ts';
import { ensureControlRoomDefaults } from '../incidents/control-room-lists.service.ts';
import type { Skill } from '../staff/staff.schema.ts';
import { insertStaff } from '../staff/staff.service.ts';
import { forceCreated } from './force.events.ts';

/** The demo logins, printed at start-up and listed in the README. Never created in production. */
export const DEMO_PASSWORD = 'demo-password';
export const DEMO_ACCOUNTS: { email: string; name: string; role: StaffRole; skills?: Skill[] }[] = [
  { email: 'handler@demo.police.uk', name: 'Sam Handler', role: 'call_handler', skills: ['control_room', 'domestic_abuse'] },
  { email: 'desk@demo.police.uk', name: 'Dee Desk', role: 'digital_desk_operator', skills: ['social_media', 'welsh'] },
  { email: 'dispatch@demo.police.uk', name: 'Dan Dispatch', role: 'dispatcher' },
  { email: 'supervisor@demo.police.uk', name: 'Sue Supervisor', role: 'supervisor', skills: ['control_room', 'domestic_abuse', 'social_media'] },
  { email: 'investigator@demo.police.uk', name: 'Ian Investigator', role: 'investigator' },
  { email: 'admin@demo.police.uk', name: 'Ada Admin', role: 'force_admin' },
];

export type ForceSpec = { slug: string; code: string; name: string };

/**
 * Adds whatever a working force lacks: its creation event, an active triage rule set (and any
 * triage rule pack shipped since), the journey templates and rules, the default queues with their
 * rules, the crime and outcome types cases are classified with, and the help articles of the
 * victim portal.
 * Safe to run again: each part is added only where missing. Runs in the caller's transaction, as the force.
 */
async function completeForceDefaults(tx: Tx, forceId: ForceId, clock: Clock, spec: ForceSpec): Promise<void> {
  const created = await tx.selectFrom('events').select('seq').where('force_id', '=', forceId).where('type', '=', 'force.created').limit(1).executeTakeFirst();
  if (!created) {
    record(tx, forceId, clock, forceCreated.of({ actor: { type: 'system', id: null }, subjectId: forceId, data: { slug: spec.slug, name: spec.name } }));
  }
  const ruleSet = await tx.selectFrom('triage_rule_sets').select('version').where('force_id', '=', forceId).limit(1).executeTakeFirst();
  if (!ruleSet) await publishDefaultRuleSet(tx, forceId, clock);
  else await addMissingRulePacks(tx, forceId, clock);
  await seedDefaultTemplates(tx, forceId);
  await seedDefaultJourneyRules(tx, forceId, clock);
  await ensureDefaultQueues(tx, forceId, clock);
  await seedCaseCatalogues(tx, forceId);
  await seedHelpArticles(tx, forceId, clock);
  await ensureControlRoomDefaults(tx, forceId, clock);
}

/**
 * Creates the force row if the slug is free and completes what the force needs, all in one
 * transaction as the owner then the force: the force and its defaults appear together or not at
 * all. The force row is locked first, so two processes doing this at once take turns.
 */
async function createOrCompleteForce(tx: Tx, clock: Clock, spec: ForceSpec): Promise<{ forceId: ForceId; isNew: boolean }> {
  const inserted = await tx
    .insertInto('forces')
    .values({ id: newId<ForceId>(), ...spec })
    .onConflict((oc) => oc.column('slug').doNothing())
    .returning('id')
    .executeTakeFirst();
  const row = await tx.selectFrom('forces').select(['id', 'slug', 'name']).where('slug', '=', spec.slug).forUpdate().executeTakeFirstOrThrow();
  const forceId = row.id as ForceId;
  await enterForce(tx, forceId);
  await completeForceDefaults(tx, forceId, clock, { slug: row.slug, code: spec.code, name: row.name });
  return { forceId, isNew: inserted !== undefined };
}

/** Creates a force with the default rules, templates and queues in one transaction, unless one with the slug exists. */
export async function createForce(db: Db, clock: Clock, spec: ForceSpec): Promise<{ forceId: ForceId; isNew: boolean }> {
  const existing = await withSystem(db, (tx) => tx.selectFrom('forces').select('id').where('slug', '=', spec.slug).executeTakeFirst());
  if (existing) return { forceId: existing.id as ForceId, isNew: false };
  return withSystem(db, (tx) => createOrCompleteForce(tx, clock, spec));
}

/**
 * Completes every force that lacks part of what it needs (a creation left half done by an older
 * version, or a database restored from such a copy). Forces that are complete are only read.
 * Returns the slugs of the forces it repaired.
 */
export async function completeAllForces(db: Db, clock: Clock): Promise<string[]> {
  const incomplete = await withSystem(db, (tx) =>
    tx
      .selectFrom('forces as f')
      .select(['f.id', 'f.slug', 'f.code', 'f.name'])
      .where((eb) =>
        eb.or([
          eb.not(eb.exists(eb.selectFrom('events as e').select('e.seq').whereRef('e.force_id', '=', 'f.id').where('e.type', '=', 'force.created'))),
          eb.not(eb.exists(eb.selectFrom('triage_rule_sets as r').select('r.version').whereRef('r.force_id', '=', 'f.id'))),
          // A rule pack (the Welsh rules) shipped after the force was created.
          eb(
            eb.selectFrom('events as p').select((s) => s.fn.countAll<number>().as('n')).whereRef('p.force_id', '=', 'f.id').where('p.type', '=', RULE_PACK_EVENT),
            '<',
            RULE_PACK_COUNT,
          ),
          // A default template shipped after the force was created (a code by text).
          eb(
            eb
              .selectFrom('message_templates as t')
              .select((s) => s.fn.countAll<number>().as('n'))
              .whereRef('t.force_id', '=', 'f.id')
              .where(sql<string>`t.key || '/' || t.channel || '/' || t.locale`, 'in', [...DEFAULT_TEMPLATE_NAMES]),
            '<',
            DEFAULT_TEMPLATE_NAMES.length,
          ),
          eb.not(eb.exists(eb.selectFrom('queues as q').select('q.id').whereRef('q.force_id', '=', 'f.id'))),
          eb.not(eb.exists(eb.selectFrom('crime_types as ct').select('ct.code').whereRef('ct.force_id', '=', 'f.id'))),
          eb.not(eb.exists(eb.selectFrom('help_articles as ha').select('ha.id').whereRef('ha.force_id', '=', 'f.id'))),
          // Response targets, breach reasons and incident types came with the control room's clocks.
          eb.not(eb.exists(eb.selectFrom('response_targets as rt').select('rt.grade').whereRef('rt.force_id', '=', 'f.id'))),
          eb.not(eb.exists(eb.selectFrom('incident_types as it').select('it.id').whereRef('it.force_id', '=', 'f.id'))),
        ]),
      )
      .orderBy('f.slug')
      .execute(),
  );
  for (const force of incomplete) {
    await withSystem(db, (tx) => createOrCompleteForce(tx, clock, { slug: force.slug, code: force.code, name: force.name }));
  }
  return incomplete.map((force) => force.slug);
}

/**
 * Seeds Demo Constabulary (the force, its defaults and one account per role) in one transaction;
 * on a later start, adds whatever an interrupted or older seed left out.
 */
export async function seedDemoForce(db: Db, clock: Clock): Promise<{ forceId: ForceId; isNew: boolean }> {
  const present = await withSystem(db, (tx) => tx.selectFrom('staff').select((eb) => eb.fn<string>('lower', ['email']).as('email')).execute());
  const taken = new Set(present.map((row) => row.email));
  const missing = DEMO_ACCOUNTS.filter((account) => !taken.has(account.email));
  // Hashing is slow on purpose, so it happens before the transaction and only for missing accounts.
  const hashes = await Promise.all(missing.map(() => hashPassword(DEMO_PASSWORD)));
  return withSystem(db, async (tx) => {
    const result = await createOrCompleteForce(tx, clock, { slug: 'demo', code: 'DEMO', name: 'Demo Constabulary' });
    await seedDemoChannelTargets(tx, result.forceId, clock);
    for (const [index, account] of missing.entries()) {
      const passwordHash = hashes[index] ?? (await hashPassword(DEMO_PASSWORD));
      // Another process may have added it since the read above; the staff row is locked by its unique index.
      const exists = await tx.selectFrom('staff').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', account.email)).executeTakeFirst();
      if (!exists) await insertStaff(tx, result.forceId, clock, { ...account, passwordHash });
    }
    return result;
  });
}
