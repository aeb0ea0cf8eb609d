import { DOMParser, parseHTML } from 'linkedom';

/** A parsed document (linkedom's DOM; the project compiles without the browser's DOM types). */
export type Doc = ReturnType<typeof parseHTML>['document'];

/** The document of an HTML response, for reading pages the way a browser would. */
export function html(text: string): Doc {
  return parseHTML(text).document;
}

/** An XML document (Atom, sitemaps, SVG); throws when it does not parse. */
export function xml(text: string): Doc {
  const doc = new DOMParser().parseFromString(text, 'text/xml') as unknown as Doc;
  if (doc.querySelector('parsererror')) throw new Error('not well-formed XML');
  return doc;
}

/** Hrefs of the claims listed on a page, in order. */
export function listedClaimSlugs(doc: Doc): string[] {
  return [...doc.querySelectorAll('.claim-list .claim-title')].map((a) =>
    (a.getAttribute('href') ?? '').replace('/claims/', ''),
  );
}

export function text(doc: Doc, selector: string): string {
  return (doc.querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
}
