/**
 * The terminal process's memory (issue 13: < 150 MB while draining 10,000 queued sales). Measured with
 * `npm run bench -- offline`: the drain keeps little per sale (a heap snapshot after a full GC holds a
 * few MB more than at start), but it allocates fast (HTTP, JSON, rows) and V8's default heuristics let
 * the heap grow to 90-135 MB of mostly garbage before collecting it. V8's --optimize-for-size makes it
 * collect sooner: the peak heap stays near what is alive (about 25-45 MB), at no measured cost in drain
 * speed. Set at run time, so every way the terminal starts (Electron's services process, `npm run
 * serve`, the CLI, the benchmark's drain) runs the same way.
 */
import { setFlagsFromString } from 'node:v8';

export function favourMemoryOverSpeed(): void {
  setFlagsFromString('--optimize-for-size');
}
