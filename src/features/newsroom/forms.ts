import type { Request, Response } from 'express';
import { z } from 'zod';
import { redirectAfterSave } from '../../http/session';
import { isCalendarDate } from '../../lib/dates';
import { ConflictError, type FieldErrors, ValidationError } from '../../lib/errors';
import { isHttpUrl } from '../../lib/urls';
import type { ChangeSince } from '../audit/audit.repository';
import { StaleVersionError } from './stale-version-error';

// Field-level validation for the newsroom's HTML forms. Messages are keys (newsroom.error.<key>),
// translated in the view, so the same rule speaks Indonesian and English.

/** A single-valued form field: absent is empty; a repeated field is not accepted. */
function single(value: unknown): unknown {
  if (value === undefined || value === null) return '';
  return value;
}

// NUL cannot be stored in PostgreSQL text: refused with a field message rather than failing at the database.
const textInput = z.string({ message: 'invalid' }).regex(/^[^\u0000]*$/, 'invalid_characters');

export function requiredText(max: number) {
  return z.preprocess(single, textInput.trim().min(1, 'required').max(max, 'too_long'));
}

export function optionalText(max: number) {
  return z
    .preprocess(single, textInput.trim().max(max, 'too_long'))
    .transform((value) => (value === '' ? null : value));
}

export function optionalDate() {
  return z
    .preprocess(single, textInput.trim())
    .refine((value) => value === '' || isCalendarDate(value), 'date_invalid')
    .transform((value) => (value === '' ? null : value));
}

export function requiredDate() {
  return z.preprocess(single, textInput.trim().min(1, 'required').refine(isCalendarDate, 'date_invalid'));
}

export function optionalHttpUrl() {
  return z
    .preprocess(single, textInput.trim().max(2000, 'too_long'))
    .refine((value) => value === '' || isHttpUrl(value), 'url_invalid')
    .transform((value) => (value === '' ? null : value));
}

export function requiredHttpUrl() {
  return z.preprocess(
    single,
    textInput.trim().min(1, 'required').max(2000, 'too_long').refine(isHttpUrl, 'url_invalid'),
  );
}

/** An HTML checkbox: present and truthy is true, absent is false. */
export function checkbox() {
  return z.preprocess((value) => {
    const values = Array.isArray(value) ? value : [value];
    return values.some(
      (v) => typeof v === 'string' && ['on', 'true', '1', 'yes', 'ya'].includes(v.toLowerCase()),
    );
  }, z.boolean());
}

/** A record id chosen in a select. */
export function requiredId() {
  return z.preprocess(
    single,
    textInput
      .trim()
      .min(1, 'required')
      .regex(/^\d{1,9}$/, 'invalid_choice')
      .transform(Number),
  );
}

export function optionalId() {
  return z.preprocess(
    single,
    textInput
      .trim()
      .regex(/^(\d{1,9})?$/, 'invalid_choice')
      .transform((value) => (value === '' ? null : Number(value))),
  );
}

/** A repeated field of ids (checkboxes): none, one or many, without duplicates. */
export function idList() {
  return z.preprocess(
    (value) =>
      value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? value : [value],
    z
      .array(z.string({ message: 'invalid_choice' }).regex(/^\d{1,9}$/, 'invalid_choice'), {
        message: 'invalid_choice',
      })
      .max(200, 'too_long')
      .transform((values) => [...new Set(values.map(Number))]),
  );
}

/** The version an edit form was filled in against. */
export function versionField() {
  return z.preprocess(
    single,
    textInput
      .trim()
      .regex(/^\d{1,9}$/, 'invalid')
      .transform(Number)
      .refine((n) => n > 0, 'invalid'),
  );
}

export function optionalVersion() {
  return z.preprocess(
    single,
    textInput
      .trim()
      .regex(/^(\d{1,9})?$/, 'invalid')
      .transform((value) => (value === '' ? undefined : Number(value))),
  );
}

export { StaleVersionError };

export type FormValues = Record<string, string | string[]>;

/**
 * Only the named fields of a posted form, as text: what a re-rendered form shows back to its author.
 * (Never the body as a whole: it may carry anything.)
 */
export function formValues(
  body: unknown,
  fields: readonly string[],
  repeated: readonly string[] = [],
): FormValues {
  const source = (body ?? {}) as Record<string, unknown>;
  const values: FormValues = {};
  for (const field of fields) {
    const raw = source[field];
    if (repeated.includes(field)) {
      const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      values[field] = list.filter((v): v is string => typeof v === 'string');
    } else {
      values[field] = typeof raw === 'string' ? raw : '';
    }
  }
  return values;
}

export interface FormFailure {
  status: number;
  errors: FieldErrors;
  conflict?: { changes: ChangeSince[]; current: Record<string, string> };
  version?: number;
}

/** Turns a validation or conflict error into what a form page shows again; anything else is rethrown. */
export function formFailure(err: unknown): FormFailure {
  if (err instanceof ValidationError) {
    const empty = Object.keys(err.fieldErrors).length === 0;
    return { status: 400, errors: empty ? { _form: err.message } : err.fieldErrors };
  }
  if (err instanceof StaleVersionError) {
    return {
      status: 409,
      errors: {},
      conflict: { changes: err.changes, current: err.current },
      version: err.currentVersion,
    };
  }
  if (err instanceof ConflictError && err.message !== 'conflict' && err.message !== 'duplicate') {
    return { status: 409, errors: { _form: err.message } };
  }
  if (err instanceof ConflictError && err.message === 'duplicate') {
    return { status: 409, errors: { _form: 'duplicate' } };
  }
  throw err;
}

/** Redirects (303) to a page that shows a message once, the session saved first (see redirectAfterSave). */
export async function redirectWithFlash(req: Request, res: Response, key: string, to: string): Promise<void> {
  if (req.session) req.session.flash = key;
  await redirectAfterSave(req, res, to);
}

/** A record id from the path; anything else is simply not found. */
export function pathId(value: unknown): number {
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) return -1;
  return Number(value);
}

/** Text for the form from a stored value (dates stay YYYY-MM-DD, null is empty). */
export function asFormText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  return String(value);
}
