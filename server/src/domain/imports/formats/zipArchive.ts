import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { Inflate } from 'fflate';
import { ImportFileError } from '../importRecord.js';
import { said } from '../../messages/userError.js';

export interface ZipEntry {
  /** The path inside the archive, `/`-separated. */
  name: string;
  compressedSize: number;
  size: number;
  open(): Readable;
}

const endOfCentralDirectory = 0x06054b50;
const centralFileHeader = 0x02014b50;
const localFileHeader = 0x04034b50;

function damaged(fileName: string, detail: string): ImportFileError {
  return new ImportFileError(said('import.zip-damaged', { fileName, detail }));
}

/**
 * The entries of a zip file, read from its central directory; each opens as a stream, inflated as it is read
 * (fflate), so neither the archive nor an entry is ever held whole.
 */
export async function zipEntries(path: string, fileName: string): Promise<ZipEntry[]> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let end = -1;
    for (let at = tailLength - 22; at >= 0; at -= 1) {
      if (tail.readUInt32LE(at) === endOfCentralDirectory) {
        end = at;
        break;
      }
    }
    if (end < 0) throw damaged(fileName, 'its table of contents is missing');
    const count = tail.readUInt16LE(end + 10);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    if (directoryOffset + directorySize > size) throw damaged(fileName, 'its table of contents points past its end');
    const directory = Buffer.alloc(directorySize);
    await handle.read(directory, 0, directorySize, directoryOffset);
    const entries: ZipEntry[] = [];
    let at = 0;
    for (let index = 0; index < count; index += 1) {
      if (at + 46 > directory.length || directory.readUInt32LE(at) !== centralFileHeader) {
        throw damaged(fileName, 'its table of contents is broken');
      }
      const method = directory.readUInt16LE(at + 10);
      const compressedSize = directory.readUInt32LE(at + 20);
      const uncompressedSize = directory.readUInt32LE(at + 24);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const headerOffset = directory.readUInt32LE(at + 42);
      const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
      at += 46 + nameLength + extraLength + commentLength;
      if (name.endsWith('/')) continue;
      if (method !== 0 && method !== 8) {
        throw damaged(fileName, `"${name}" is compressed with a method other than deflate`);
      }
      const local = Buffer.alloc(30);
      await handle.read(local, 0, 30, headerOffset);
      if (local.readUInt32LE(0) !== localFileHeader) throw damaged(fileName, `"${name}" cannot be found in it`);
      const dataStart = headerOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      if (dataStart + compressedSize > size) throw damaged(fileName, `"${name}" is cut short`);
      entries.push({
        name,
        compressedSize,
        size: uncompressedSize,
        open: () => {
          if (compressedSize === 0) return Readable.from([]);
          const bytes = createReadStream(path, { start: dataStart, end: dataStart + compressedSize - 1 });
          return method === 8 ? bytes.pipe(inflating(fileName, name)) : bytes;
        },
      });
    }
    return entries;
  } finally {
    await handle.close();
  }
}

function inflating(fileName: string, entryName: string): Transform {
  const inflate = new Inflate();
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        inflate.push(chunk);
        done();
      } catch (error) {
        done(damaged(fileName, `"${entryName}" cannot be unpacked: ${String(error)}`));
      }
    },
    flush(done) {
      try {
        inflate.push(new Uint8Array(0), true);
        done();
      } catch (error) {
        done(damaged(fileName, `"${entryName}" cannot be unpacked: ${String(error)}`));
      }
    },
  });
  inflate.ondata = (data) => stream.push(Buffer.from(data));
  return stream;
}
