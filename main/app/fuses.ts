/**
 * The Electron fuses flipped in the packaged binary (electron-builder's `electronFuses`, which runs
 * @electron/fuses after packing). electron-builder.yml carries the same values; a test checks that the
 * config electron-builder loads equals this object, so neither can drift.
 * - runAsNode off: ELECTRON_RUN_AS_NODE cannot turn the signed app into a general Node (the services
 *   process uses utilityProcess, which does not need it);
 * - cookie encryption on; NODE_OPTIONS / NODE_EXTRA_CA_CERTS and --inspect ignored;
 * - the asar archive's integrity is validated and the app loads only from it;
 * - file:// pages get no extra privileges (the screens come from app://).
 */
import type { FuseOptionsV1 } from 'app-builder-lib';

export const ELECTRON_FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
} as const satisfies FuseOptionsV1;
