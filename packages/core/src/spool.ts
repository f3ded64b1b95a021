import {
  chmodSync,
  closeSync,
  fchmodSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  type DecodedSegment,
  decodeSegment,
  encodeEntry,
  type SpooledBatch,
} from './spool-format.ts';

/** A segment this process took from the spool to replay. */
export interface ClaimedSegment {
  path: string;
  /** The name it had before it was claimed (to give it back at exit). */
  originalPath: string;
  decoded: DecodedSegment;
}

/** What a write did: whether the batch is on disk, and what had to go to make room. */
export interface SpoolWrite {
  written: boolean;
  /** Batches of older segments deleted for space. */
  evicted: SpooledBatch[];
}

/** Spool directories the spool creates: only the owner may list or enter them (records can carry personal data). */
const directoryMode = 0o700;
/** Segment files: only the owner may read or write them. */
const fileMode = 0o600;

/**
 * Append-only segment files in one directory, shared safely by several
 * processes: each process writes only its own segment (`*.open`, renamed to
 * `*.seg` when complete), and a segment is replayed by the one process that
 * renames it to `*.claimed-<pid>` (rename is atomic). Segments left behind by
 * processes that died are taken over once their pid is gone.
 *
 * All operations are synchronous: the spool is used when something already
 * went wrong (an outage, a timeout, the process exiting), including inside
 * `process.on('exit')` where nothing asynchronous can run.
 *
 * Records can carry personal data: directories the spool creates are 0700 and
 * segment files 0600, whatever the process umask. A directory that already
 * exists is left as its owner made it.
 */
export class Spool {
  private current: { path: string; descriptor: number; bytes: number } | undefined;
  private sequence = 0;
  private readonly segmentBytes: number;

  constructor(
    readonly directory: string,
    readonly maxBytes: number,
  ) {
    createPrivateDirectory(directory);
    this.segmentBytes = Math.max(64 * 1024, Math.min(8 * 1024 * 1024, Math.floor(maxBytes / 4)));
  }

  /** Appends a batch to this process's segment, deleting the oldest complete segments if the spool is full. */
  write(batch: SpooledBatch): SpoolWrite {
    const entry = encodeEntry(batch);
    const evicted: SpooledBatch[] = [];
    let used = this.usedBytes();
    while (used + entry.length > this.maxBytes) {
      const oldest = this.files().find((file) => file.kind === 'seg');
      if (oldest === undefined) return { written: false, evicted };
      const path = join(this.directory, oldest.name);
      try {
        evicted.push(...decodeSegment(readFileSync(path)).batches);
        unlinkSync(path);
      } catch {
        // Another process claimed or deleted it meanwhile.
      }
      used = this.usedBytes();
    }
    const current = this.openSegment();
    writeSync(current.descriptor, entry);
    current.bytes += entry.length;
    if (current.bytes >= this.segmentBytes) this.sealCurrent();
    return { written: true, evicted };
  }

  /** Completes this process's segment so that it can be replayed. */
  sealCurrent(): void {
    const current = this.current;
    if (current === undefined) return;
    this.current = undefined;
    closeSync(current.descriptor);
    renameSync(current.path, current.path.replace(/\.open$/, '.seg'));
  }

  /** Takes the oldest segment nobody else is writing or replaying, or undefined. */
  claim(): ClaimedSegment | undefined {
    for (const file of this.files()) {
      if (file.kind !== 'seg' && (file.pid === process.pid || isAlive(file.pid))) continue;
      const originalPath = join(this.directory, file.name);
      const base = file.name.replace(/\.(open|seg|claimed-\d+)$/, '');
      const path = join(this.directory, `${base}.claimed-${process.pid}`);
      try {
        renameSync(originalPath, path);
      } catch {
        continue; // Someone else was faster.
      }
      let data: Buffer;
      try {
        data = readFileSync(path);
      } catch {
        continue;
      }
      return {
        path,
        originalPath: join(this.directory, `${base}.seg`),
        decoded: decodeSegment(data),
      };
    }
    return undefined;
  }

  /** The segment's batches are delivered (or spooled again): remove it. */
  finish(segment: ClaimedSegment): void {
    try {
      unlinkSync(segment.path);
    } catch {
      // Already gone.
    }
  }

  /** Gives a claimed segment back (the process is exiting before it was replayed). */
  release(segment: ClaimedSegment): void {
    try {
      renameSync(segment.path, segment.originalPath);
    } catch {
      // Left as claimed by a dead pid: the next process takes it over.
    }
  }

  /** Whether any segment is waiting to be replayed. */
  hasPending(): boolean {
    return this.files().some(
      (file) => file.kind === 'seg' || (file.pid !== process.pid && !isAlive(file.pid)),
    );
  }

  private openSegment(): { path: string; descriptor: number; bytes: number } {
    if (this.current !== undefined) return this.current;
    const stamp = String(Date.now()).padStart(15, '0');
    const name = `${stamp}-${String(this.sequence++).padStart(6, '0')}-${process.pid}.open`;
    const path = join(this.directory, name);
    // Created 0600 (never wider, whatever the umask)...
    const descriptor = openSync(path, 'a', fileMode);
    try {
      // ...and exactly 0600 even under a umask that takes the owner's bits away.
      fchmodSync(descriptor, fileMode);
    } catch {
      // A file system without modes: the file is no wider than 0600 anyway.
    }
    this.current = { path, descriptor, bytes: 0 };
    return this.current;
  }

  private usedBytes(): number {
    let total = 0;
    for (const file of this.files()) {
      try {
        total += statSync(join(this.directory, file.name)).size;
      } catch {
        // Gone meanwhile.
      }
    }
    return total;
  }

  /** Segment files, oldest first. */
  private files(): Array<{ name: string; kind: 'open' | 'seg' | 'claimed'; pid: number }> {
    let names: string[];
    try {
      names = readdirSync(this.directory);
    } catch {
      return [];
    }
    const files: Array<{ name: string; kind: 'open' | 'seg' | 'claimed'; pid: number }> = [];
    for (const name of names) {
      const match = /^\d{15}-\d{6}-(\d+)\.(open|seg|claimed-(\d+))$/.exec(name);
      if (match === null) continue;
      const kind = match[2] === 'open' ? 'open' : match[2] === 'seg' ? 'seg' : 'claimed';
      files.push({ name, kind, pid: Number(kind === 'claimed' ? match[3] : match[1]) });
    }
    return files.sort((left, right) =>
      left.name < right.name ? -1 : left.name > right.name ? 1 : 0,
    );
  }
}

/**
 * Creates `directory` (and missing parents) 0700, whatever the umask. Only
 * directories created here get their mode set: an existing one is the user's.
 */
function createPrivateDirectory(directory: string): void {
  const first = mkdirSync(directory, { recursive: true, mode: directoryMode });
  if (first === undefined) return;
  const top = resolve(first);
  for (let path = resolve(directory); ; path = dirname(path)) {
    try {
      chmodSync(path, directoryMode);
    } catch {
      // A file system without modes: mkdir already made it no wider than 0700.
    }
    if (path === top || dirname(path) === path) break;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
