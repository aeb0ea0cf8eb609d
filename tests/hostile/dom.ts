import { parseHTML } from 'linkedom';
import { expect } from 'vitest';

// Reading pages the way a browser would, to prove that what people typed stays text: parse the page,
// and look for any element or attribute that the typed strings would have made had they become markup.

export type Doc = ReturnType<typeof parseHTML>['document'];
type El = ReturnType<Doc['querySelectorAll']>[number];

export function parse(html: string): Doc {
  return parseHTML(html).document;
}

/** Text as a reader sees it: line breaks as the HTML parser reads them, runs of white space as one. */
export function normalise(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(/\s+/g, ' ').trim();
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Character references, decoded (linkedom leaves them in <textarea> and <title>, which browsers decode). */
export function decodeReferences(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return String.fromCodePoint(code);
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

/** The text of the whole document (title, body) and the values of its form fields, normalised. */
export function visibleText(doc: Doc): string {
  for (const el of doc.querySelectorAll('textarea, title'))
    el.textContent = decodeReferences(el.textContent ?? '');
  const parts = [doc.title ?? '', doc.body?.textContent ?? ''];
  for (const el of doc.querySelectorAll('input, option')) parts.push(el.getAttribute('value') ?? '');
  return normalise(parts.join(' \n '));
}

/** Schemes a browser would run or that could carry a document of their own. */
const DANGEROUS_SCHEME = /^(javascript|vbscript|data|file|blob|filesystem):/;

/** What a browser makes of a URL's scheme: case folded, white space and control characters dropped. */
export function effectiveScheme(url: string): string {
  const decoded = url
    .replace(/&#x?0*([0-9a-f]+);?/gi, (whole, code: string) =>
      whole.toLowerCase().startsWith('&#x')
        ? String.fromCodePoint(Number.parseInt(code, 16))
        : String.fromCodePoint(Number.parseInt(code, 10)),
    )
    .replace(/&colon;/gi, ':')
    .replace(/&tab;|&newline;/gi, '');
  return decoded.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
}

export function isDangerousUrl(url: string): boolean {
  return DANGEROUS_SCHEME.test(effectiveScheme(url));
}

const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'background', 'cite'];
/** Elements no page of ours has: their presence can only mean injected markup. */
const FOREIGN_ELEMENTS = ['iframe', 'frame', 'object', 'embed', 'base', 'style', 'marquee', 'applet', 'math'];

/** The page's own structure is safe: no handlers, no script but our files and JSON-LD, no foreign element. */
export function expectSafeStructure(doc: Doc, where: string): void {
  for (const el of doc.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    expect(FOREIGN_ELEMENTS, `${where}: a <${tag}> element`).not.toContain(tag);
    for (const name of el.getAttributeNames()) {
      expect(name.toLowerCase().startsWith('on'), `${where}: attribute ${name} on <${tag}>`).toBe(false);
      expect(name.toLowerCase(), `${where}: attribute ${name} on <${tag}>`).not.toBe('srcdoc');
      if (URL_ATTRIBUTES.includes(name.toLowerCase())) {
        const value = el.getAttribute(name) ?? '';
        expect(isDangerousUrl(value), `${where}: <${tag} ${name}="${value}">`).toBe(false);
      }
    }
    if (tag === 'meta') {
      expect(el.getAttribute('http-equiv'), `${where}: <meta http-equiv>`).toBeNull();
    }
    if (tag === 'script') {
      const src = el.getAttribute('src');
      const type = el.getAttribute('type');
      if (src !== null) expect(src, `${where}: script src`).toMatch(/^\/assets\/[a-z0-9.-]+\.js$/);
      else {
        expect(type, `${where}: an inline script`).toBe('application/ld+json');
        expect(() => JSON.parse(el.textContent ?? ''), `${where}: JSON-LD that does not parse`).not.toThrow();
      }
    }
  }
}

/** The elements a string would make if a page printed it as markup. */
function elementsOf(input: string): El[] {
  if (!/<[a-z!/?]/i.test(input)) return [];
  const fragment = parseHTML(`<!doctype html><html><body>${input}</body></html>`).document;
  return [...fragment.body.querySelectorAll('*')];
}

/**
 * No element or attribute from the inputs exists in the page: for each element an input would make, no
 * element of the page has the same name with the same attributes (or, for one without attributes, the
 * same text).
 */
export function expectNoMarkupFrom(doc: Doc, inputs: readonly string[], where: string): void {
  const all = [...doc.querySelectorAll('*')];
  for (const input of inputs) {
    for (const injected of elementsOf(input)) {
      const tag = injected.tagName.toLowerCase();
      const names = injected.getAttributeNames();
      const text = injected.textContent ?? '';
      if (names.length === 0 && text.trim() === '') continue;
      const twins = all.filter((el) =>
        el.tagName.toLowerCase() !== tag
          ? false
          : names.length > 0
            ? names.every((name: string) => el.getAttribute(name) === injected.getAttribute(name))
            : el.getAttributeNames().length === 0 && (el.textContent ?? '') === text,
      );
      expect(twins.length, `${where}: <${tag}> from ${JSON.stringify(input)} is markup in the page`).toBe(0);
    }
  }
}

/** The page shows each value as text (or as a form field's value), whole. */
export function expectShownAsText(doc: Doc, values: readonly string[], where: string): void {
  const text = visibleText(doc);
  for (const value of values) {
    if (!text.includes(normalise(value))) {
      expect.fail(`${where}: ${JSON.stringify(value)} is not shown as text in ${JSON.stringify(text)}`);
    }
  }
}

/** All three checks on one page. */
export function expectTextNotMarkup(html: string, values: readonly string[], where: string): Doc {
  const doc = parse(html);
  expectSafeStructure(doc, where);
  expectNoMarkupFrom(doc, values, where);
  expectShownAsText(doc, values, where);
  return doc;
}
