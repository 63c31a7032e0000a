/** The technician's view of the log on disk: the newest lines, and an export into the data directory. */
import type { Terminal } from '../terminal';
import { defaultExportFile, exportLogs, recentLogLines } from '../log/read';
import { logDir } from '../log/logger';
import type { Handlers } from './handlers';

export function logsHandlers(terminal: Pick<Terminal, 'dataDir' | 'log'>): Pick<Handlers, 'getLogs' | 'exportLogs'> {
  return {
    getLogs: async ({ limit }) => ({ dir: logDir(terminal.dataDir), lines: recentLogLines(terminal.dataDir, limit) }),
    exportLogs: async () => {
      const file = defaultExportFile(terminal.dataDir, new Date());
      const lines = exportLogs(terminal.dataDir, file);
      terminal.log.info({ file, lines }, 'logs exported');
      return { file, lines };
    },
  };
}
