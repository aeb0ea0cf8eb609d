/** What a page was built from: when it last changed, and a tag that changes whenever it does. */
export interface Freshness {
  lastModified: Date | null;
  /** Record versions and timestamps (at full database precision) joined into one string. */
  version: string;
}
