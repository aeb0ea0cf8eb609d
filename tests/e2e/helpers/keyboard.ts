import type { Page } from 'playwright-core';

/**
 * The focused element as assistive technology announces it: role, accessible name and state, e.g.
 * `link "Bukti (1)"` or `radio "Benar …" [checked]`. Empty when nothing in the page has focus.
 */
export async function focused(page: Page): Promise<string> {
  const element = page.locator('*:focus');
  if ((await element.count()) === 0) {
    // Focus inside a control's own parts (the calendar button of a date field) matches no :focus.
    const inner: string = await page.evaluate(
      `(() => { const e = document.activeElement; return e && e !== document.body ? e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' (inner part)' : ''; })()`,
    );
    return inner;
  }
  const snapshot = await element.first().ariaSnapshot({ timeout: 5_000 });
  let line = (snapshot.split('\n')[0] ?? '').replace(/^- /, '').trim();
  // The snapshot is YAML: a line with a colon in it comes single-quoted.
  if (line.startsWith("'") && line.endsWith("'")) line = line.slice(1, -1).replaceAll("''", "'");
  return line.replace(/:$/, '');
}

/** Presses Tab (or Shift+Tab) until the focused element matches; fails, saying where focus went, if never. */
export async function tabTo(
  page: Page,
  target: RegExp,
  options: { backwards?: boolean; max?: number } = {},
): Promise<string> {
  const seen: string[] = [];
  for (let i = 0; i < (options.max ?? 80); i += 1) {
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    if (target.test(now)) return now;
    seen.push(now || '(nothing)');
  }
  throw new Error(`the keyboard never reached ${target}; focus went through: ${seen.join(' · ')}`);
}

/** How the focused element shows that it has focus (its computed outline). */
export async function focusIndicator(page: Page): Promise<{ style: string; width: number; color: string }> {
  // In-page code is passed as a string: this project's TypeScript has no DOM types.
  return page.evaluate(`(() => {
    const style = getComputedStyle(document.activeElement);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) || 0, color: style.outlineColor };
  })()`);
}

/**
 * Types a calendar date into the focused date field the way a person does, segment by segment in the
 * order the browser shows (Debian's Chromium shows mm/dd/yyyy whatever the page's language).
 */
export async function typeDate(page: Page, isoDate: string): Promise<void> {
  const [year, month, day] = isoDate.split('-');
  await page.keyboard.type(`${month}${day}${year}`);
}
