import { z } from 'zod';
import { isCalendarDate } from '../../lib/dates';
import { optionalHttpUrl, optionalText, requiredText } from '../newsroom/forms';

export const RESPONSE_FIELDS = ['responded_at', 'responder', 'responder_role', 'text', 'url'] as const;
export const RESPONSE_CORRECTION_FIELDS = ['note', 'text', 'url'] as const;

/**
 * When the candidate responded: a day (`YYYY-MM-DD`) or a day and a time (`YYYY-MM-DDTHH:MM`, as a
 * datetime-local field sends it, seconds optional), in UTC unless it names its offset (`Z`, `+08:00`).
 */
const MOMENT = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?)?$/;

export function parseRespondedAt(value: string): Date | undefined {
  const match = MOMENT.exec(value);
  if (!match || !isCalendarDate(match[1]!)) return undefined;
  const [, day, hours = '00', minutes = '00', seconds = '00', zone = 'Z'] = match;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) return undefined;
  const time = Date.parse(`${day}T${hours}:${minutes}:${seconds}${zone}`);
  return Number.isNaN(time) ? undefined : new Date(time);
}

const respondedAt = z.preprocess(
  (value) => (value === undefined || value === null ? '' : value),
  z
    .string({ message: 'invalid' })
    .trim()
    .min(1, 'required')
    .max(40, 'response_time_invalid')
    .transform((value, ctx) => {
      const parsed = parseRespondedAt(value);
      if (!parsed) {
        ctx.addIssue({ code: 'custom', message: 'response_time_invalid' });
        return z.NEVER;
      }
      return parsed;
    }),
);

/** Text, a link, or both: a response says something. */
function somethingSaid(value: { text: string | null; url: string | null }, ctx: z.RefinementCtx) {
  if (value.text === null && value.url === null) {
    ctx.addIssue({ code: 'custom', path: ['text'], message: 'response_content_required' });
  }
}

export const responseSchema = z
  .object({
    responded_at: respondedAt,
    responder: requiredText(200),
    responder_role: optionalText(200),
    text: optionalText(20000),
    url: optionalHttpUrl(),
  })
  .superRefine(somethingSaid);

export const responseCorrectionSchema = z
  .object({ note: requiredText(2000), text: optionalText(20000), url: optionalHttpUrl() })
  .superRefine(somethingSaid);
