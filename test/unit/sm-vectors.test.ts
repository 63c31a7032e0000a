/**
 * The SM library (sm-crypto-v2) against the published examples of the standards, and the terminal's
 * wrappers (main/platform/security/sm.ts) against the library and Node's own OpenSSL where it has the cipher.
 * GM/T 0004-2012 (SM3) appendix A, GM/T 0002-2012 (SM4) appendix A, GM/T 0003.5-2012 (SM2) appendix A
 * (the recommended curve, ID "1234567812345678"; the ALICE123@YAHOO.COM example of 0003.2 uses a test
 * curve of its own, which no SM library offers).
 */
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sm2, sm3, sm4 } from 'sm-crypto-v2';
import { sm2SignBase64, sm2VerifyBase64, sm4DecryptBase64, sm4EncryptBase64 } from '../../main/platform/security/sm';

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s/g, ''), 'hex'));
const lower = (h: string) => h.replace(/\s/g, '').toLowerCase();

describe('SM3 (GM/T 0004-2012 appendix A)', () => {
  it('example 1: "abc"', () => {
    expect(sm3('abc')).toBe(lower('66c7f0f4 62eeedd9 d1f2d46b dc10e4e2 4167c487 5cf2f7a2 297da02b 8f4ba8e0'));
  });

  it('example 2: "abcd" 16 times (512 bits, two blocks after padding)', () => {
    expect(sm3('abcd'.repeat(16))).toBe(lower('debe9ff9 2275b8a1 38604889 c18e5a4d 6fdb70e5 387e5765 293dcba3 9c0c5732'));
  });
});

describe('SM4 (GM/T 0002-2012 appendix A)', () => {
  const key = '0123456789abcdeffedcba9876543210';

  it('example 1: one block, key = plaintext = 0123456789abcdeffedcba9876543210', () => {
    const block = sm4.encrypt(hex(key), key, { padding: 'none', mode: 'ecb', output: 'array' });
    expect(Buffer.from(block).toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
    expect(Buffer.from(sm4.decrypt(block, key, { padding: 'none', mode: 'ecb', output: 'array' })).toString('hex')).toBe(key);
  });

  // Example 2 (the block encrypted 1,000,000 times -> 595298c7...) costs 5-15 s of CPU here: it runs in
  // `npm run bench` (test/bench/security.ts), which checks the result and reports the time per block.

  it('the wrapper is SM4/ECB/PKCS7 as OpenSSL computes it, and decrypts its own output', () => {
    const k = new TextEncoder().encode('a16bytesclientid');
    const text = '{"data":{"psn_no":"P1","psn_name":"张三"}}';
    const openssl = createCipheriv('sm4-ecb', k, null);
    const expected = Buffer.concat([openssl.update(text, 'utf8'), openssl.final()]).toString('base64');
    expect(sm4EncryptBase64(text, k)).toBe(expected);
    expect(sm4DecryptBase64(expected, k)).toBe(text);
    expect(() => sm4DecryptBase64(expected, new TextEncoder().encode('another16byteskey'.slice(0, 16)))).toThrow();
    expect(() => sm4DecryptBase64(expected.slice(4), k)).toThrow();
  });
});

describe('SM2 signature (GM/T 0003.5-2012 appendix A: recommended curve, ID 1234567812345678)', () => {
  const d = lower('3945208F 7B2144B1 3F36E38A C6D39F95 88939369 2860B51A 42FB81EF 4DF7C5B8');
  const pub = `04${lower('09F9DF31 1E5421A1 50DD7D16 1E4BC5C6 72179FAD 1833FC07 6BB08FF3 56F35020')}${lower('CCEA490C E26775A5 2DC6EA71 8CC1AA60 0AED05FB F35E084A 6632F607 2DA9AD13')}`;
  const k = lower('59276E27 D506861A 16680F3A D9C02DCC EF3CC1FA 3CDBE4CE 6D54B80D EAC1BC21');
  const r = lower('F5A03B06 48D2C463 0EEAC513 E1BB81A1 5944DA38 27D5B741 43AC7EAC EEE720B3');
  const s = lower('B1B6AA29 DF212FD8 763182BC 0D421CA1 BB9038FD 1F7F42D4 840B69C4 85BBC1AA');
  const message = 'message digest';
  const userId = '1234567812345678';

  it('the public key of the example private key', () => {
    expect(sm2.getPublicKeyFromPrivateKey(d)).toBe(pub);
  });

  it('Z_A and e of the example', () => {
    expect(Buffer.from(sm2.getZ(pub, userId)).toString('hex')).toBe(lower('B2E14C5C 79C6DF5B 85F4FE7E D8DB7A26 2B9DA7E0 7CCB0EA9 F4747B8C CDA8A4F3'));
    expect(sm2.getHash(Buffer.from(message).toString('hex'), pub, userId)).toBe(lower('F0B43E94 BA45ACCA ACE692ED 534382EB 17E6AB5A 19CE7B31 F4486FDF C0D28640'));
  });

  it('signing with the example k gives the example (r, s)', () => {
    const x1 = sm2.getPublicKeyFromPrivateKey(k).slice(2, 66);
    const signature = sm2.doSignature(message, d, { hash: true, publicKey: pub, userId, der: false, pointPool: [{ k: BigInt(`0x${k}`), x1: BigInt(`0x${x1}`) }] });
    expect(signature).toBe(r + s);
  });

  it('the example signature verifies; a changed message, ID or signature does not', () => {
    expect(sm2.doVerifySignature(message, r + s, pub, { hash: true, userId, der: false })).toBe(true);
    expect(sm2.doVerifySignature('message digesT', r + s, pub, { hash: true, userId, der: false })).toBe(false);
    expect(sm2.doVerifySignature(message, r + s, pub, { hash: true, userId: '1234567812345679', der: false })).toBe(false);
    expect(sm2.doVerifySignature(message, r + s.replace(/a$/, 'b'), pub, { hash: true, userId, der: false })).toBe(false);
  });

  it('the wrapper verifies the example as Base64(r‖s) and signs what it verifies', () => {
    const base64 = Buffer.from(r + s, 'hex').toString('base64');
    expect(sm2VerifyBase64(message, base64, pub, userId)).toBe(true);
    const mine = sm2SignBase64(message, { privateKey: d, publicKey: pub }, userId);
    expect(Buffer.from(mine, 'base64')).toHaveLength(64);
    expect(sm2VerifyBase64(message, mine, pub, userId)).toBe(true);
    expect(sm2VerifyBase64(message, mine, pub, 'another id')).toBe(false);
  });
});
