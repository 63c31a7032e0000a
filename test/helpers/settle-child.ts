// A child process that settles one sale on a shared ledger: the two-process recovery test starts it
// against a slow platform. Usage: node --import tsx settle-child.ts DATA_DIR CONFIG_FILE SIM_URL
// Prints "sale <id>" once the sale is presettled, then "done <state>" when its 2102 has an outcome.
import { openTerminal } from '../../main/terminal';
import { drug, scanBoxes } from './counter';

const [dataDir, configFile, simUrl] = process.argv.slice(2) as [string, string, string];
const terminal = await openTerminal({ dataDir, configFile });
const qr = await (await fetch(`${simUrl}/sim/qrcode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"psn_no":"employee"}' })).json();
const sale = await terminal.sales.beginSale({ kind: 'qr', payload: String((qr as { qrCode: string }).qrCode) });
scanBoxes(terminal, sale.id, drug((d) => d.chrgitm_lv === '01'), 2);
await terminal.sales.presettle(sale.id);
process.stdout.write(`sale ${sale.id}\n`);
const after = await terminal.sales.settle(sale.id);
process.stdout.write(`done ${after.state}\n`);
await terminal.close();
process.exit(after.state === 'settled' ? 0 : 3);
