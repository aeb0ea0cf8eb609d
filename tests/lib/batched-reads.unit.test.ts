import { describe, expect, it } from 'vitest';
import { batchedReads } from '../../src/lib/batched-reads';

// The batching on its own, with reads that answer when the test says so: which keys go into which
// query, and when. tests/scaling/page-cache.test.ts runs it on the verdict pages of both engines.

interface Query {
  keys: string[];
  answer(values: Record<string, number>): void;
  fail(err: Error): void;
}

function reader(concurrency: number, maxBatch: number) {
  const queries: Query[] = [];
  const read = batchedReads<number>({
    concurrency,
    maxBatch,
    read: (keys) =>
      new Promise((resolve, reject) => {
        queries.push({
          keys,
          answer: (values) => resolve(new Map(Object.entries(values))),
          fail: reject,
        });
      }),
  });
  return { read, queries };
}

/** Lets every settled promise's callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('batched reads', () => {
  it('reads at once while the database is not busy, one key per query', async () => {
    const { read, queries } = reader(2, 10);
    const a = read('a');
    const b = read('b');
    expect(queries.map((q) => q.keys)).toEqual([['a'], ['b']]);
    queries[0]!.answer({ a: 1 });
    queries[1]!.answer({ b: 2 });
    expect(await Promise.all([a, b])).toEqual([1, 2]);
  });

  it('gathers the keys asked for while it is busy into the next query, at most maxBatch of them', async () => {
    const { read, queries } = reader(1, 3);
    const first = read('a');
    const waiting = ['b', 'c', 'b', 'd', 'e'].map((key) => read(key));
    expect(queries).toHaveLength(1);
    queries[0]!.answer({ a: 1 });
    await settle();
    // Each key once, in the order asked; a key asked twice is read once and both readers get it.
    expect(queries.map((q) => q.keys)).toEqual([['a'], ['b', 'c', 'd']]);
    queries[1]!.answer({ b: 2, c: 3 });
    await settle();
    expect(queries[2]!.keys).toEqual(['e']);
    queries[2]!.answer({ e: 5 });
    expect(await first).toBe(1);
    // A key the query did not find resolves to undefined.
    expect(await Promise.all(waiting)).toEqual([2, 3, 2, undefined, 5]);
  });

  it('never gives a reader the answer of a query that was already running when it asked', async () => {
    const { read, queries } = reader(1, 10);
    const before = read('a');
    const after = read('a');
    expect(queries).toHaveLength(1);
    queries[0]!.answer({ a: 1 });
    await settle();
    // Asked while 'a' was being read: read again, so it sees whatever was committed by the time it asked.
    expect(queries.map((q) => q.keys)).toEqual([['a'], ['a']]);
    queries[1]!.answer({ a: 2 });
    expect(await before).toBe(1);
    expect(await after).toBe(2);
  });

  it('fails the readers of a failed query only, and goes on with the next', async () => {
    const { read, queries } = reader(1, 10);
    const a = read('a');
    const b = read('b');
    const c = read('c');
    queries[0]!.fail(new Error('connection lost'));
    await expect(a).rejects.toThrow('connection lost');
    await settle();
    expect(queries[1]!.keys).toEqual(['b', 'c']);
    queries[1]!.answer({ b: 2, c: 3 });
    expect(await Promise.all([b, c])).toEqual([2, 3]);
  });

  it('treats a read that throws before it returns a promise as a failed query', async () => {
    let calls = 0;
    const read = batchedReads<number>({
      concurrency: 1,
      maxBatch: 10,
      read: () => {
        calls += 1;
        if (calls === 1) throw new Error('bad input');
        return Promise.resolve(new Map([['b', 2]]));
      },
    });
    await expect(read('a')).rejects.toThrow('bad input');
    expect(await read('b')).toBe(2);
  });
});
