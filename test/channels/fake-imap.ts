import { createServer, type AddressInfo, type Socket } from 'node:net';

// A stand-in IMAP server for one mailbox: RFC 3501's wire format, just enough of it for imapflow
// (CAPABILITY, LOGIN, SELECT, UID SEARCH, UID FETCH, UID STORE, LOGOUT), with the misbehaviours
// of real servers a test switches on. Dovecot tests the happy path where it is installed.

export type FakeMail = { uid: number; source: Buffer; seen: boolean };

export type FakeImapOptions = {
  /** On UID FETCH of this uid, `trickle` sends an untagged line every `trickleMs` and never the answer. */
  onFetch?: { uid: number; mode: 'trickle' };
  trickleMs?: number;
};

export type FakeImap = { port: number; mails: FakeMail[]; close(): Promise<void> };

/** Starts a fake IMAP server on a free port holding `mails` (their `seen` flags change as it is told). */
export async function startFakeImap(mails: FakeMail[], options: FakeImapOptions = {}): Promise<FakeImap> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const send = (line: string) => {
      if (!socket.destroyed) socket.write(`${line}\r\n`);
    };
    const answer = (tag: string, command: string, args: string) => {
      const uid = Number(args.split(' ')[1]);
      const index = mails.findIndex((mail) => mail.uid === uid);
      const mail = mails[index];
      if (command === 'CAPABILITY') {
        send('* CAPABILITY IMAP4rev1 AUTH=PLAIN');
      } else if (command === 'SELECT' || command === 'EXAMINE') {
        send(`* ${mails.length} EXISTS`);
        send('* OK [UIDVALIDITY 1] ok');
        send(`* OK [UIDNEXT ${Math.max(0, ...mails.map((m) => m.uid)) + 1}] ok`);
        return send(`${tag} OK [READ-WRITE] selected`);
      } else if (command === 'UID SEARCH') {
        send(`* SEARCH ${mails.filter((m) => !m.seen).map((m) => m.uid).join(' ')}`.trimEnd());
      } else if (command === 'UID FETCH' && mail) {
        if (options.onFetch?.uid === uid) {
          const timer = setInterval(() => send('* OK still working'), options.trickleMs ?? 1000);
          timers.add(timer);
          socket.on('close', () => clearInterval(timer));
          return;
        }
        socket.write(`* ${index + 1} FETCH (UID ${uid} RFC822.SIZE ${mail.source.length} BODY[] {${mail.source.length}}\r\n`);
        socket.write(Buffer.concat([mail.source, Buffer.from(')\r\n')]));
      } else if (command === 'UID STORE' && mail) {
        mail.seen = true;
        send(`* ${index + 1} FETCH (UID ${uid} FLAGS (\\Seen))`);
      } else if (command === 'LOGOUT') {
        send('* BYE bye');
        send(`${tag} OK logged out`);
        return socket.end();
      }
      send(`${tag} OK done`);
    };
    send('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] fake ready');
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (let at = buffer.indexOf('\r\n'); at >= 0; at = buffer.indexOf('\r\n')) {
        const [tag = '', first = '', ...rest] = buffer.slice(0, at).split(' ');
        buffer = buffer.slice(at + 2);
        const isUid = first.toUpperCase() === 'UID';
        const command = isUid ? `UID ${(rest[0] ?? '').toUpperCase()}` : first.toUpperCase();
        answer(tag, command, (isUid ? rest : [first, ...rest]).join(' '));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = address && typeof address === 'object' ? (address satisfies AddressInfo).port : 0;
  return {
    port,
    mails,
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
