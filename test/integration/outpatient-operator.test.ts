/**
 * The operator at the billing desk (issues 9 and 10): the visit records the operator signed in when it was
 * opened, every message of the visit carries him in the envelope (opter, opter_name) as a sale's do, and the
 * 门诊收费票据 names him. The envelopes are read on the wire: a pass-through HTTP relay in front of the
 * simulator notes each request's infno and opter and forwards it untouched.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outpatientReceiptLines } from '../../main/outpatient/receipt';
import { openTerminal, type Terminal } from '../../main/terminal';
import { startSimulator, type Simulator } from '../../simulator/server';
import { exampleExport } from '../helpers/outpatient';

let dir: string;
let sim: Simulator;
let relay: Server;
let terminal: Terminal;
const seen: Array<{ infno: string; opter: string; opterName: string }> = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'yibao-desk-op-'));
  sim = await startSimulator({ port: 0, dbPath: join(dir, 'sim.sqlite') });
  seen.length = 0;
  relay = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      try {
        const envelope = JSON.parse(body.toString('utf8')) as { infno?: string; opter?: string; opter_name?: string };
        if (envelope.infno) seen.push({ infno: envelope.infno, opter: envelope.opter ?? '', opterName: envelope.opter_name ?? '' });
      } catch {
        // not an envelope (an admin call): forwarded all the same
      }
      const answer = await fetch(sim.url + (req.url ?? '/'), { method: req.method, headers: { 'Content-Type': req.headers['content-type'] ?? 'application/json' }, body: req.method === 'GET' ? undefined : body });
      res.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  terminal = await openTerminal({ dataDir: dir, platformUrl: `http://127.0.0.1:${(relay.address() as AddressInfo).port}`, configFile: null });
});
afterEach(async () => {
  await terminal.close();
  await new Promise<void>((resolve) => relay.close(() => resolve()));
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function qr(label: string): Promise<string> {
  const response = await fetch(`${sim.url}/sim/qrcode`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ psn_no: label }) });
  return String(((await response.json()) as { qrCode: string }).qrCode);
}

describe('the operator of a desk visit', () => {
  it('is recorded on the visit, carried by every message of it, and named on the 门诊收费票据', async () => {
    await terminal.platform.useOperator({ code: '1001', name: '张收费' });
    const desk = terminal.outpatient;
    const opened = await desk.openFromHis({ kind: 'qr', payload: await qr('employee') }, exampleExport(), 'his.json');
    const settled = await desk.settle(opened.id);
    expect(settled.state).toBe('settled');
    expect(settled.operator).toEqual({ code: '1001', name: '张收费' });

    const visitMessages = seen.filter((m) => /^22\d\d$/.test(m.infno));
    expect(new Set(visitMessages.map((m) => m.infno))).toEqual(new Set(['2201', '2203', '2204', '2206', '2207']));
    expect(visitMessages.every((m) => m.opter === '1001' && m.opterName === '张收费')).toBe(true);

    const receipt = outpatientReceiptLines(settled, terminal.platform.counter, false);
    expect(receipt.at(-1)).toBe('收款员: 张收费');
  });

  it('a visit opened with nobody signed in records no operator; the receipt prints the configured one', async () => {
    const desk = terminal.outpatient;
    const settled = await desk.settle((await desk.openFromHis({ kind: 'qr', payload: await qr('employee') }, exampleExport(), 'his.json')).id);
    expect(settled.operator).toBeNull();
    expect(outpatientReceiptLines(settled, terminal.platform.counter, false).at(-1)).toBe(`收款员: ${terminal.platform.counter.opterName}`);
  });
});
