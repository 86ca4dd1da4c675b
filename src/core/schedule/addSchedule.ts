// "Schedule Job…" on a job without a `schedule` block: a daily schedule at a chosen time in the machine's time zone,
// written into the definition text as a JSONC edit (comments and formatting kept, like "Save as Job Definition").
import { modify, parse, type Edit } from 'jsonc-parser';
import type { ScheduleDef } from '../definition/types';
import { checkTimeZone } from './expression';
import { t } from '../l10n';

/** `HH:MM` (24 h) → hour and minute, or undefined. */
export function parseTimeOfDay(text: string): { hour: number; minute: number } | undefined {
  const m = /^\s*([01]?\d|2[0-3]):([0-5]\d)\s*$/.exec(text);
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : undefined;
}

export function checkTimeOfDay(text: string): string | undefined {
  return parseTimeOfDay(text) ? undefined : t('a time of day as HH:MM (24 hours), e.g. 06:00');
}

/** The machine's IANA time zone when EventBridge Scheduler knows it (as `schedule.timezone` is checked), else UTC. */
export function machineTimeZone(zone: string | undefined): string {
  return zone && !checkTimeZone(zone) ? zone : 'UTC';
}

/** Every day at hour:minute in the time zone: `cron(M H * * ? *)`. */
export function dailySchedule(hour: number, minute: number, timezone: string): ScheduleDef {
  return { expression: `cron(${minute} ${hour} * * ? *)`, timezone };
}

/**
 * The edits that add `schedule` to `jobs.<key>` (the job must exist and have none). Offsets are into `text`; applied
 * in order they give the new text (jsonc-parser's `applyEdits`).
 */
export function addScheduleEdits(text: string, key: string, schedule: ScheduleDef): Edit[] {
  const def = parse(text, [], { allowTrailingComma: true }) as { jobs?: Record<string, unknown> } | undefined;
  const job = def?.jobs?.[key];
  if (!job || typeof job !== 'object') throw new Error(t('No job "{0}" in the definition.', key));
  if ('schedule' in job) throw new Error(t('Job "{0}" already has a "schedule" block.', key));
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  return modify(text, ['jobs', key, 'schedule'], schedule, {
    formattingOptions: { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol },
  });
}
