import { crc32 } from 'node:zlib';
import type { LtsApi } from './types.ts';

/**
 * The on-disk form of a batch in a spool segment:
 *
 *     magic (4 bytes "LTS1") | payload length (uint32 BE) | CRC-32 of payload (uint32 BE) | payload (UTF-8 JSON)
 *
 * A kill -9 can tear the last entry; a bad disk can flip bits anywhere. The
 * checksum finds both; the magic lets reading resume at the next intact entry.
 */
export interface SpooledBatch {
  api: LtsApi;
  /** The labels of the request, as JSON. */
  labelsJson: string;
  /** Standard API: the base time, as digits. */
  baseTimeNs?: string;
  /** High-accuracy API: each record's time, as digits. */
  timesNs?: string[];
  contents: string[];
}

const magic = Buffer.from('LTS1', 'latin1');
const headerBytes = 12;
/** An entry larger than this is corruption, not data. */
const maxPayloadBytes = 256 * 1024 * 1024;

/** One framed entry. */
export function encodeEntry(batch: SpooledBatch): Buffer {
  const payload = Buffer.from(JSON.stringify(batch), 'utf8');
  const header = Buffer.allocUnsafe(headerBytes);
  magic.copy(header, 0);
  header.writeUInt32BE(payload.length, 4);
  header.writeUInt32BE(crc32(payload), 8);
  return Buffer.concat([header, payload]);
}

/** What a segment held: the intact batches, and how many bytes could not be read. */
export interface DecodedSegment {
  batches: SpooledBatch[];
  /** Bytes skipped because they were torn or corrupt. */
  damagedBytes: number;
}

/** Reads every intact entry; skips damage by searching for the next entry that checks out. */
export function decodeSegment(data: Buffer): DecodedSegment {
  const batches: SpooledBatch[] = [];
  let damagedBytes = 0;
  let offset = 0;
  while (offset < data.length) {
    const batch = entryAt(data, offset);
    if (batch !== undefined) {
      batches.push(batch.value);
      offset = batch.end;
      continue;
    }
    const next = data.indexOf(magic, offset + 1);
    const resume = next === -1 ? data.length : next;
    damagedBytes += resume - offset;
    offset = resume;
  }
  return { batches, damagedBytes };
}

function entryAt(data: Buffer, offset: number): { value: SpooledBatch; end: number } | undefined {
  if (offset + headerBytes > data.length || data.compare(magic, 0, 4, offset, offset + 4) !== 0) {
    return undefined;
  }
  const length = data.readUInt32BE(offset + 4);
  const end = offset + headerBytes + length;
  if (length > maxPayloadBytes || end > data.length) return undefined;
  const payload = data.subarray(offset + headerBytes, end);
  if (crc32(payload) !== data.readUInt32BE(offset + 8)) return undefined;
  try {
    const value = JSON.parse(payload.toString('utf8')) as SpooledBatch;
    return Array.isArray(value.contents) ? { value, end } : undefined;
  } catch {
    return undefined;
  }
}
