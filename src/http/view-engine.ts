import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';

type Locals = Record<string, unknown>;
type Template = (locals: Locals, escapeFn: typeof escapeHtml, include: Include) => string;
type Include = (name: string, extra?: Locals) => string;

/** Names a template may not receive as variables: JavaScript's own words and the template function's. */
const RESERVED = new Set(
  `break case catch class const continue debugger default delete do else enum export extends false finally
   for function if import in instanceof new null return super switch this throw true try typeof var void
   while with yield let static implements interface package private protected public await arguments eval
   undefined NaN Infinity locals escapeFn include rethrow`.split(/\s+/),
);
const IDENTIFIER = /^[a-zA-Z_$][0-9a-zA-Z_$]*$/;

/** Whether a local can be a variable of the template (EJS's own start with two underscores). */
function isVariable(name: string): boolean {
  let known = variables.get(name);
  if (known === undefined) {
    known = IDENTIFIER.test(name) && !RESERVED.has(name) && !name.startsWith('__');
    if (variables.size < MAX_NAMES) variables.set(name, known);
  }
  return known;
}

/** The answer of isVariable for each name seen (templates are given a few hundred names in all). */
const variables = new Map<string, boolean>();
const MAX_NAMES = 10_000;

/** Compiled variants kept at most (each template once per set of variable names it is given). */
const MAX_COMPILED = 1_000;

const HTML_SPECIAL = /[&<>"']/;
const HTML_SPECIALS = /[&<>"']/g;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  "'": '&#39;',
};

/**
 * `<%= %>`: EJS's own escaping, character for character, without its replace when there is nothing to
 * replace (most values on a page).
 */
export function escapeHtml(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return HTML_SPECIAL.test(text) ? text.replace(HTML_SPECIALS, (special) => ENTITIES[special]!) : text;
}

/** Whether two lists of names are the same, in the same order. */
function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Express's view engine for our EJS templates, compiled once into plain functions. EJS itself puts each
 * template inside `with (locals)`, where every name is looked up at run time, and looks for each
 * `include` on disk at every render; here each template is compiled for the names it is given (one
 * variable per name, as `destructuredLocals` does) and includes resolve once. The templates are the same
 * EJS: same tags, same escaping, `include(path, data)` relative to the including file.
 */
export function viewEngine(options: { cache: boolean; debug: boolean }) {
  /** By template: its compiled variants, each with the names of the locals it was compiled for. */
  const compiled = new Map<string, { names: string[]; fn: Template }[]>();
  let variants = 0;
  const sources = new Map<string, string>();
  /** By including template, then by the name it gives: the template's path. */
  const includes = new Map<string, Map<string, string>>();

  function source(file: string): string {
    let text = options.cache ? sources.get(file) : undefined;
    if (text === undefined) {
      text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      if (options.cache) sources.set(file, text);
    }
    return text;
  }

  function compile(file: string, names: string[]): Template {
    return ejs.compile(source(file), {
      client: true,
      filename: file,
      _with: false,
      destructuredLocals: names,
      compileDebug: options.debug,
    }) as unknown as Template;
  }

  /** `include('../partials/header')` from `file`: the path of the template it names, found once. */
  function resolveInclude(file: string, name: string): string {
    let from = includes.get(file);
    let found = from?.get(name);
    if (found === undefined) {
      const target = path.resolve(path.dirname(file), name);
      found = path.extname(name) ? target : `${target}.ejs`;
      if (!fs.existsSync(found)) throw new Error(`Could not find the include file "${name}" (from ${file})`);
      if (options.cache) {
        if (!from) {
          from = new Map();
          includes.set(file, from);
        }
        from.set(name, found);
      }
    }
    return found;
  }

  /** The template compiled for these locals' names (a page renders the same few variants every time). */
  function template(file: string, locals: Locals): Template {
    const names = Object.keys(locals);
    const known = options.cache ? compiled.get(file) : undefined;
    if (known) for (const variant of known) if (sameNames(variant.names, names)) return variant.fn;
    const fn = compile(file, names.filter(isVariable));
    if (options.cache) {
      if (variants >= MAX_COMPILED) {
        compiled.clear();
        variants = 0;
      }
      const list = compiled.get(file);
      if (list) list.push({ names, fn });
      else compiled.set(file, [{ names, fn }]);
      variants += 1;
    }
    return fn;
  }

  function render(file: string, locals: Locals): string {
    const include: Include = (name, extra) =>
      render(resolveInclude(file, name), extra ? { ...locals, ...extra } : locals);
    return template(file, locals)(locals, escapeHtml, include);
  }

  return (file: string, locals: object, callback: (err: Error | null, html?: string) => void): void => {
    let html: string;
    try {
      html = render(file, locals as Locals);
    } catch (err) {
      callback(err as Error);
      return;
    }
    callback(null, html);
  };
}
