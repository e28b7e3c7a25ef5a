import { z } from 'zod';
import { MAX_ATTACHMENT_BYTES, type OpenedAttachment } from '../channel.ts';
import { graphSendError } from './meta.graph.ts';

/**
 * Files people send to a WhatsApp Business number (decision 0104). The webhook names each by a
 * media id, with its SHA-256; the file is behind two calls with the number's token: `GET
 * /{media-id}?phone_number_id=…` on the Graph API answers `{messaging_product, url, mime_type,
 * sha256, file_size, id}` (Meta refuses a media id that is not that number's), and a GET of that
 * `url` (on lookaside.fbsbx.com, valid for five minutes) with the same Bearer header answers the
 * bytes. A link that has expired by the time it is used (401 or 404) is asked for again, once.
 */

/** How a WhatsApp media id is kept in place of a link (`attachments.url`), until it is downloaded. */
const REFERENCE_PREFIX = 'whatsapp-media:';
const MEDIA_HOST = 'lookaside.fbsbx.com';

/** Whether a stored attachment's link is a WhatsApp media id's reference. */
export const isWhatsAppMediaReference = (url: string): boolean => url.startsWith(REFERENCE_PREFIX);

/** The reference an attachment of this media id is stored under. */
export const whatsAppMediaReference = (mediaId: string): string => `${REFERENCE_PREFIX}${mediaId}`;

/**
 * The kinds of file WhatsApp carries (Meta's supported media types: audio, documents, images,
 * stickers, video), and `application/zip`, which is what the first bytes of a Word, Excel or
 * PowerPoint file are. Anything else is refused, whatever it is called.
 */
export const WHATSAPP_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'audio/aac',
  'audio/amr',
  'audio/mpeg',
  'audio/mp4',
  'audio/ogg',
  'text/plain',
  'application/pdf',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/zip',
  'image/jpeg',
  'image/png',
  'image/webp',
  'video/mp4',
  'video/3gpp',
  'video/3gp',
]);

/**
 * A SHA-256 as hex, from the hex or base64 Meta gives (its webhooks have carried both); null when
 * it is neither.
 */
export function sha256Hex(value: string | undefined): string | null {
  if (!value) return null;
  if (/^[0-9a-f]{64}$/i.test(value)) return value.toLowerCase();
  if (!/^[A-Za-z0-9+/]{43}=?$/.test(value)) return null;
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === 32 ? bytes.toString('hex') : null;
}

const mediaUrlSchema = z.looseObject({
  url: z.url({ protocol: /^https?$/ }),
  mime_type: z.string().max(200),
  sha256: z.string().max(200),
  file_size: z.union([z.number(), z.string().regex(/^\d{1,15}$/)]).transform(Number),
  id: z.string().max(128).optional(),
});

export type WhatsAppMediaAccount = { phoneNumberId: string; accessToken: string; apiBaseUrl: string };

type Refusal = { refusal: string; retryable?: boolean };

/**
 * Graph API errors that say the account's token or its permissions are at fault, not the file:
 * 190 (the token is invalid or has expired), 10 and 200–299 (a permission the app lacks), or a
 * 401. Mended by reconnecting the account, after which the file can be tried again.
 */
function isAccountAtFault(status: number, body: unknown): boolean {
  const error = typeof body === 'object' && body !== null && 'error' in body ? body.error : null;
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number' ? error.code : null;
  return status === 401 || code === 190 || code === 10 || (code !== null && code >= 200 && code <= 299);
}
type MediaLink = { url: string; mimeType: string; sha256: string | null; fileSize: number };

async function readJson(response: Response): Promise<unknown> {
  try {
    return JSON.parse(await response.text());
  } catch {
    return null; // a proxy's HTML error page: the status alone decides
  }
}

/** Asks the Graph API for the file's short-lived link, as the number (never another's token). */
async function lookUpMedia(mediaId: string, account: WhatsAppMediaAccount, fetcher: typeof fetch): Promise<MediaLink | Refusal> {
  const base = account.apiBaseUrl.replace(/\/+$/, '');
  const url = `${base}/${encodeURIComponent(mediaId)}?phone_number_id=${encodeURIComponent(account.phoneNumberId)}`;
  // The token goes in a header, never in a URL: it must not land in a log.
  const response = await fetcher(url, { headers: { authorization: `Bearer ${account.accessToken}` } });
  const json = await readJson(response);
  if (!response.ok) {
    const error = graphSendError(response.status, json);
    if (isAccountAtFault(response.status, json)) return { refusal: `WhatsApp would not give the file to this account (${error.message}); reconnect the account, then try again`, retryable: true };
    if (error.isPermanent) return { refusal: `WhatsApp would not give the file: ${error.message}` };
    throw new Error(`the Graph API's media look-up failed: ${error.message}`);
  }
  const parsed = mediaUrlSchema.safeParse(json);
  if (!parsed.success) throw new Error(`the Graph API's media look-up answered ${response.status} without a link to the file`);
  const { url: link, mime_type: mimeType, sha256, file_size: fileSize } = parsed.data;
  return { url: link, mimeType: mimeType.split(';')[0]?.trim().toLowerCase() ?? '', sha256: sha256Hex(sha256), fileSize };
}

/** Whether the number's token may go to this link: Meta's media host, or the configured Graph API's own (a simulator). */
function isMetaLink(link: string, apiBaseUrl: string): boolean {
  const url = new URL(link);
  return url.hostname === MEDIA_HOST || url.origin === new URL(apiBaseUrl).origin;
}

/** What stops a file before it is downloaded: a kind WhatsApp does not carry, a size past what is kept, no hash to check. */
function refusalOf(link: MediaLink, apiBaseUrl: string): string | null {
  if (!WHATSAPP_MEDIA_TYPES.has(link.mimeType)) return `WhatsApp gave it as ${link.mimeType || 'no type'}, which is not a kind of file WhatsApp carries`;
  if (link.fileSize > MAX_ATTACHMENT_BYTES) return `it is larger than 10 MB (${link.fileSize} bytes, WhatsApp says), the most kept of a file`;
  if (link.sha256 === null) return 'WhatsApp gave no SHA-256 for it, so it could not be checked';
  if (!isMetaLink(link.url, apiBaseUrl)) return `WhatsApp's link to it is not on ${MEDIA_HOST}, so the number's token was not sent there`;
  return null;
}

/**
 * Opens the file a stored WhatsApp media reference names: the look-up, then the download, each
 * with the number's token, through the outbound guard; one fresh link if the first has expired.
 * A refusal is for good; a Graph API or link that is down throws, to be tried again later.
 */
export async function openWhatsAppMedia(reference: string, account: WhatsAppMediaAccount, fetcher: typeof fetch): Promise<OpenedAttachment> {
  const mediaId = reference.startsWith(REFERENCE_PREFIX) ? reference.slice(REFERENCE_PREFIX.length) : '';
  if (!/^\d{1,64}$/.test(mediaId)) return { refusal: 'it is not named by a WhatsApp media id' };
  for (let attempt = 1; ; attempt += 1) {
    const link = await lookUpMedia(mediaId, account, fetcher);
    if ('refusal' in link) return link;
    const refusal = refusalOf(link, account.apiBaseUrl);
    if (refusal) return { refusal };
    const response = await fetcher(link.url, { headers: { authorization: `Bearer ${account.accessToken}` } });
    if (response.ok) return { response, sha256s: link.sha256 ? [link.sha256] : [], allowedTypes: WHATSAPP_MEDIA_TYPES };
    await response.body?.cancel();
    // The link lives five minutes: one that has expired answers 401 or 404, and a fresh one is asked for once.
    const hasExpired = response.status === 401 || response.status === 404;
    if (!hasExpired || attempt === 2) throw new Error(`WhatsApp's link to the file answered ${response.status}`);
  }
}
