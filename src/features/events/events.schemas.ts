import { z } from 'zod';
import {
  optionalHttpUrl,
  optionalText,
  requiredDate,
  requiredId,
  requiredText,
  versionField,
} from '../newsroom/forms';
import { EVENT_KINDS, isEventKind } from './events.types';

/** The event form's fields, named as the domain's. */
export const EVENT_FIELDS = [
  'election_id',
  'kind',
  'name',
  'held_on',
  'starts_at',
  'place',
  'organiser',
  'video_url',
  'version',
] as const;

/** HH:MM or HH:MM:SS, a time of day; stored as HH:MM:SS. */
const timeOfDay = z
  .preprocess(
    (value) => (value === undefined || value === null ? '' : value),
    z
      .string({ message: 'invalid' })
      .trim()
      .regex(/^(([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?)?$/, 'time_invalid'),
  )
  .transform((value) => (value === '' ? null : value.length === 5 ? `${value}:00` : value));

/**
 * A moment into an event's video: H:MM:SS, HH:MM:SS or HHH:MM:SS, or MM:SS under an hour; stored as
 * HH:MM:SS (two digits at least for the hours), the form the check constraint asks for.
 */
export function momentField() {
  return z
    .preprocess(
      (value) => (value === undefined || value === null ? '' : value),
      z
        .string({ message: 'invalid' })
        .trim()
        .regex(/^((\d{1,3}:)?[0-5]?\d:[0-5]\d)?$/, 'moment_invalid'),
    )
    .transform((value) => (value === '' ? null : normaliseMoment(value)));
}

export function normaliseMoment(value: string): string {
  const parts = value.split(':');
  if (parts.length === 2) parts.unshift('0');
  const [h, m, s] = parts as [string, string, string];
  return `${h.padStart(2, '0')}:${m.padStart(2, '0')}:${s.padStart(2, '0')}`;
}

const eventBase = z.object({
  election_id: requiredId(),
  kind: requiredText(30).refine(isEventKind, 'invalid_choice'),
  name: requiredText(300),
  held_on: requiredDate(),
  starts_at: timeOfDay,
  place: optionalText(300),
  organiser: optionalText(300),
  video_url: optionalHttpUrl(),
});

export const eventSchema = eventBase;
export const eventEditSchema = eventBase.extend({ version: versionField() });

export type EventInput = z.output<typeof eventSchema>;
export { EVENT_KINDS };
