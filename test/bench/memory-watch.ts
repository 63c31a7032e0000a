import { getHeapStatistics } from 'node:v8';

/**
 * The drain's memory: peak RSS with its parts (heap, external, array buffers) at the peak, and RSS and
 * seconds elapsed each time another tenth of the queue is settled (flat memory, steady pace).
 * The peak is the kernel's own maximum RSS of the process (getrusage: every moment, no sampling gap);
 * samples every 100 ms give the parts near the peak. Sampling every 20 ms cost the drain 2.5% of its time.
 */
export class MemoryWatch {
  private readonly start = process.memoryUsage();
  private readonly startedAt = performance.now();
  private peak = this.start;
  private readonly marks: Record<string, { rss: number; s: number }> = {};
  private lastTenth = 0;

  constructor(private readonly queued: number) {}

  sample(): void {
    if (process.memoryUsage.rss() > this.peak.rss) this.peak = process.memoryUsage();
  }

  passed(settled: number): void {
    const tenth = Math.floor((settled * 10) / this.queued);
    if (tenth > this.lastTenth) {
      const mark = { rss: process.memoryUsage.rss(), s: (performance.now() - this.startedAt) / 1000 };
      this.marks[settled] = mark;
      // On stderr as it goes: a long drain (100,000) shows its pace and memory before it ends.
      process.stderr.write(`  drain: ${settled} settled, RSS ${(mark.rss / 1048576).toFixed(0)} MB, ${mark.s.toFixed(0)} s\n`);
    }
    this.lastTenth = tenth;
  }

  result() {
    const heap = getHeapStatistics();
    return {
      peakRss: Math.max(this.peak.rss, process.resourceUsage().maxRSS * 1024),
      sampledPeakRss: this.peak.rss,
      startRss: this.start.rss,
      start: this.start,
      atPeak: this.peak,
      rssBySettled: this.marks,
      heapAtEnd: { used: heap.used_heap_size, total: heap.total_heap_size, limit: heap.heap_size_limit, malloced: heap.malloced_memory, peakMalloced: heap.peak_malloced_memory },
    };
  }
}
