/**
 * Reads by key that share a query while the database is busy. A read starts at once while fewer than
 * `concurrency` queries of this kind are running; otherwise it waits, and the next query to start takes
 * every key then waiting (at most `maxBatch`). An idle server so reads each key as it is asked for; a
 * busy one sends one query for many readers instead of queueing them for a connection one by one.
 *
 * A key's read always starts after it was asked for, never in a query already running: a reader sees at
 * least what was committed when it asked. Readers of the same key in the same query share its value.
 */
export function batchedReads<V>(options: {
  concurrency: number;
  maxBatch: number;
  /** The values of `keys` (all different), by key; a key without a value resolves to undefined. */
  read(keys: string[]): Promise<Map<string, V>>;
}): (key: string) => Promise<V | undefined> {
  type Reader = { resolve(value: V | undefined): void; reject(err: unknown): void };
  const waiting = new Map<string, Reader[]>();
  let running = 0;

  function start(): void {
    const batch = new Map<string, Reader[]>();
    for (const [key, readers] of waiting) {
      if (batch.size === options.maxBatch) break;
      batch.set(key, readers);
      waiting.delete(key);
    }
    running += 1;
    // Started now (the executor runs at once); a read that throws fails its readers like a failed query.
    new Promise<Map<string, V>>((resolve) => resolve(options.read([...batch.keys()])))
      .then(
        (found) => {
          for (const [key, readers] of batch) for (const reader of readers) reader.resolve(found.get(key));
        },
        (err: unknown) => {
          for (const readers of batch.values()) for (const reader of readers) reader.reject(err);
        },
      )
      .finally(() => {
        running -= 1;
        if (waiting.size > 0 && running < options.concurrency) start();
      });
  }

  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      const readers = waiting.get(key);
      if (readers) readers.push({ resolve, reject });
      else waiting.set(key, [{ resolve, reject }]);
      if (running < options.concurrency) start();
    });
}
