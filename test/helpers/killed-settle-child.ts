// A counter process that dies mid-settle: it opens the terminal on argv[2] (data dir) against the platform
// at argv[3], sells one box (argv[5], trace code argv[6]) to the 医保码 argv[4], presettles, and sends the
// 2102; the platform is told to hold it (a latency fault), and the test kills this process meanwhile.
import { openTerminal } from '../../main/terminal';

const [dataDir, platformUrl, qr, barcode, trace] = process.argv.slice(2) as [string, string, string, string, string];
const terminal = await openTerminal({ dataDir, platformUrl });
const sale = await terminal.sales.beginSale({ kind: 'qr', payload: qr });
terminal.sales.scan(sale.id, barcode);
terminal.sales.scan(sale.id, trace);
await terminal.sales.presettle(sale.id);
process.stdout.write(`sale ${sale.id}\n`);
await terminal.sales.settle(sale.id);
process.stdout.write('settled: the test should have killed this process\n');
