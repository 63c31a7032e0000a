/**
 * A province gateway's security (reference §1.4), end to end over real HTTP: the terminal seals every
 * envelope (SM4 input, SM3withSM2 cainfo, TIF headers) and opens the SM4 output; the simulator, given the
 * same profile, refuses each kind of tampered request with a clear err_msg and books nothing.
 */
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sm2 } from 'sm-crypto-v2';
import { loadProfile } from '../../main/platform/profile';
import { type GatewaySecurity, loadGatewaySecurity } from '../../main/platform/security/gateway';
import { sm4DecryptBase64, sm4EncryptBase64, tifSignature } from '../../main/platform/security/sm';
import { CALL_PATH, startSimulator } from '../../simulator/server';
import { harness, type Harness } from '../../simulator/testkit';
import { drug, scanBoxes, startCounter } from '../helpers/counter';
import { makeGatewayKeys, type GatewayKeys } from '../helpers/gateway-keys';

const classA = drug((d) => d.chrgitm_lv === '01' && d.pric_fen > 5000 && d.pric_fen < 20000);

describe('a sale through a gateway that signs and encrypts', () => {
  it('settles, and the platform books exactly what the counter shows', async () => {
    const keys = makeGatewayKeys();
    const configFile = join(keys.dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ platform: { profileFile: keys.profileFile } }));
    const counter = await startCounter({ configFile });
    try {
      counter.sim.setSecurity(keys.profileFile);
      const before = await counter.balances('employee');
      const { sales } = counter.terminal;
      const sale = await sales.beginSale({ kind: 'qr', payload: await counter.qr('employee') });
      scanBoxes(counter.terminal, sale.id, classA, 2);
      await sales.presettle(sale.id);
      const settled = await sales.settle(sale.id);
      expect(settled.state).toBe('settled');
      expect(settled.settlement?.medfeeSumamt).toBe(classA.priceFen * 2);
      expect((await counter.balances('employee')).acct).toBe(before.acct - (settled.settlement?.acctPay ?? 0));
      expect(counter.sim.stats()['2102']).toBe(1);
    } finally {
      await counter.close();
      rmSync(keys.dir, { recursive: true, force: true });
    }
  });
});

describe('what the terminal puts on the wire', () => {
  it('input is SM4 ciphertext of the JSON that cainfo signs; the headers carry the TIF signature', () => {
    const keys = makeGatewayKeys();
    const security = loadGatewaySecurity(loadProfile(keys.profileFile).security, keys.profileFile) as GatewaySecurity;
    const input = { data: { psn_no: 'P1', mdtrt_cert_no: '330102198001010011' } };
    const now = new Date('2026-11-23T02:00:00Z');
    const { envelope, headers } = security.seal({ infno: '1101', cainfo: '', signtype: '', input }, now);
    const text = sm4DecryptBase64(envelope.input as string, new TextEncoder().encode(keys.clientId));
    expect(text).toBe(JSON.stringify(input));
    expect(JSON.stringify(envelope)).not.toContain('330102198001010011');
    expect(envelope).toMatchObject({ enc_type: 'SM4', signtype: 'SM2' });
    const rs = Buffer.from(envelope.cainfo as string, 'base64');
    expect(rs).toHaveLength(64);
    expect(sm2.doVerifySignature(new TextEncoder().encode(text), rs.toString('hex'), keys.publicKey, { hash: true, userId: keys.clientId, der: false })).toBe(true);
    expect(headers['x-tif-timestamp']).toBe(String(now.getTime() / 1000));
    expect(headers['x-tif-nonce']).toMatch(/^[0-9a-f]{24}$/);
    expect(headers['x-tif-signature']).toBe(tifSignature(headers['x-tif-timestamp']!, keys.tifSecret, headers['x-tif-nonce']!));
    rmSync(keys.dir, { recursive: true, force: true });
  });
});

describe('the simulator enforcing the profile', () => {
  let h: Harness;
  let keys: GatewayKeys;
  let security: GatewaySecurity;
  const now = () => new Date(h.clock.ms);

  beforeEach(async () => {
    keys = makeGatewayKeys();
    h = await harness();
    h.sim.setSecurity(keys.profileFile);
    security = loadGatewaySecurity(loadProfile(keys.profileFile).security, keys.profileFile) as GatewaySecurity;
  });
  afterEach(async () => {
    await h.close();
    rmSync(keys.dir, { recursive: true, force: true });
  });

  const personQuery = () => h.client.envelope('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: h.persona('employee').certno, psn_cert_type: '01', certno: h.persona('employee').certno } });

  async function send(envelope: unknown, headers: Record<string, string>): Promise<{ infcode: number; err_msg: string; err_code?: string; output: unknown }> {
    const res = await fetch(h.sim.url + CALL_PATH, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(envelope) });
    return (await res.json()) as { infcode: number; err_msg: string; output: unknown };
  }

  it('a sealed request is answered, its output encrypted with the client id', async () => {
    const sealed = security.seal(personQuery(), now());
    const answer = await send(sealed.envelope, sealed.headers);
    expect(answer.infcode).toBe(0);
    expect(typeof answer.output).toBe('string');
    const opened = security.open(answer, '1101') as { output: { baseinfo: { psn_no: string } } };
    expect(opened.output.baseinfo.psn_no).toBe(h.persona('employee').psn_no);
  });

  it('an unsigned request (plain envelope, no headers) is refused', async () => {
    const answer = await send(personQuery(), {});
    expect(answer).toMatchObject({ infcode: -1, err_code: 'GATEWAY_UNSIGNED' });
    expect(answer.err_msg).toMatch(/缺少请求头 x-tif-paasid/);
  });

  it('a request without cainfo is refused as unsigned', async () => {
    const sealed = security.seal(personQuery(), now());
    const answer = await send({ ...sealed.envelope, cainfo: '' }, sealed.headers);
    expect(answer).toMatchObject({ infcode: -1, err_code: 'UNSIGNED' });
    expect(answer.err_msg).toBe('cainfo: 缺少签名 (本省要求 SM3withSM2 签名)');
  });

  it('a request signed over other content, or with another key, is refused', async () => {
    const sealed = security.seal(personQuery(), now());
    const other = security.seal(h.client.envelope('1101', { data: { mdtrt_cert_type: '02', mdtrt_cert_no: '110101199001011234' } }), now());
    const swapped = await send({ ...sealed.envelope, cainfo: other.envelope.cainfo }, sealed.headers);
    expect(swapped).toMatchObject({ infcode: -1, err_code: 'BAD_SIGNATURE' });
    expect(swapped.err_msg).toMatch(/签名验证失败/);

    // A stranger's key pair (a valid signature, but not by the pharmacy the platform registered).
    const stranger = makeGatewayKeys();
    const foreign = loadGatewaySecurity(
      { ...loadProfile(keys.profileFile).security!, sm: { clientIdFile: join(keys.dir, 'client-id'), encrypt: true, sign: true, privateKeyFile: stranger.privateKeyFile, publicKeyFile: null } },
      keys.profileFile,
    ) as GatewaySecurity;
    const forged = foreign.seal(personQuery(), now());
    expect((await send(forged.envelope, forged.headers)).err_code).toBe('BAD_SIGNATURE');
    rmSync(stranger.dir, { recursive: true, force: true });
  });

  it('a request with a wrong gateway signature is refused', async () => {
    const sealed = security.seal(personQuery(), now());
    const answer = await send(sealed.envelope, { ...sealed.headers, 'x-tif-signature': tifSignature(sealed.headers['x-tif-timestamp']!, 'not-the-secret', sealed.headers['x-tif-nonce']!) });
    expect(answer).toMatchObject({ infcode: -1, err_code: 'GATEWAY_SIGNATURE' });
  });

  it('a replayed request is refused: an old timestamp, and a nonce used before', async () => {
    const old = security.seal(personQuery(), new Date(h.clock.ms - 301_000));
    const late = await send(old.envelope, old.headers);
    expect(late).toMatchObject({ infcode: -1, err_code: 'GATEWAY_REPLAY' });
    expect(late.err_msg).toMatch(/相差 301 秒, 超过 300 秒/);

    const sealed = security.seal(personQuery(), now());
    expect((await send(sealed.envelope, sealed.headers)).infcode).toBe(0);
    const again = await send(sealed.envelope, sealed.headers);
    expect(again).toMatchObject({ infcode: -1, err_code: 'GATEWAY_REPLAY' });
    expect(again.err_msg).toMatch(new RegExp(`x-tif-nonce ${sealed.headers['x-tif-nonce']} 已使用过`));
  });

  it('an input that does not decrypt (another key, or damaged) is refused', async () => {
    const sealed = security.seal(personQuery(), now());
    const wrongKey = sm4EncryptBase64('{"data":{}}', new TextEncoder().encode('0123456789abcdef'));
    const answer = await send({ ...sealed.envelope, input: wrongKey }, sealed.headers);
    expect(answer).toMatchObject({ infcode: -1, err_code: 'UNDECRYPTABLE' });
    expect(answer.err_msg).toMatch(/input: 无法解密/);

    const again = security.seal(personQuery(), now());
    const plain = await send({ ...again.envelope, input: { data: {} } }, again.headers);
    expect(plain.err_msg).toBe('input: 应为 Base64(SM4(JSON)) 的密文');
  });

  it('turned off and on through the admin endpoint, which says what it enforces', async () => {
    const admin = (method: string, body?: unknown) =>
      fetch(`${h.sim.url}/sim/security`, { method, headers: { 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) }).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect((await admin('GET')).body).toEqual({ enforcing: true, profileFile: keys.profileFile, summary: 'SM4 input, SM2 cainfo, TIF headers' });
    expect((await admin('DELETE')).body).toEqual({ enforcing: false });
    expect((await send(personQuery(), {})).infcode).toBe(0);
    const missing = await admin('POST', { profileFile: join(keys.dir, 'nope.json') });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toContain('nope.json');
    expect((await admin('POST', { profileFile: keys.profileFile })).body).toMatchObject({ enforcing: true });
    expect((await send(personQuery(), {})).err_code).toBe('GATEWAY_UNSIGNED');
  });
});

describe('the simulator started with a profile', () => {
  it('enforces it from the start; a profile it cannot read stops it starting, naming the file', async () => {
    const keys = makeGatewayKeys({ tif: false });
    const sim = await startSimulator({ profileFile: keys.profileFile });
    try {
      const env = { infno: '9001', msgid: 'P33010500123202506151000000001', input: { signIn: {} } };
      const res = await fetch(sim.url + CALL_PATH, { method: 'POST', body: JSON.stringify(env) });
      expect(await res.json()).toMatchObject({ infcode: -1, err_code: 'UNDECRYPTABLE' });
    } finally {
      await sim.close();
      rmSync(keys.dir, { recursive: true, force: true });
    }
    await expect(startSimulator({ profileFile: '/nonexistent/profile.json' })).rejects.toThrow(/\/nonexistent\/profile\.json/);
  });
});

describe('key files', () => {
  it('a private key readable by the group or the world is refused, naming the file and what to do', () => {
    const keys = makeGatewayKeys();
    chmodSync(keys.privateKeyFile, 0o644);
    const profile = loadProfile(keys.profileFile);
    expect(() => loadGatewaySecurity(profile.security, keys.profileFile)).toThrow(
      `省份配置 ${keys.profileFile}: security.sm.privateKeyFile (${keys.privateKeyFile}): 权限 0644 过宽: 密钥文件只能由本用户读写 (请执行 chmod 600 ${keys.privateKeyFile})`,
    );
    chmodSync(keys.privateKeyFile, 0o640);
    expect(() => loadGatewaySecurity(profile.security, keys.profileFile)).toThrow(/权限 0640 过宽/);
    chmodSync(keys.privateKeyFile, 0o600);
    expect(loadGatewaySecurity(profile.security, keys.profileFile)?.summary).toBe('SM4 input, SM2 cainfo, TIF headers');
    rmSync(keys.dir, { recursive: true, force: true });
  });

  it('a missing key, a malformed key, a client id of the wrong size and a mismatched public key are each named', () => {
    const keys = makeGatewayKeys();
    const profile = loadProfile(keys.profileFile);
    const load = () => loadGatewaySecurity(profile.security, keys.profileFile);
    writeFileSync(keys.privateKeyFile, 'not a key', { mode: 0o600 });
    expect(load).toThrow(/security\.sm\.privateKeyFile .*SM2 私钥应为 64 位十六进制/);
    writeFileSync(keys.privateKeyFile, sm2.generateKeyPairHex().privateKey, { mode: 0o600 });
    expect(load).toThrow(/publicKeyFile 与 privateKeyFile 不是一对密钥/);
    writeFileSync(keys.privateKeyFile, keys.privateKey, { mode: 0o600 });
    writeFileSync(join(keys.dir, 'client-id'), 'short', { mode: 0o600 });
    expect(load).toThrow(/security\.sm\.clientIdFile .*须为 16 字节, 实为 5 字节/);
    rmSync(join(keys.dir, 'client-id'));
    expect(load).toThrow(/security\.sm\.clientIdFile .*文件不存在/);
    rmSync(keys.dir, { recursive: true, force: true });
  });
});
