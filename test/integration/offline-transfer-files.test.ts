// Queue files that strand nothing: an export stays outstanding (its sales `exported`) until the file is
// acknowledged by the terminal that imported it or withdrawn here by its checksum; a terminal's own file
// imported back is refused with the reason; the 家庭共济 holds travel with their sales. Driven through
// the CLI (real SQLite ledgers, the simulator over real HTTP).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MutualAidRepo } from '../../db/mutual-aid-repo';
import { runQueueCommand } from '../../main/cli/queue-command';
import type { Terminal } from '../../main/terminal';
import { personaCard, startEnv, type Env } from '../helpers/offline-env';

function io(json = false) {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s), json, lines: out, errors: err };
}

async function run(t: Terminal, args: string[], json = false) {
  const o = io(json);
  const code = await runQueueCommand(t, args, o);
  return { code, out: o.lines.join('\n'), err: o.errors.join('\n'), json: () => JSON.parse(o.lines[0] ?? 'null') };
}

describe('queue files: outstanding until acknowledged or withdrawn', () => {
  let env: Env;
  let siteA: Terminal;
  let siteB: Terminal;
  const exported = (t: Terminal) => t.offline.status().exported;

  beforeAll(async () => {
    env = await startEnv();
    siteA = await env.open({ dataDir: join(env.dir, 'site-a') });
    siteB = await env.open({ dataDir: join(env.dir, 'site-b') });
    // Identified online once (cached for offline), then the counter goes offline and sells.
    for (const l of ['employee', 'retiree']) siteA.sales.discard((await siteA.sales.beginSale(personaCard(l))).id);
    expect((await run(siteA, ['offline'])).code).toBe(0);
  }, 60_000);
  afterAll(async () => env?.cleanup());

  async function sellOffline(label: string, maxFen: number, boxes = 1) {
    const drug = siteA.catalog.entries.find((d) => d.chrgitm_lv === '03' && d.pric_fen < maxFen)!;
    const sale = await siteA.sales.beginSale(personaCard(label));
    siteA.sales.addItem(sale.id, drug.barcode, boxes);
    await siteA.sales.presettle(sale.id);
    expect((await siteA.sales.settle(sale.id)).state).toBe('queued');
    return sale.id;
  }

  it('export without --out only says what it would take; with --out the sales stay exported, listed as outstanding', async () => {
    await sellOffline('employee', 5_000);
    const plan = await run(siteA, ['export']);
    expect(plan.code).toBe(2);
    expect(plan.out).toMatch(/^将导出 1 笔离线交易 \(合计 ¥\d+\.\d{2}\)\. 确认请加 --out FILE$/);
    expect(siteA.offline.status().pending).toBe(1);

    const file = join(env.dir, 'first.json');
    const out = await run(siteA, ['export', '--out', file], true);
    expect(out.code).toBe(0);
    const { sha256 } = out.json() as { sha256: string };
    expect(JSON.parse(readFileSync(file, 'utf8')).sha256).toBe(sha256);
    expect(exported(siteA)).toBe(1);
    const list = await run(siteA, ['exports'], true);
    expect((list.json() as Array<{ sha256: string; status: string; count: number }>).map((e) => [e.sha256, e.status, e.count])).toEqual([[sha256, 'outstanding', 1]]);
  });

  it('its own file imported back is refused with the reason, nothing changed; un-export by checksum queues the sales again', async () => {
    const file = join(env.dir, 'first.json');
    const back = await run(siteA, ['import', file]);
    expect(back.code).toBe(1);
    expect(back.err).toMatch(/这是本机导出的文件 \(批次 [0-9a-f-]{36}, 1 笔, \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\): 本机不导入自己的文件\. 若该文件没有在他处导入, 请撤回导出/);
    expect(exported(siteA)).toBe(1);

    const sha256 = JSON.parse(readFileSync(file, 'utf8')).sha256 as string;
    expect((await run(siteA, ['unexport', 'zz'])).err).toContain('sha256: 请给出导出文件的校验和');
    const withdrawn = await run(siteA, ['unexport', sha256.slice(0, 10)]);
    expect(withdrawn.code).toBe(0);
    expect(withdrawn.out).toContain('1 笔回到本机待上传队列');
    expect(siteA.offline.status()).toMatchObject({ pending: 1, exported: 0 });
    expect((await run(siteA, ['unexport', sha256])).err).toMatch(/已于 .* 撤回, 交易已回到本机队列/);
    const again = await run(siteA, ['import', file]);
    expect(again.err).toMatch(/导出已于 .* 撤回, 交易已在本机待上传队列, 无需导入/);
  });

  it('imported elsewhere: the acknowledgement brought back closes the export, which can no longer be withdrawn; the mutual-aid holds travel', async () => {
    const retireeSale = await sellOffline('retiree', 20_000, 2); // more than his own ¥30: his daughter's account helps
    const holdsA = new MutualAidRepo(siteA.db).holdsOf(retireeSale);
    expect(holdsA.length).toBeGreaterThan(0);

    const file = join(env.dir, 'second.json');
    const out = await run(siteA, ['export', '--out', file], true);
    expect(out.json()).toMatchObject({ count: 2 });
    const sha256 = (out.json() as { sha256: string }).sha256;

    const ackFile = join(env.dir, 'second.ack.json');
    const imported = await run(siteB, ['import', file, '--ack-out', ackFile]);
    expect(imported.code).toBe(0);
    expect(imported.out).toMatch(/^已导入批次 .*: 新增 2 笔, 已有跳过 0 笔\. 请把回执文件 .*second\.ack\.json 带回导出的收银台导入/);
    expect(existsSync(ackFile)).toBe(true);
    const twice = await run(siteB, ['import', file, '--ack-out', ackFile]);
    expect(twice.out).toMatch(/之前已导入过: 新增 0 笔, 已有跳过 2 笔/);
    // The daughter's account is held at site B too, for the very sale it travelled with.
    const uid = siteA.offline.entry(retireeSale)!.uid;
    const atB = siteB.offline.list({ limit: 10 }).find((e) => e.uid === uid)!;
    expect(new MutualAidRepo(siteB.db).holdsOf(atB.sale_id)).toEqual(holdsA);

    const acked = await run(siteA, ['import', ackFile]);
    expect(acked.code).toBe(0);
    expect(acked.out).toContain('的导出已被他处导入确认: 2 笔由那里上传');
    expect((await run(siteA, ['unexport', sha256])).err).toMatch(/已在他处导入并确认 .*: 不能撤回/);
    expect(exported(siteA)).toBe(2);
    // An acknowledgement for another pharmacy's file, or for no export of ours, changes nothing.
    expect((await run(siteB, ['import', ackFile])).err).toContain('file.queueSha256: 本机没有导出过该文件');
  });
});
