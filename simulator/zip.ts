// Just enough ZIP (PKWARE APPNOTE 4.3) for the 3202 files: write one deflated entry, read the entries
// of an archive (stored or deflated). Hand-written over node:zlib so the simulator keeps its own small
// dependency set (node:http, better-sqlite3, zod) and shares nothing with the terminal's zip code.
import { deflateRawSync, inflateRawSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip archive holding one deflated file. */
export function zipOne(name: string, content: Buffer): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const packed = deflateRawSync(content);
  const crc = crc32(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0x0800, 6); // UTF-8 names
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x0800, 8);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  const centralOffset = local.length + nameBytes.length + packed.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, nameBytes, packed, central, nameBytes, end]);
}

/** The files of an archive, or the reason it is not one this reader understands. */
export function unzip(archive: Buffer): { files: { name: string; content: Buffer }[] } | { problem: string } {
  const endAt = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0 || archive.length - endAt < 22) return { problem: 'not a zip archive' };
  const entries = archive.readUInt16LE(endAt + 10);
  let at = archive.readUInt32LE(endAt + 16);
  const files: { name: string; content: Buffer }[] = [];
  try {
    for (let i = 0; i < entries; i++) {
      if (archive.readUInt32LE(at) !== 0x02014b50) return { problem: 'broken zip central directory' };
      const method = archive.readUInt16LE(at + 10);
      const crc = archive.readUInt32LE(at + 16);
      const packedSize = archive.readUInt32LE(at + 20);
      const nameLen = archive.readUInt16LE(at + 28);
      const extraLen = archive.readUInt16LE(at + 30);
      const commentLen = archive.readUInt16LE(at + 32);
      const localAt = archive.readUInt32LE(at + 42);
      const name = archive.subarray(at + 46, at + 46 + nameLen).toString('utf8');
      at += 46 + nameLen + extraLen + commentLen;
      if (archive.readUInt32LE(localAt) !== 0x04034b50) return { problem: `broken zip entry ${name}` };
      const dataAt = localAt + 30 + archive.readUInt16LE(localAt + 26) + archive.readUInt16LE(localAt + 28);
      const packed = archive.subarray(dataAt, dataAt + packedSize);
      if (method !== 0 && method !== 8) return { problem: `zip entry ${name}: compression method ${method} not supported (use deflate)` };
      const content = method === 8 ? inflateRawSync(packed) : Buffer.from(packed);
      if (crc32(content) !== crc) return { problem: `zip entry ${name}: CRC mismatch` };
      if (!name.endsWith('/')) files.push({ name, content });
    }
  } catch (e) {
    return { problem: `broken zip archive (${(e as Error).message})` };
  }
  return { files };
}
