import type { Page } from 'playwright-core';

export const PHONE = { width: 360, height: 780 };
export const DESKTOP = { width: 1280, height: 900 };
export const MIN_TARGET = 44;

export interface LayoutReport {
  /** The page's width and the width of its content: more content than page means sideways scrolling. */
  clientWidth: number;
  scrollWidth: number;
  /** Elements of the page that stick out of it or whose content is clipped. */
  cutOff: string[];
  /** Links, buttons and form fields anywhere on the page (header and footer too) smaller than 44 × 44 px. */
  smallTargets: string[];
}

/**
 * Measures the page as laid out now. In-page code is a string: this project's TypeScript has no DOM types.
 *
 * A control's tap target is its own box, and for a checkbox or radio button its label too (tapping the
 * label ticks the box). Links inside a sentence are exempt, as in WCAG 2.5.5: making them 44 px tall
 * would pull the lines of the paragraph apart; everything a person taps on its own is measured.
 */
export async function measureLayout(page: Page): Promise<LayoutReport> {
  return page.evaluate(`(() => {
    const minTarget = ${MIN_TARGET};
    const root = document.documentElement;
    const width = root.clientWidth;
    // The whole page: the header, breadcrumbs and footer are tapped as much as the main content.
    const scope = document.body;
    const name = (el) => {
      const cls = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      const labelled = el.labels && el.labels.length ? el.labels[0].innerText : '';
      const text = (el.getAttribute('aria-label') || labelled || el.innerText || el.value || el.name || '').trim().replace(/\\s+/g, ' ').slice(0, 50);
      return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls + ' "' + text + '"';
    };
    const shown = (el) => {
      if (el.closest('.visually-hidden, [hidden], details:not([open]) > :not(summary)')) return false;
      const style = getComputedStyle(el);
      return style.display !== 'none' && style.visibility !== 'hidden';
    };
    // The skip link waits off-screen until Tab reaches it (the keyboard tests check it shows itself then).
    const offscreenUntilFocused = (el) => el.matches('.skip-link:not(:focus)');
    // The tip form's honeypot is for robots only: exempt while people can neither see nor reach it (hidden
    // from assistive technology, off-screen, its fields out of the Tab order and never autofilled).
    const robotsOnly = (el) => {
      const trap = el.closest('.tip-trap');
      if (!trap || trap.getAttribute('aria-hidden') !== 'true' || trap.getBoundingClientRect().right > 0) return false;
      return [...trap.querySelectorAll('a, button, input, select, textarea, [tabindex]')].every(
        (c) => c.getAttribute('tabindex') === '-1' && c.getAttribute('autocomplete') === 'off',
      );
    };
    const inScroller = (el) => {
      for (let p = el.parentElement; p && p !== scope; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll') return true;
      }
      return false;
    };
    const cutOff = [];
    for (const el of scope.querySelectorAll('*')) {
      if (!shown(el) || offscreenUntilFocused(el) || robotsOnly(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if ((r.left < -0.5 || r.right > width + 0.5) && !inScroller(el)) {
        cutOff.push(name(el) + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right) + ' of ' + width + ' px');
      }
      const style = getComputedStyle(el);
      const clips = (o) => o === 'hidden' || o === 'clip';
      const field = /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName);
      if (!field && clips(style.overflowX) && el.scrollWidth > el.clientWidth + 1) cutOff.push(name(el) + ' clips its content sideways');
      const spills = !field && el.clientWidth > 0 && !clips(style.overflowX) && style.overflowX !== 'auto' && style.overflowX !== 'scroll';
      if (spills && el.scrollWidth > el.clientWidth + 1 && !inScroller(el)) cutOff.push(name(el) + ' has content sticking out of its box');
      if (!field && clips(style.overflowY) && el.scrollHeight > el.clientHeight + 1) cutOff.push(name(el) + ' clips its content at the bottom');
    }
    const inSentence = (el) => {
      if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
      let block = el.parentElement;
      while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
      if (!block) return false;
      const own = el.innerText.trim().length;
      const all = block.innerText.trim().length;
      return all > own + 3;
    };
    const smallTargets = [];
    const controls = scope.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary');
    for (const el of controls) {
      if (!shown(el) || inSentence(el) || robotsOnly(el)) continue;
      // A checkbox or radio button is ticked by tapping it or its label: the target is both together.
      const parts = [el];
      if ((el.type === 'checkbox' || el.type === 'radio') && el.labels) parts.push(...el.labels);
      const boxes = parts.map((p) => p.getBoundingClientRect());
      const left = Math.min(...boxes.map((b) => b.left));
      const top = Math.min(...boxes.map((b) => b.top));
      const r = { width: Math.max(...boxes.map((b) => b.right)) - left, height: Math.max(...boxes.map((b) => b.bottom)) - top };
      if (r.width === 0 && r.height === 0) continue;
      if (r.width < minTarget - 0.5 || r.height < minTarget - 0.5) {
        smallTargets.push(name(el) + ' is ' + Math.round(r.width) + ' × ' + Math.round(r.height) + ' px');
      }
    }
    return { clientWidth: width, scrollWidth: root.scrollWidth, cutOff, smallTargets };
  })()`);
}
