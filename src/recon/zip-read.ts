/**
 * Reading a provider's `.csv.zip` (Alipay's bill): the central directory, each entry stored or
 * deflated, its CRC checked. A file that is not a whole zip is refused with a reason, never half
 * read. No zip64 or encryption (a day's bill is far below 4 GiB).
 */
import { crc32, inflateRawSync } from 'node:zlib';
import iconv from 'iconv-lite';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

export class ZipError extends Error {}

export function readZip(zip: Buffer): ZipEntry[] {
  // The end record is the last 22 bytes, unless a comment follows it: look back up to 64 KiB.
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--)
    if (zip.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  if (end < 0) throw new ZipError('not a zip file (no end of central directory)');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50)
      throw new ZipError('damaged central directory');
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const packed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const nameBytes = zip.subarray(at + 46, at + 46 + nameLength);
    // Bit 11: UTF-8 names; otherwise GBK, as Chinese tools write them.
    const name = flags & 0x800 ? nameBytes.toString('utf8') : decodeGbkName(nameBytes);
    if (flags & 0x1) throw new ZipError(`${name}: encrypted`);
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== 0x04034b50)
      throw new ZipError(`${name}: damaged entry`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + packed);
    if (raw.length !== packed) throw new ZipError(`${name}: truncated`);
    let data: Buffer;
    try {
      data = method === 0 ? Buffer.from(raw) : method === 8 ? inflateRawSync(raw) : Buffer.alloc(0);
    } catch {
      throw new ZipError(`${name}: damaged data`);
    }
    if (method !== 0 && method !== 8)
      throw new ZipError(`${name}: compression method ${method} not supported`);
    if (data.length !== size || crc32(data) >>> 0 !== crc >>> 0)
      throw new ZipError(`${name}: checksum does not match`);
    entries.push({ name, data });
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

function decodeGbkName(bytes: Buffer): string {
  return iconv.decode(bytes, 'gbk');
}
