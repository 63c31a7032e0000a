/** The technician's offline tools (F8): the queue, exceptions, trace reports, sync, reconcile (queue files: ./transfer.ts). */
import { ApiError } from '../errors';
import { ok, type Feature } from '../feature';
import type { OfflinePort } from '../offline-port';

type OfflineMethods =
  | 'getQueue' | 'retryTraceReport' | 'resolveException' | 'syncNow' | 'setManualOffline' | 'reconcileDay';

export const offlineHandlers: Feature<OfflineMethods> = ({ offline }) => {
  const port = (): OfflinePort => {
    if (!offline) throw new ApiError('NO_OFFLINE', '离线模块尚未启用: 本版本不支持离线队列操作', 501);
    return offline;
  };
  return {
    getQueue: async () => (offline ? offline.overview() : { available: false, queue: [], exceptions: [], traceReports: [] }),
    retryTraceReport: async ({ id }) => ok(await port().retryTraceReport(id)),
    resolveException: async ({ id, note }) => ok(await port().resolveException(id, note)),
    syncNow: async () => ok(await port().syncNow()),
    setManualOffline: async ({ on }) => ok(await port().setManual(on)),
    reconcileDay: async ({ date }) => port().reconcile(date),
  };
};
