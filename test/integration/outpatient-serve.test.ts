/**
 * `npm run serve -- --desk`: browser mode opens the hospital billing desk on the built-in simulator with
 * no configuration at all (a fresh data directory), and its API bills a visit from a posted HIS export.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let child: ChildProcess;
let url: string;
beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', 'main/api/serve.ts', '--desk', '--fresh', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /已启动: (http:\/\/[\d.:]+)\//.exec(out);
      if (match && out.includes('门诊收费处')) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}, 240_000);
afterAll(() => {
  child?.kill();
});

async function api(method: string, args: object): Promise<any> {
  const response = await fetch(`${url}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) });
  const body = await response.json();
  if (!response.ok) throw new Error(`${method}: ${JSON.stringify(body)}`);
  return body;
}

describe('npm run serve -- --desk', () => {
  it('is a billing desk on the built-in simulator; a HIS export posted over HTTP is billed and settled', async () => {
    const info = await api('deskInfo', {});
    expect(info.kind).toBe('desk');
    expect((await api('getStatus', {})).demo).toBe(true);
    // Nobody signed in: the desk bills no one (403, the reason in Chinese); the demo clerk signs in first.
    await expect(api('deskOpen', { patient: { kind: 'persona', label: 'employee' }, deptCode: 'A03', doctorCode: 'D0001' })).rejects.toThrow(/NOT_SIGNED_IN/);
    await api('operatorSignIn', { code: '1001', pin: '1234' });
    const opened = await api('deskOpen', { patient: { kind: 'persona', label: 'employee' }, deptCode: 'A03', doctorCode: 'D0001' });
    expect(opened.state).toBe('registered');
    await api('deskDiagnose', { visitId: opened.id, medType: '11', codes: ['J06.900'] });
    const billed = await api('deskImportFees', { visitId: opened.id, export: JSON.parse(readFileSync('docs/examples/his-fees.json', 'utf8')) });
    expect(billed.fees.map((f: { classText: string }) => f.classText)).toHaveLength(5);
    expect(billed.total).toBe('259.40');
    await api('deskPresettle', { visitId: opened.id });
    const settled = await api('deskSettle', { visitId: opened.id });
    expect(settled.state).toBe('settled');
    expect(settled.receipt.join('\n')).toContain('门诊收费票据');
    // A posted export with a bad item: 400, one sentence naming it, nothing uploaded.
    const next = await api('deskOpen', { patient: { kind: 'persona', label: 'resident' }, deptCode: 'A03', doctorCode: 'D0001' });
    const raw = JSON.parse(readFileSync('docs/examples/his-fees.json', 'utf8'));
    raw.documents[1].items[0].quantity = '-1';
    const bad = await fetch(`${url}/api/deskImportFees`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ visitId: next.id, export: raw }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/documents\[1\] 处方 RX0002 第 1 项 \(YP000003\): quantity: 数量不能为负数/);
    expect((await api('deskGetVisit', { visitId: next.id })).fees).toEqual([]);
  });
});
