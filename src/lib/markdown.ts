import MarkdownIt from 'markdown-it';

// The one sanitizer: raw HTML in the source is shown as text, and links may only go to http(s),
// mailto or paths on this site. Its output is the only HTML views print unescaped besides includes.
const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

md.validateLink = (url: string) => isSafeLinkTarget(url);

const defaultLinkOpen =
  md.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]?.attrSet('rel', 'nofollow noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(source: string | null | undefined): string {
  if (!source) return '';
  return md.render(source);
}

/** http(s) and mailto URLs, or a path on this site; nothing that a browser would run. */
export function isSafeLinkTarget(url: string): boolean {
  const trimmed = url.trim();
  if (/^\/(?!\/)/.test(trimmed)) return true;
  return /^(https?:\/\/|mailto:)/i.test(trimmed) && !/[\u0000-\u001f\s]/.test(trimmed);
}
