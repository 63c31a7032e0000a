// Public API of devices/. main/ imports from here; devices/ imports nothing from main/.
export type {
  CardRecord, CardEvent, Decoded, DeviceEvent, DeviceState, LineSuffix, RejectedEvent,
  ScanEvent, ScanKind, StatusEvent, TextEncoding,
} from './types';
export { deviceEntrySchema, devicesConfigSchema, DEFAULT_BAUD, type DeviceEntry, type DevicesConfig, type DeviceProfile } from './config';
export { classifyScan, eanCheckDigit, type Classified } from './classify';
export { DeviceManager, type DeviceListener, type ManagerOptions } from './manager';
export { VirtualScanner, VirtualCardReader, SAMPLE_CARD, scannerBytes, cardBytes } from './virtual';
export { listDevices, formatListing, type DeviceListing } from './list';
export { loadHid } from './hid';
export { writeToSerialPath } from './serial';
export {
  cardReaderDecoder, serialScannerDecoder, hidPosDecoder, keyboardScannerDecoder,
  DecoderTransform, decodeScan, decodeCardPayload, type ByteDecoder,
} from './pipeline';
export { CardFramer, encodeFrame, xorChecksum, STX, ETX } from './decoders/card-frame';
export { parseCardRecord, formatCardRecord, certnoProblem } from './decoders/card-record';
export { ScanLineSplitter } from './decoders/scan-lines';
export { HidPosDecoder } from './decoders/hid-pos';
export { KeyboardReportDecoder, usageToChar } from './decoders/keyboard';
export { stripAim } from './decoders/aim';
export { maskName, maskCertno, maskCardNo } from './mask';
export * from './printer';
