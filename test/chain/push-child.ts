// A terminal process that pushes its outbox: the kill test SIGKILLs it while headquarters' answer is
// held. Usage: node --import tsx push-child.ts LEDGER_FILE HQ_URL STORE_CODE TOKEN BATCH_SIZE
import { openDatabase } from '../../db/connection';
import { ChainPusher } from '../../main/chain/pusher';

const [ledger, url, storeCode, token, batch] = process.argv.slice(2) as [string, string, string, string, string];
const pusher = new ChainPusher({ db: openDatabase(ledger), hq: { url, storeCode, token }, batchSize: Number(batch) });
process.stdout.write('ready\n');
const acknowledged = await pusher.drain();
process.stdout.write(`done ${acknowledged}\n`);
process.exit(0);
