import { checkDateTime, checkScheduleExpression, checkTimeZone } from './expression';
import { t } from '../l10n';

/** Pipeline (and schedule) names we create: the pipeline pattern, cut to the schedule name limit of 64. */
export const SCHEDULE_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,63}$/;

/**
 * The semantic checks of a job's `schedule` block (the structure is checked by validate.ts's spec): the expression,
 * the time zone, the start/end date-times. Returns [field, message] pairs.
 */
export function checkSchedule(s: Record<string, unknown>): [string, string][] {
  const out: [string, string][] = [];
  // No ${…} variables here: the schedule is sent as written.
  if (typeof s.expression === 'string' && s.expression.trim()) {
    const e = checkScheduleExpression(s.expression);
    if (e) out.push(['expression', e]);
  }
  if (typeof s.timezone === 'string' && s.timezone.trim()) {
    const e = checkTimeZone(s.timezone);
    if (e) out.push(['timezone', e]);
  }
  for (const f of ['start', 'end'] as const) {
    const v = s[f];
    if (typeof v === 'string' && v.trim()) {
      const e = checkDateTime(v);
      if (e) out.push([f, e]);
    }
  }
  if (typeof s.start === 'string' && typeof s.end === 'string' && !checkDateTime(s.start) && !checkDateTime(s.end) && Date.parse(s.end) <= Date.parse(s.start)) {
    out.push(['end', t('must be after start ({0})', s.start)]);
  }
  return out;
}
