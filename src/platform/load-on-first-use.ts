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
  /**
   * The library was found but failed as it loaded (it threw, or a file or dependency of it was
   * broken): Node keeps that failure for the life of the process, so only a restart clears it.
   */
  readonly isRestartNeeded: boolean;

  constructor(message: string, options: ErrorOptions & { isRestartNeeded?: boolean } = {}) {
    super(message, options);
    this.isRestartNeeded = options.isRestartNeeded ?? (options.cause instanceof ModuleLoadError && options.cause.isRestartNeeded);
  }
}

/**
 * A function that loads a module the first time it is called and hands the same module to every
 * call after, calls made while it loads included. `what` names the library for people (`the mail
 * parser (mailparser)`). A load that fails throws a `ModuleLoadError` that says what could not be
 * loaded and why; it is not kept, so the next call tries again. A library that was not found
 * loads once it is installed; one that was found and failed as it loaded never does: Node keeps
 * that failure and throws the very same error object at every import after (decision 0153). A
 * load that fails with the error of the load before is marked `isRestartNeeded`.
 */
export function loadOnFirstUse<T>(what: string, load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  let lastFailure: { error: unknown } | null = null;
  return () => {
    loading ??= load().then(
      (module) => {
        lastFailure = null;
        return module;
      },
      (error: unknown) => {
        loading = null;
        const isRestartNeeded = lastFailure?.error === error;
        lastFailure = { error };
        const reason = error instanceof Error ? error.message : String(error);
        const restart = isRestartNeeded ? '; Node keeps this failure until the process is restarted' : '';
        throw new ModuleLoadError(`${what} could not be loaded: ${reason}${restart}`, { cause: error, isRestartNeeded });
      },
    );
    return loading;
  };
}
