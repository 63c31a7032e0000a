/** The technician's view of the log on disk: the newest lines, and an export into the data directory. */
import { defaultExportFile, exportLogs, recentLogLines } from '../../log/read';
import { logDir } from '../../log/logger';
import type { Feature } from '../feature';

export const logsHandlers: Feature<'getLogs' | 'exportLogs'> = ({ terminal }) => {
  return {
    getLogs: async ({ limit }) => ({ dir: logDir(terminal.dataDir), lines: recentLogLines(terminal.dataDir, limit) }),
    exportLogs: async () => {
      const file = defaultExportFile(terminal.dataDir, new Date());
      const lines = exportLogs(terminal.dataDir, file);
      terminal.log.info({ file, lines }, 'logs exported');
      return { file, lines };
    },
  };
};
