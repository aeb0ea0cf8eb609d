import type { Locator, Page } from 'playwright-core';

/** Waits until a person can see this text on the page (or in this part of it); fails after 15 s. */
export async function see(scope: Page | Locator, text: string | RegExp): Promise<void> {
  try {
    await scope.getByText(text).first().waitFor({ state: 'visible', timeout: 15_000 });
  } catch (error) {
    // Say what the person sees instead: that is what explains the failure.
    const page = 'page' in scope ? scope.page() : scope;
    const shown = await visibleText(page, 'main').catch(() => '(no page)');
    throw new Error(`${text} never showed on ${page.url()}; the page says: ${shown.slice(0, 600)}`, {
      cause: error,
    });
  }
}

/** The visible text of the page (or of the part a selector names), whitespace folded. */
export async function visibleText(page: Page, selector = 'body'): Promise<string> {
  return (await page.locator(selector).first().innerText()).replace(/\s+/g, ' ');
}

/**
 * Does something that loads a new page (a link, a form sent with Enter) and waits for that page, also
 * when it comes back to the same address; then checks where it landed.
 */
export async function andLoad(page: Page, action: () => Promise<unknown>, expected?: RegExp): Promise<void> {
  await Promise.all([page.waitForEvent('load', { timeout: 30_000 }), action()]);
  if (expected && !expected.test(page.url())) throw new Error(`landed on ${page.url()}, not ${expected}`);
}
