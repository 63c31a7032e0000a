import { getHeapStatistics } from 'node:v8';

/** The drain's memory: peak RSS with its parts (heap, external, array buffers) at the peak, and RSS by sales settled. */
export class MemoryWatch {
  private readonly start = process.memoryUsage();
  private peak = this.start;
  private readonly marks: Record<string, number> = {};
  private lastThousands = 0;

  sample(): void {
    if (process.memoryUsage.rss() > this.peak.rss) this.peak = process.memoryUsage();
  }

  /** Marks RSS each time the count of sales settled passes a thousand. */
  passed(settled: number): void {
    const thousands = Math.floor(settled / 1000);
    if (thousands > this.lastThousands) this.marks[thousands * 1000] = process.memoryUsage.rss();
    this.lastThousands = thousands;
  }

  result() {
    const heap = getHeapStatistics();
    return {
      peakRss: this.peak.rss,
      startRss: this.start.rss,
      start: this.start,
      atPeak: this.peak,
      rssBySettled: this.marks,
      heapAtEnd: { used: heap.used_heap_size, total: heap.total_heap_size, limit: heap.heap_size_limit, malloced: heap.malloced_memory, peakMalloced: heap.peak_malloced_memory },
    };
  }
}
