// The platform transport over real HTTP (a local node:http server): what came back, and each way an
// exchange can fail sorted by what it means for money: never delivered, or outcome unknown (and why).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotDeliveredError, OutcomeUnknownError } from '../../main/platform/errors';
import { postForFile, postJson } from '../../main/platform/transport';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const routes: Record<string, Handler> = {
  '/json': (req, res, body) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ echo: JSON.parse(body), tif: req.headers['x-tif-paasid'] ?? null }));
  },
  '/file': (_req, res) => {
    res.setHeader('content-type', 'application/octet-stream');
    res.end(Buffer.from([1, 2, 3]));
  },
  '/500': (_req, res) => {
    res.statusCode = 500;
    res.end('{}');
  },
  '/html': (_req, res) => res.end('<html>网关维护中</html>'),
  '/silent': () => {},
  '/hangup': (req) => req.socket.destroy(),
  '/cut': (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.setHeader('content-length', '100');
    res.write('{"infcode": 0,');
    setImmediate(() => res.socket?.destroy());
  },
};

let server: Server;
let base: string;
let connections = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => routes[req.url ?? '']!(req, res, body));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const failure = (promise: Promise<unknown>) => promise.then(() => expect.unreachable('should fail'), (error: unknown) => error);

describe('platform transport', () => {
  it('posts JSON with the extra headers and returns the parsed answer, over one kept-alive connection', async () => {
    const before = connections;
    expect(await postJson(`${base}/json`, { infno: '2102', n: 1 }, 2000, '2102', { 'x-tif-paasid': 'p1' })).toEqual({
      echo: { infno: '2102', n: 1 },
      tif: 'p1',
    });
    expect(await postJson(`${base}/json`, { n: 2 }, 2000, '2102')).toEqual({ echo: { n: 2 }, tif: null });
    expect(connections - before).toBe(1);
  });

  it('returns a file answer as bytes', async () => {
    expect(await postForFile(`${base}/file`, {}, 2000, '9102')).toEqual({ kind: 'bytes', bytes: new Uint8Array([1, 2, 3]) });
    const error = await failure(postJson(`${base}/file`, {}, 2000, '2102'));
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error).toMatchObject({ kind: 'bad_response' });
  });

  it('a refused connection never reached the platform', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(postJson(`http://127.0.0.1:${port}/json`, {}, 2000, '2102'));
    expect(error).toBeInstanceOf(NotDeliveredError);
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it.each([
    ['/silent', 'timeout', '300 ms 内无应答'],
    ['/hangup', 'network', 'ECONNRESET'],
    ['/cut', 'network', '读取应答中断'],
    ['/500', 'http', 'HTTP 500'],
    ['/html', 'bad_response', '应答不是 JSON: <html>网关维护中</html>'],
  ])('%s: the outcome is unknown (%s), never "not delivered"', async (path, kind, detail) => {
    const error = await failure(postJson(`${base}${path}`, {}, 300, '2102'));
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error).toMatchObject({ kind, infno: '2102' });
    expect((error as Error).message).toContain(detail);
  });
});
