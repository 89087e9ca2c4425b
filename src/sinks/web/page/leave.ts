import type { ViewContext } from './view.js';

/** Runs `cleanup` when the view is left or redrawn (charts free their canvas). */
export function onLeave(ctx: ViewContext, cleanup: () => void): void {
  if (ctx.signal.aborted) cleanup();
  else ctx.signal.addEventListener('abort', cleanup, { once: true });
}
