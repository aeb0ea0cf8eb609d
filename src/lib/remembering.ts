import type { Freshness } from './freshness';

/**
 * Reads a service repeats on every request and only a change alters, kept until the next change is
 * heard (the page cache provides them; while no change can be heard, every call reads).
 */
export interface Remembering {
  /** The version of a page scope (`site`, `claim:<slug>`), shared with the cached pages of that scope. */
  version(scope: string, read: () => Promise<Freshness>): Promise<Freshness>;
  /**
   * Any other read, under its own key (how many claims a filter matches, a filter's options). Callers
   * must not modify what they are given: the next request gets the same value.
   */
  remembered<T>(key: string, read: () => Promise<T>): Promise<T>;
}
