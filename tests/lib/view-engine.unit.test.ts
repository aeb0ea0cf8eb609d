import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ejs from 'ejs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml, viewEngine } from '../../src/http/view-engine';

// The engine on templates of its own in a temporary folder: includes, escaping, variables that are
// present on one render and absent on the next, errors, and re-reading while developing.
let dir: string;

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

function render(engine: ReturnType<typeof viewEngine>, file: string, locals: object): Promise<string> {
  return new Promise((resolve, reject) => {
    engine(file, locals, (err, html) => (err ? reject(err) : resolve(html ?? '')));
  });
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kj-views-'));
  write('partials/badge.ejs', '<b class="<%= tone %>"><%= label %></b>');
  write(
    'pages/show.ejs',
    [
      "<%- include('../partials/badge', { label: title, tone: 'ok' }) %>",
      '<h1><%= title %></h1><p><%- trusted %></p>',
      "<% if (typeof note !== 'undefined') { %><aside><%= note %></aside><% } %>",
      "<%= locals.title.length %>|<%= t('x') %>|<% for (const item of items) { %><i><%= item %></i><% } %>",
    ].join('\n'),
  );
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('view engine', () => {
  const locals = {
    title: 'A <b> & "c"',
    trusted: '<em>ok</em>',
    items: ['1', '<2>'],
    t: (key: string) => `[${key}]`,
    // Not names a template can have as variables: passed along, never declared.
    'not-a-name': 1,
    default: 2,
    __output: 3,
  };

  it('escapes <%= %>, prints <%- %> as is, and resolves includes from the including file', async () => {
    const html = await render(
      viewEngine({ cache: true, debug: false }),
      path.join(dir, 'pages/show.ejs'),
      locals,
    );
    expect(html).toBe(
      [
        '<b class="ok">A &lt;b&gt; &amp; &#34;c&#34;</b>',
        '<h1>A &lt;b&gt; &amp; &#34;c&#34;</h1><p><em>ok</em></p>',
        '',
        '11|[x]|<i>1</i><i>&lt;2&gt;</i>',
      ].join('\n'),
    );
  });

  it('renders a variable given on one render and not on the next', async () => {
    const engine = viewEngine({ cache: true, debug: false });
    const file = path.join(dir, 'pages/show.ejs');
    expect(await render(engine, file, { ...locals, note: 'hati-hati' })).toContain(
      '<aside>hati-hati</aside>',
    );
    expect(await render(engine, file, locals)).not.toContain('<aside>');
    expect(await render(engine, file, { ...locals, note: '<x>' })).toContain('<aside>&lt;x&gt;</aside>');
  });

  it('answers an error, not a page, for a missing include or a failing template', async () => {
    const engine = viewEngine({ cache: true, debug: false });
    const missing = write('pages/missing.ejs', "<%- include('../partials/nowhere') %>");
    await expect(render(engine, missing, {})).rejects.toThrow(/nowhere/);
    const failing = write('pages/failing.ejs', '<p><%= claim.title %></p>');
    await expect(render(engine, failing, {})).rejects.toThrow(/claim/);
  });

  it('says which template and line failed while developing', async () => {
    const failing = write('pages/failing-dev.ejs', '<p>\n<%= claim.title %></p>');
    await expect(render(viewEngine({ cache: false, debug: true }), failing, {})).rejects.toThrow(
      /failing-dev\.ejs:2/,
    );
  });

  it('reads a changed template again when not caching (development), and keeps it when caching', async () => {
    const file = write('pages/changing.ejs', 'one');
    const developing = viewEngine({ cache: false, debug: true });
    const caching = viewEngine({ cache: true, debug: false });
    expect(await render(developing, file, {})).toBe('one');
    expect(await render(caching, file, {})).toBe('one');
    write('pages/changing.ejs', 'two');
    expect(await render(developing, file, {})).toBe('two');
    expect(await render(caching, file, {})).toBe('one');
  });

  it('escapes exactly as EJS does, for every kind of value a template prints', () => {
    const values: unknown[] = [
      '',
      'plain text, nothing to escape',
      `<script>alert("x" & 'y')</script>`,
      'a&b',
      '&amp; already escaped',
      "it's",
      'Tanda → kutip “dan” — pisah',
      '\u0000\u2028',
      0,
      42.5,
      -1,
      true,
      false,
      null,
      undefined,
      ['a<b', 'c'],
      { toString: () => '<obj>' },
      new Date(0),
    ];
    for (const value of values) expect(escapeHtml(value)).toBe(ejs.escapeXML(value as string));
  });
});
