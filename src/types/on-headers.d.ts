// on-headers ships no types: the one function it exports.
declare module 'on-headers' {
  import type { ServerResponse } from 'node:http';

  /** Calls `listener` once, just before `res` writes its headers (with `this` the response). */
  export default function onHeaders<R extends ServerResponse>(res: R, listener: (this: R) => void): void;
}
