// A child process that drains a terminal's offline queue: the kill test starts it and SIGKILLs it at
// random moments. Usage: node --import tsx offline-drain-child.ts DATA_DIR CONFIG_FILE
import { openTerminal } from '../../main/terminal';

const [dataDir, configFile] = process.argv.slice(2);
const terminal = await openTerminal({ dataDir, configFile });
process.stdout.write('ready\n');
const report = await terminal.offline.syncUntilIdle();
process.stdout.write(`done ${JSON.stringify(report)}\n`);
await terminal.close();
process.exit(report.remaining === 0 ? 0 : 3);
