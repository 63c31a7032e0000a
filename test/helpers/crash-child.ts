// A process that opens a log, installs the crash handlers, then fails the way argv[3] says.
import { logCrashes, openLog } from '../../main/log/logger';

const [dataDir, kind] = process.argv.slice(2);
const log = await openLog({ dataDir: dataDir!, component: 'crash-test' });
logCrashes();
log.info('about to fail');
if (kind === 'rejection') void Promise.reject(new Error('rejected for 110101199003071234'));
else setTimeout(() => { throw new Error('thrown for 110101199003071234'); }, 0);
