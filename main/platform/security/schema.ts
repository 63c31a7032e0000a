/**
 * The `security` part of a province profile: which of the gateway protections the reference §1.4
 * documents this province requires. Paths name files outside the repository (relative ones are read
 * beside the profile file); the secrets themselves never sit in the profile.
 */
import { z } from 'zod';

const file = z.string().min(1);

export const securitySchema = z.strictObject({
  /** Jilin: SM4 of `input`/`output` and a SM3withSM2 `cainfo`, keyed by the client id (OAuth clientId). */
  sm: z
    .strictObject({
      /** The client id: SM4 key (16 bytes) and SM2 user id at once. Secret. */
      clientIdFile: file,
      /** input = Base64(SM4/ECB/PKCS7(JSON(input))), enc_type "SM4"; output comes back the same way. */
      encrypt: z.boolean(),
      /** cainfo = Base64(r‖s of SM3withSM2(JSON(input))), signtype "SM2". */
      sign: z.boolean(),
      /** The pharmacy's SM2 private key (64 hex digits): the terminal signs with it. Secret. */
      privateKeyFile: file.nullable(),
      /** The pharmacy's SM2 public key as registered with the platform ("04" + 128 hex): the platform
       *  (the simulator) verifies with it; the terminal checks it matches its private key. */
      publicKeyFile: file.nullable(),
    })
    .nullable(),
  /** Guangdong TIF gateway headers x-tif-paasid / -timestamp / -nonce / -signature. */
  tif: z
    .strictObject({
      /** 应用账户编码, sent as x-tif-paasid. */
      paasid: z.string().min(1).max(64),
      /** The gateway's secret key (the "token" of SHA-256(ts + token + nonce + ts)). Secret. */
      secretFile: file,
      /** How far x-tif-timestamp may be from the gateway's clock, and how long a nonce is remembered. */
      maxSkewSeconds: z.number().int().min(1).max(3600),
    })
    .nullable(),
});
export type SecurityProfile = z.output<typeof securitySchema>;
