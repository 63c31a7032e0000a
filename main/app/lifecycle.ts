/**
 * Quitting: the first `before-quit` is held (preventDefault) until `close` has finished (the window
 * unbound, the services process closed: HTTP, devices, ledger), then the app quits for real. Every
 * later quit request while closing is held too; a failure to close is logged and the app still quits.
 */
import type { App, Event } from 'electron';

export function quitAfterClosing(app: Pick<App, 'on' | 'quit'>, close: () => Promise<void>, log: (line: string) => void): void {
  let state: 'running' | 'closing' | 'closed' = 'running';
  app.on('before-quit', (event: Pick<Event, 'preventDefault'>) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    close()
      .catch((error: unknown) => log(`closing failed: ${(error as Error).message}`))
      .finally(() => {
        state = 'closed';
        app.quit();
      });
  });
}
