/** Whether a user-supplied URL is an absolute http or https address (all that evidence and sources may be). */
export function isHttpUrl(value: string): boolean {
  // Control characters and whitespace anywhere are refused rather than cleaned: what is stored is what was checked.
  if (/[\u0000-\u0020\u007f-\u009f]/.test(value)) return false;
  if (!/^https?:\/\//i.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
}

/** The URL if it is safe to put in an href, else undefined (rendering checks again what saving checked). */
export function safeHref(value: string | null | undefined): string | undefined {
  return value && isHttpUrl(value) ? value : undefined;
}
