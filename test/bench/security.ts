/**
 * Issue 9's price of a province's gateway security: sealing one 2102 envelope (SM3withSM2 signature, SM4
 * of input, TIF headers) in µs next to serialising it plain; the simulator's side (verify + decrypt);
 * a 2101 round trip over HTTP plain vs sealed; and the SM4 1,000,000-iteration vector of GM/T 0002.
 */
import { rmSync } from 'node:fs';
import { sm4 } from 'sm-crypto-v2';
import { loadProfile } from '../../main/platform/profile';
import { type GatewaySecurity, loadGatewaySecurity } from '../../main/platform/security/gateway';
import { GatewaySecurity as SimGatewaySecurity } from '../../simulator/security';
import { CALL_PATH } from '../../simulator/server';
import { harness, settleInput, type CartLine } from '../../simulator/testkit';
import { makeGatewayKeys } from '../helpers/gateway-keys';
import { nowMs, round, summarize } from './stats';

export async function benchSecurity(): Promise<Record<string, string | number>> {
  const keys = makeGatewayKeys({ maxSkewSeconds: 3600 });
  const h = await harness({ now: () => Date.now() });
  try {
    const terminal = loadGatewaySecurity(loadProfile(keys.profileFile).security, keys.profileFile) as GatewaySecurity;
    const platform = SimGatewaySecurity.fromProfile(keys.profileFile);
    const p = h.persona('employee');
    const cart: CartLine[] = h.fixture.drugs.slice(0, 5).map((d, i) => ({ med_list_codg: d.med_list_codg, pric: `${12 + i}.50`, cnt: 2 }));
    const envelope = (infno: string) => h.client.envelope(infno, settleInput(p, cart, { invono: 'INV1' }), { insuplc_admdvs: p.insuplc_admdvs });

    const n = 300;
    const env2102 = envelope('2102');
    const plain = timeEach(n, () => JSON.stringify(env2102));
    const sealedTimes = timeEach(n, () => JSON.stringify(terminal.seal(env2102, new Date()).envelope));
    // Each sealed once beforehand: the platform remembers nonces and refuses a second use.
    const batch = Array.from({ length: n }, () => terminal.seal(env2102, new Date()));
    const unsealTimes = timeEach(n, (i) => platform.unseal(batch[i]!.headers, batch[i]!.envelope, Date.now()), false);
    const answer = platform.sealAnswer({ infcode: 0, output: { setlinfo: { medfee_sumamt: '135.00', psn_no: p.psn_no } } });
    const openTimes = timeEach(n, () => terminal.open(answer, '2102'));

    const trips = 100;
    const roundTrip = async (seal: boolean) => {
      const samples: number[] = [];
      for (let i = 0; i < trips; i++) {
        const started = nowMs();
        const out = seal ? terminal.seal(envelope('2101'), new Date()) : { envelope: envelope('2101'), headers: {} };
        const res = await fetch(h.sim.url + CALL_PATH, { method: 'POST', headers: { 'Content-Type': 'application/json', ...out.headers }, body: JSON.stringify(out.envelope) });
        const json: unknown = await res.json();
        const reply = (seal ? terminal.open(json, '2101') : json) as { infcode: number; err_msg: string };
        if (reply.infcode !== 0) throw new Error(`2101 refused: ${reply.err_msg}`);
        samples.push(nowMs() - started);
      }
      return summarize(samples);
    };
    const plainTrip = await roundTrip(false);
    h.sim.setSecurity(keys.profileFile);
    const sealedTrip = await roundTrip(true);

    return {
      '2102 envelope, plain JSON (µs, p50)': µs(plain.p50),
      '2102 envelope, signed + encrypted + TIF (µs, p50)': µs(sealedTimes.p50),
      '2102 envelope, signed + encrypted + TIF (µs, p99)': µs(sealedTimes.p99),
      'platform side: verify + decrypt (µs, p50)': µs(unsealTimes.p50),
      'answer output SM4 decrypt (µs, p50)': µs(openTimes.p50),
      '2101 round trip on loopback, plain (ms, p50)': plainTrip.p50,
      '2101 round trip on loopback, sealed (ms, p50)': sealedTrip.p50,
      ...sm4MillionVector(),
    };
  } finally {
    await h.close();
    rmSync(keys.dir, { recursive: true, force: true });
  }
}

/** GM/T 0002-2012 appendix A example 2: the block encrypted 1,000,000 times; fails the bench when wrong. */
function sm4MillionVector(): Record<string, string | number> {
  const key = Uint8Array.from(Buffer.from('0123456789abcdeffedcba9876543210', 'hex'));
  let block: Uint8Array = key;
  const started = nowMs();
  for (let i = 0; i < 1_000_000; i++) block = sm4.encrypt(block, key, { padding: 'none', mode: 'ecb', output: 'array' });
  const elapsed = nowMs() - started;
  const result = Buffer.from(block).toString('hex');
  if (result !== '595298c7c6fd271f0402f804c33d3f66') throw new Error(`SM4 1,000,000-iteration vector: got ${result}`);
  return { 'SM4 GM/T 0002 1,000,000-iteration vector': 'ok', 'SM4 one block incl. key schedule (µs)': round((elapsed * 1000) / 1_000_000, 2) };
}

function timeEach(n: number, fn: (i: number) => unknown, warm = true): { p50: number; p99: number } {
  if (warm) for (let i = 0; i < 20; i++) fn(-1 - i);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = nowMs();
    fn(i);
    samples.push(nowMs() - started);
  }
  return summarize(samples);
}

function µs(ms: number): number {
  return round(ms * 1000, 1);
}
