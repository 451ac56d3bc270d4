/**
 * Reads ESC/POS bytes back into text lines and commands: the tests print a receipt and read it
 * as a printer would, and it refuses bytes a printer would misread (non-ASCII outside Chinese mode).
 */
import iconv from 'iconv-lite';

export interface DecodedReceipt {
  lines: string[];
  qrCodes: string[];
  cuts: number;
  commands: string[];
}

export function decodeEscPos(bytes: Uint8Array): DecodedReceipt {
  const out: DecodedReceipt = { lines: [], qrCodes: [], cuts: 0, commands: [] };
  let current = '';
  let i = 0;
  const need = (n: number) => {
    if (i + n > bytes.length) throw new Error(`truncated command at byte ${i}`);
  };
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === 0x1b) {
      need(2);
      const cmd = bytes[i + 1]!;
      if (cmd === 0x40) {
        out.commands.push('init');
        i += 2;
      } else if (cmd === 0x61 || cmd === 0x45 || cmd === 0x64) {
        need(3);
        out.commands.push(`${cmd === 0x61 ? 'align' : cmd === 0x45 ? 'bold' : 'feed'}:${bytes[i + 2]}`);
        i += 3;
      } else throw new Error(`unknown ESC command 0x${cmd.toString(16)} at byte ${i}`);
    } else if (b === 0x1d) {
      need(2);
      const cmd = bytes[i + 1]!;
      if (cmd === 0x21) {
        need(3);
        out.commands.push(`size:${bytes[i + 2]}`);
        i += 3;
      } else if (cmd === 0x56) {
        need(4);
        out.cuts++;
        out.commands.push('cut');
        i += 4;
      } else if (cmd === 0x28 && bytes[i + 2] === 0x6b) {
        need(5);
        const len = bytes[i + 3]! | (bytes[i + 4]! << 8);
        need(5 + len);
        const fn = bytes[i + 6];
        if (fn === 0x50) out.qrCodes.push(Buffer.from(bytes.subarray(i + 8, i + 5 + len)).toString('utf8'));
        i += 5 + len;
      } else throw new Error(`unknown GS command 0x${cmd.toString(16)} at byte ${i}`);
    } else if (b === 0x1c && bytes[i + 1] === 0x26) {
      // Chinese mode: read GB18030 up to FS .
      const end = findSequence(bytes, [0x1c, 0x2e], i + 2);
      if (end < 0) throw new Error(`Chinese mode opened at byte ${i} is never closed`);
      current += iconv.decode(Buffer.from(bytes.subarray(i + 2, end)), 'gb18030');
      i = end + 2;
    } else if (b === 0x0a) {
      out.lines.push(current);
      current = '';
      i++;
    } else if (b >= 0x20 && b < 0x7f) {
      current += String.fromCharCode(b);
      i++;
    } else {
      throw new Error(`byte 0x${b.toString(16)} at ${i} would print as garbage outside Chinese mode`);
    }
  }
  if (current) out.lines.push(current);
  return out;
}

function findSequence(bytes: Uint8Array, seq: number[], from: number): number {
  for (let i = from; i <= bytes.length - seq.length; i++) {
    if (seq.every((s, k) => bytes[i + k] === s)) return i;
  }
  return -1;
}
