// The main process's handle on the services process, with a scripted child: how it starts, fails,
// dies and closes (the real child is tested in test/integration/services-process.test.ts).
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startServicesProcess, type Fork } from '../../main/app/services-process';

type Script = (child: FakeChild) => void;
class FakeChild extends EventEmitter {
  posted: unknown[] = [];
  killed = 0;
  constructor(private readonly onPost: (child: FakeChild, m: unknown) => void) {
    super();
  }
  postMessage(m: unknown) {
    this.posted.push(m);
    this.onPost(this, m);
  }
  kill() {
    this.killed++;
    setImmediate(() => this.emit('exit', 137));
    return true;
  }
}

function start(script: Script, onPost: (child: FakeChild, m: unknown) => void = () => {}, extra: { graceMs?: number; readyTimeoutMs?: number } = {}) {
  const log: string[] = [];
  const unexpected: number[] = [];
  let child!: FakeChild;
  let env: Record<string, string | undefined> = {};
  const fork: Fork = (_entry, _args, options) => {
    env = options.env as Record<string, string | undefined>;
    child = new FakeChild(onPost);
    setImmediate(() => script(child));
    return child as never;
  };
  const started = startServicesProcess({ fork, entry: '/app/services.js', dataDir: '/data', screensDir: '/screens', log: (l) => log.push(l), onUnexpectedExit: (c) => unexpected.push(c), ...extra });
  return { started, log, unexpected, child: () => child, env: () => env };
}

const ready = (c: FakeChild) => c.emit('message', { type: 'ready', url: 'http://127.0.0.1:1234', dataDir: '/data' });
const closesOnRequest = (c: FakeChild, m: unknown) => {
  if ((m as { type: string }).type === 'close') setImmediate(() => (c.emit('message', { type: 'closed' }), c.emit('exit', 0)));
};

describe('services process handle', () => {
  it('passes the data and screens folders, and resolves when the child is ready', async () => {
    const s = start(ready);
    await expect(s.started).resolves.toMatchObject({ url: 'http://127.0.0.1:1234', dataDir: '/data' });
    expect(s.env()).toMatchObject({ YIBAO_POS_DATA: '/data', YIBAO_POS_SCREENS: '/screens' });
  });

  it('rejects with the child’s own reason, or its exit code', async () => {
    await expect(start((c) => c.emit('message', { type: 'failed', message: '数据库文件损坏' })).started).rejects.toThrow('数据库文件损坏');
    await expect(start((c) => c.emit('exit', 1)).started).rejects.toThrow('退出码 1');
  });

  it('kills a child that never gets ready', async () => {
    const s = start(() => {}, () => {}, { readyTimeoutMs: 20 });
    await expect(s.started).rejects.toThrow('未就绪');
    expect(s.child().killed).toBe(1);
  });

  it('reports a child that dies while the app runs, but not one that was asked to close', async () => {
    const dies = start(ready);
    await dies.started;
    dies.child().emit('exit', 9);
    await new Promise(setImmediate); // the handle hears of the exit through a promise
    expect(dies.unexpected).toEqual([9]);

    const closes = start(ready, closesOnRequest);
    const handle = await closes.started;
    expect(await handle.close()).toBe('closed');
    expect(closes.child().posted).toEqual([{ type: 'close' }]);
    expect(closes.unexpected).toEqual([]);
    expect(await handle.close()).toBe('closed'); // a second close does not ask again
    expect(closes.child().posted).toHaveLength(1);
  });

  it('kills a child that does not close in time, and says so', async () => {
    const s = start(ready, () => {}, { graceMs: 20 });
    const handle = await s.started;
    expect(await handle.close()).toBe('killed');
    expect(s.child().killed).toBe(1);
    expect(s.log.at(-1)).toMatch(/did not close in time: killed/);
    expect(s.unexpected).toEqual([]);
  });
});
