// A child process that drains a terminal's offline queue: the kill test starts it and SIGKILLs it at
// chosen moments. Usage: node --import tsx offline-drain-child.ts DATA_DIR CONFIG_FILE
// KILL_SELF=before:N | after:N | synced:N makes it kill itself (SIGKILL) at its N-th group commit, inside
// the transaction with every step done but before the COMMIT, right after the COMMIT (before its fsync),
// or right after the fsync before any lane learns of it: the edges of a group commit a crash can fall on.
// KILL_SELF=folded:N kills it when the N-th 2102 claimed inside the previous result's transaction
// (SyncWorker.claimNext) is about to leave: that commit is durable, the message not sent yet.
import { GroupCommit } from '../../main/offline/group-commit';
import { SyncWorker } from '../../main/offline/sync-worker';
import { openTerminal } from '../../main/terminal';

const [dataDir, configFile] = process.argv.slice(2);
const kill = /^(before|after|synced|folded):(\d+)$/.exec(process.env.KILL_SELF ?? '');
if (kill) {
  const [, edge, nth] = kill;
  let seen = 0;
  const die = () => {
    if (++seen === Number(nth)) process.kill(process.pid, 'SIGKILL');
  };
  if (edge === 'folded') {
    const proto = SyncWorker.prototype as unknown as Record<'sendClaimed', (...args: unknown[]) => unknown>;
    const sendClaimed = proto.sendClaimed;
    proto.sendClaimed = function (this: unknown, ...args: unknown[]) {
      die();
      return sendClaimed.apply(this, args);
    };
  } else {
    const hooks = { before: 'beforeCommit', after: 'afterCommit', synced: 'afterSync' } as const;
    const proto = GroupCommit.prototype as unknown as Record<(typeof hooks)[keyof typeof hooks], () => void>;
    proto[hooks[edge as keyof typeof hooks]] = die;
  }
}
const terminal = await openTerminal({ dataDir, configFile });
process.stdout.write('ready\n');
const report = await terminal.offline.syncUntilIdle();
process.stdout.write(`done ${JSON.stringify(report)}\n`);
await terminal.close();
process.exit(report.remaining === 0 ? 0 : 3);
