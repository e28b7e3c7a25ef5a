import type { Config } from './platform/config/config.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './capabilities/admin/forces.service.ts';
import { WEBHOOKS } from './capabilities/channels/registry.ts';
import { chatChannel } from './capabilities/channels/chat/chat.channel.ts';
import { emailChannel } from './capabilities/channels/email/email.channel.ts';
import { ROLE_PERMISSIONS } from './platform/auth/permissions.ts';

/** What the start banner is written from: the settings and what the process started. */
export type StartBannerInput = {
  config: Pick<Config, 'role' | 'port' | 'publicUrl' | 'dataDir' | 'emailSmtp' | 'seedDemo' | 'smtpUrl' | 'mailFolder' | 'demoFeederIntervalMs'>;
  engine: 'pglite' | 'postgres';
  /** Whether this process serves HTTP (the api and all roles). */
  servesHttp: boolean;
  /** Whether the demo units drive about in this process. */
  isFeederRunning: boolean;
};

/** The width of the first column of the endpoints, so the URLs line up. */
const LABEL_WIDTH = 34;

/**
 * Every address an integrator gives a provider or a partner system, read from the mounts the
 * webhooks are registered from (so a provider added there is listed here), with the chat widget,
 * the mailbox, the records system and vehicle tracking beside them. test/spine/start-banner.test.ts
 * holds the list to the routes the server registers.
 */
function endpointLines(base: string, input: StartBannerInput): string[] {
  const { config } = input;
  const lines: string[] = [];
  const row = (label: string, text: string) => lines.push(`  ${label.padEnd(LABEL_WIDTH)} ${text}`);
  let previous: string | null = null;
  for (const mount of WEBHOOKS) {
    const label = mount.adapter.label;
    row(label === previous ? '' : label, `${mount.carries}: ${mount.methods.join('/')} ${base}${mount.path}`);
    previous = label;
  }
  const widgetKey = config.seedDemo ? chatChannel.demoAccounts?.[0]?.config.widgetKey : undefined;
  row(chatChannel.label, `widget script: ${base}/chat/widget.js${widgetKey ? ` (data-widget-key="${widgetKey}")` : ''}`);
  row('', `chat page: ${base}/chat`);
  const mailbox = config.seedDemo ? emailChannel.demoAccounts?.[0]?.config.address : undefined;
  const forMailbox = mailbox ? ` for ${mailbox}` : '';
  if (config.emailSmtp) {
    row(emailChannel.label, `mail${forMailbox}: the SMTP listener on ${config.emailSmtp.host}:${config.emailSmtp.port} (its MX record or a forwarding rule)`);
  } else {
    row(emailChannel.label, `mail${forMailbox}: no listener; set EMAIL_SMTP_PORT, or connect the mailbox over IMAP`);
  }
  row('Records system', `case updates: POST ${base}/api/integrations/records/cases`);
  // Tracking posts with a tracking token of the force's (decision 0203); staff with the permission still may.
  const trackers = Object.entries(ROLE_PERMISSIONS).filter(([, permissions]) => permissions.includes('positions:ingest')).map(([role]) => role);
  row('Vehicle tracking', `unit positions: POST ${base}/api/units/positions (Bearer tracking token from ${base}/api/integrations/tracking/tokens, or signed in as ${trackers.join(' or ')})`);
  return lines;
}

/** What `bluelamp start` prints once it serves: where everything is, and the demo's sign-ins. */
export function startBanner(input: StartBannerInput): string[] {
  const { config } = input;
  const base = (config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
  const lines = ['', `Bluelamp is running (role: ${config.role}, database: ${input.engine === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL'})`];
  if (input.servesHttp) {
    lines.push(
      `  Public portal:  ${base}/`,
      `  Staff console:  ${base}/console/`,
      `  API (OpenAPI):  ${base}/api/openapi.json`,
      `  Health:         ${base}/healthz  ${base}/readyz`,
      '',
      'Addresses to give providers and partner systems (docs/channels/):',
      ...endpointLines(base, input),
    );
  }
  if (config.seedDemo) {
    lines.push('', `Demo logins for Demo Constabulary (password: ${DEMO_PASSWORD}):`);
    for (const account of DEMO_ACCOUNTS) lines.push(`  ${account.role.padEnd(22)} ${account.email}`);
    if (!config.smtpUrl && config.mailFolder) lines.push('', `No SMTP_URL set: outgoing email (one-time codes too) is written to ${config.mailFolder}, one .eml file a message.`);
    else if (!config.smtpUrl) lines.push('', 'No SMTP_URL set: outgoing email is held in the outbox (console → Outbox).');
    if (input.isFeederRunning) lines.push(`The demo units move every ${config.demoFeederIntervalMs / 1000} s (console → Dispatch; DEMO_FEEDER_INTERVAL_S=0 stops them).`);
  }
  return lines;
}
