// What one visitor may take of the server: frames per session and per address, and open sockets
// per session and per address. A socket's own budget is not enough, since anyone can open more
// sockets; these are counted across every chat socket of the process.

/** Frames one socket, and one session over all its sockets, may send in a window. */
export const FRAMES_PER_SESSION = 20;
/** Frames one address may send over all its sockets: a family or an office behind one address. */
export const FRAMES_PER_ADDRESS = 200;
export const FRAME_WINDOW_MS = 10_000;
/** Open sockets of one session (a tab and a copy or two of it); a new one closes the oldest. */
export const SOCKETS_PER_SESSION = 3;
/** Open sockets from one address; another one is closed at once. */
export const SOCKETS_PER_ADDRESS = 50;
/** Keys a budget remembers before it forgets the quiet ones. */
const MAX_KEYS = 50_000;

/** Frame times in a sliding window, per key. */
export class FrameBudget {
  private readonly times = new Map<string, number[]>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one frame for the key at `now` (ms); false when the key is over its budget. */
  take(key: string, now: number): boolean {
    let times = this.times.get(key);
    if (!times) {
      if (this.times.size >= MAX_KEYS) this.forgetQuiet(now);
      times = [];
      this.times.set(key, times);
    }
    while (times.length > 0 && now - (times[0] ?? now) >= this.windowMs) times.shift();
    // Never more than one past the budget: a key that keeps flooding holds no more memory.
    if (times.length > this.max) return false;
    times.push(now);
    return times.length <= this.max;
  }

  private forgetQuiet(now: number): void {
    for (const [key, times] of this.times) if (now - (times.at(-1) ?? now) >= this.windowMs) this.times.delete(key);
    if (this.times.size >= MAX_KEYS) this.times.clear();
  }
}

/** What the registry needs of a socket: a way to close it. */
export type ClosableSocket = { close(code: number, reason: string): void };

/** Close code for the oldest socket of a session that a newer one replaced. */
export const REPLACED_CLOSE_CODE = 4409;

/** Every chat socket of this process, by address and by session, with their frame budgets. */
export class ChatSockets {
  private readonly byAddress = new Map<string, Set<ClosableSocket>>();
  private readonly bySession = new Map<string, ClosableSocket[]>();
  private readonly sessionFrames = new FrameBudget(FRAMES_PER_SESSION, FRAME_WINDOW_MS);
  private readonly addressFrames = new FrameBudget(FRAMES_PER_ADDRESS, FRAME_WINDOW_MS);

  /** Counts a socket from an address; false (and not counted) when the address has its share open. */
  admit(address: string, socket: ClosableSocket): boolean {
    const open = this.byAddress.get(address) ?? new Set<ClosableSocket>();
    if (open.size >= SOCKETS_PER_ADDRESS) return false;
    open.add(socket);
    this.byAddress.set(address, open);
    return true;
  }

  /** Counts an authenticated socket of a session, closing the oldest beyond the limit. */
  join(sessionId: string, socket: ClosableSocket): void {
    const open = [...(this.bySession.get(sessionId) ?? []), socket];
    const replaced = open.splice(0, Math.max(0, open.length - SOCKETS_PER_SESSION));
    this.bySession.set(sessionId, open);
    for (const oldest of replaced) oldest.close(REPLACED_CLOSE_CODE, 'the chat was opened in another window');
  }

  /** Forgets a closed socket. */
  leave(address: string, sessionId: string | null, socket: ClosableSocket): void {
    const fromAddress = this.byAddress.get(address);
    fromAddress?.delete(socket);
    if (fromAddress?.size === 0) this.byAddress.delete(address);
    if (sessionId === null) return;
    const open = (this.bySession.get(sessionId) ?? []).filter((other) => other !== socket);
    if (open.length === 0) this.bySession.delete(sessionId);
    else this.bySession.set(sessionId, open);
  }

  /** Counts a frame against its address and, once known, its session; false when either is over budget. */
  takeFrame(address: string, sessionId: string | null, now: number): boolean {
    const isAddressWithin = this.addressFrames.take(address, now);
    const isSessionWithin = sessionId === null || this.sessionFrames.take(sessionId, now);
    return isAddressWithin && isSessionWithin;
  }
}
