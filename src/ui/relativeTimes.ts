import type * as vscode from 'vscode';
import { msUntilRelativeChange } from '../core/jobs';

/**
 * Keeps the tree's "5 min ago" labels true: while the view is visible, redraws them when the first of them would
 * change (no AWS call: the jobs are those already shown). Hidden, nothing runs; shown again, it redraws at once.
 */
export class RelativeTimeRefresher implements vscode.Disposable {
  private timer?: NodeJS.Timeout;
  private visible = false;
  /** When the next redraw is due (ms since the epoch); undefined when none is scheduled. */
  dueAt?: number;

  constructor(
    private readonly times: () => readonly Date[],
    private readonly redraw: () => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    if (visible) {
      this.redraw();
      this.schedule();
    } else this.cancel();
  }

  /** Call after the jobs shown changed (a load or a poll): the next redraw may be sooner. */
  reschedule(): void {
    if (this.visible) this.schedule();
  }

  private schedule(): void {
    this.cancel();
    const now = this.now();
    const times = this.times();
    if (!times.length) return;
    let ms = Infinity;
    for (const t of times) ms = Math.min(ms, msUntilRelativeChange(t, now));
    // Timers are capped at ~24.8 days; labels past a day change at most daily anyway.
    ms = Math.min(Math.max(ms, 1_000), 86_400_000);
    this.dueAt = now.getTime() + ms;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.dueAt = undefined;
      this.redraw();
      this.schedule();
    }, ms);
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.dueAt = undefined;
  }

  dispose(): void {
    this.visible = false;
    this.cancel();
  }
}
