import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// Meta's Graph API media look-up and lookaside download, as Meta documents them, served locally:
// `GET /v21.0/{media-id}?phone_number_id=…` answers `{messaging_product, url, mime_type, sha256,
// file_size, id}` for the number's own media and token, and a GET of that `url` with the same
// Bearer token answers the bytes.

const hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** One file as the Graph API knows it: its bytes, and what the look-up says of them. */
export type MediaFile = { bytes: Buffer; mimeType: string; sha256?: string; fileSize?: number; expiredLinks?: number; owner: string };
type Seen = { path: string; authorization: string | undefined };

/** The Graph API's media look-up and the lookaside download, as Meta documents them. */
export async function startGraph(tokens: Record<string, string>) {
  const files = new Map<string, MediaFile>();
  const seen: Seen[] = [];
  const issued = new Map<string, number>();
  let isDown = false;
  let isTokenRevoked = false;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://graph.test');
    seen.push({ path: `${url.pathname}${url.search}`, authorization: req.headers.authorization });
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const lookUp = /^\/v21\.0\/(\d+)$/.exec(url.pathname);
    if (lookUp?.[1]) {
      if (isDown) return json(503, { error: { message: 'Service temporarily unavailable', type: 'OAuthException', code: 2, is_transient: true } });
      if (isTokenRevoked) {
        return json(401, { error: { message: 'Error validating access token: The session has been invalidated because the user changed their password.', type: 'OAuthException', code: 190, error_subcode: 460 } });
      }
      const file = files.get(lookUp[1]);
      const numberId = url.searchParams.get('phone_number_id') ?? '';
      // Meta checks the media belongs to the number named, and the token is that number's.
      if (!file || file.owner !== numberId || req.headers.authorization !== `Bearer ${tokens[numberId]}`) {
        return json(400, { error: { message: 'Unsupported get request.', type: 'GraphMethodException', code: 100, error_subcode: 33 } });
      }
      const n = (issued.get(lookUp[1]) ?? 0) + 1;
      issued.set(lookUp[1], n);
      const port = (server.address() as AddressInfo).port;
      return json(200, {
        messaging_product: 'whatsapp',
        url: `http://127.0.0.1:${port}/whatsapp_business/attachments/?mid=${lookUp[1]}&ext=${n}&hash=ARm${n}`,
        mime_type: file.mimeType,
        sha256: file.sha256 ?? hex(file.bytes),
        file_size: file.fileSize ?? file.bytes.length,
        id: lookUp[1],
      });
    }
    if (url.pathname === '/whatsapp_business/attachments/') {
      const mediaId = url.searchParams.get('mid') ?? '';
      const file = files.get(mediaId);
      if (!file || req.headers.authorization !== `Bearer ${tokens[file.owner]}`) return json(401, { error: { message: 'Invalid OAuth access token', code: 190 } });
      // The first links handed out have expired by the time they are used.
      if (Number(url.searchParams.get('ext')) <= (file.expiredLinks ?? 0)) return res.writeHead(404).end();
      return res.writeHead(200, { 'content-type': file.mimeType, 'content-length': String(file.bytes.length) }).end(file.bytes);
    }
    return json(404, { error: { message: 'Unknown path', code: 803 } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    files,
    seen,
    setDown(down: boolean) {
      isDown = down;
    },
    /** Meta's answer once the system user's token is revoked: 401, OAuthException code 190. */
    setTokenRevoked(revoked: boolean) {
      isTokenRevoked = revoked;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}


/**
 * Meta's documented image webhook (the fixture `whatsapp-image.json`) for one new message: sent to
 * the file's own number, naming its media id, type and the hash the webhook gives (base64).
 */
export function imageWebhookBody(file: MediaFile, message: { mediaId: string; messageId: string; from: string; sha256: string }): string {
  const json = JSON.parse(readFileSync(new URL('../../src/capabilities/channels/meta/fixtures/whatsapp-image.json', import.meta.url), 'utf8')) as {
    entry: { changes: { value: { metadata: Record<string, string>; messages: { id: string; from: string; image: Record<string, string> }[] } }[] }[];
  };
  const value = json.entry[0]!.changes[0]!.value;
  value.metadata.phone_number_id = file.owner;
  const sent = value.messages[0]!;
  sent.id = message.messageId;
  sent.from = message.from;
  sent.image = { ...sent.image, id: message.mediaId, mime_type: file.mimeType, sha256: message.sha256 };
  return JSON.stringify(json);
}
