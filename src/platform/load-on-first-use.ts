// A library a force may never use (a provider's client, a mail parser, an IMAP or SMTP library) is
// loaded when it is first needed, not when the process starts: loading each costs tens to hundreds
// of milliseconds of every start, every command and every child process, and most forces use few
// of them (decision 0148). Where it loads, the caller waits for it once; every later call has it.

/**
 * A library that failed to load: the installation's fault, not the request's, so callers pass it
 * on as it is (never as a payload or provider error) and the work is tried again later.
 */
export class ModuleLoadError extends Error {
  override name = 'ModuleLoadError';
}

/**
 * A function that loads a module the first time it is called and hands the same module to every
 * call after, calls made while it loads included. `what` names the library for people (`the mail
 * parser (mailparser)`). A load that fails throws a `ModuleLoadError` that says what could not be
 * loaded and why; it is not kept, so the next call tries again.
 */
export function loadOnFirstUse<T>(what: string, load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = null;
      throw new ModuleLoadError(`${what} could not be loaded: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
    return loading;
  };
}
