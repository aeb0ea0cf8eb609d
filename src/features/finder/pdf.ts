// The text of a PDF (candidates' visi-misi documents are PDFs), with Mozilla's pdf.js: its legacy build
// runs on Node 20 without native code. Loaded on first use: most servers never read a PDF.

/** A file that is not a PDF pdf.js can read, or one with no text in it (a scan). */
export class PdfError extends Error {
  constructor(readonly key: 'pdf_invalid' | 'pdf_no_text' | 'pdf_encrypted') {
    super(key);
  }
}

/** Most pages read: a manifesto has dozens; past this the words limit is long exceeded. */
const MAX_PAGES = 300;

export function looksLikePdf(bytes: Uint8Array): boolean {
  // "%PDF-" within the first kilobyte, as readers accept it.
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  return head.includes('%PDF-');
}

interface TextItem {
  str?: string;
  hasEOL?: boolean;
}

export async function pdfText(bytes: Uint8Array): Promise<string> {
  if (!looksLikePdf(bytes)) throw new PdfError('pdf_invalid');
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    // No fonts, no eval, no network: only the text is wanted.
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  let doc: Awaited<typeof task.promise>;
  try {
    doc = await task.promise;
  } catch (err) {
    await task.destroy().catch(() => {});
    if (err instanceof Error && err.name === 'PasswordException') throw new PdfError('pdf_encrypted');
    throw new PdfError('pdf_invalid');
  }
  try {
    const pages: string[] = [];
    for (let n = 1; n <= Math.min(doc.numPages, MAX_PAGES); n += 1) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items as TextItem[]) {
        if (typeof item.str !== 'string') continue;
        text += item.str;
        text += item.hasEOL ? '\n' : '';
      }
      pages.push(text);
      page.cleanup();
    }
    const text = pages.join('\n\n').replace(/[ \t]+\n/g, '\n');
    if (!/[\p{L}]/u.test(text)) throw new PdfError('pdf_no_text');
    return text;
  } catch (err) {
    if (err instanceof PdfError) throw err;
    throw new PdfError('pdf_invalid');
  } finally {
    await doc.destroy().catch(() => {});
  }
}
