/**
 * Group commit: requests that arrive while a transaction of the same key is being written wait,
 * and the next transaction writes all of them at once. Each caller's promise settles only after
 * the transaction that holds its item has committed (or failed), so an acknowledgement still
 * means committed; what is saved is one transaction, one commit flush and one turn at the
 * serialising locks (a force's chain head, its reference counter) per group instead of per item.
 *
 * There is no timer: a lone request starts its transaction at once (after the current turn of the
 * event loop, so requests that arrived together go together), and a group forms only while one
 * is already being written. Latency at low load is unchanged.
 */
export type GroupCommitOptions<I, O> = {
  /** Writes the items in one transaction; resolves with one result per item, in order, after commit. */
  writeGroup(key: string, items: readonly I[]): Promise<O[]>;
  /** The most items one transaction takes. */
  maxGroupSize: number;
};

type Waiting<I, O> = { item: I; resolve: (value: O) => void; reject: (error: unknown) => void };

export class GroupCommit<I, O> {
  private readonly waiting = new Map<string, Waiting<I, O>[]>();
  private readonly writing = new Set<string>();

  constructor(private readonly options: GroupCommitOptions<I, O>) {}

  /**
   * Queues one item under `key` and settles with its own result once its transaction commits. If
   * a group fails, each of its items is written again alone, so one bad item fails only itself.
   */
  submit(key: string, item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const queue = this.waiting.get(key);
      if (queue) queue.push({ item, resolve, reject });
      else this.waiting.set(key, [{ item, resolve, reject }]);
      if (!this.writing.has(key)) {
        this.writing.add(key);
        setImmediate(() => void this.drain(key));
      }
    });
  }

  /** Items waiting for a transaction, across keys (for tests and metrics). */
  get waitingCount(): number {
    let count = 0;
    for (const queue of this.waiting.values()) count += queue.length;
    return count;
  }

  private async drain(key: string): Promise<void> {
    try {
      for (;;) {
        const queue = this.waiting.get(key);
        if (!queue || queue.length === 0) break;
        const group = queue.splice(0, this.options.maxGroupSize);
        if (queue.length === 0) this.waiting.delete(key);
        await this.writeOrSplit(key, group);
      }
    } finally {
      this.writing.delete(key);
      // Something queued between the last check and now starts its own drain.
      if ((this.waiting.get(key)?.length ?? 0) > 0) {
        this.writing.add(key);
        setImmediate(() => void this.drain(key));
      }
    }
  }

  private async writeOrSplit(key: string, group: Waiting<I, O>[]): Promise<void> {
    try {
      const results = await this.options.writeGroup(
        key,
        group.map((waiting) => waiting.item),
      );
      if (results.length !== group.length) throw new Error(`a group of ${group.length} gave ${results.length} results`);
      // Checked just above: one result per item, so every index holds one.
      group.forEach((waiting, index) => waiting.resolve(results[index] as O));
      return;
    } catch (error) {
      if (group.length === 1) {
        group[0]?.reject(error);
        return;
      }
    }
    // The group rolled back as a whole: nothing of it was stored. Each item alone, one at a time.
    for (const waiting of group) {
      try {
        const [result] = await this.options.writeGroup(key, [waiting.item]);
        if (result === undefined) throw new Error('an item gave no result');
        waiting.resolve(result);
      } catch (error) {
        waiting.reject(error);
      }
    }
  }
}
