/** Helpers of the trust-storage tests: what is in the data directory's files, byte for byte. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as encoding from 'lib0/encoding';

/** Every regular file under `dir` (the database, its -wal and -shm, keys), with its bytes. */
export function dataFiles(dir: string): { path: string; bytes: Buffer }[] {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) out.push(...dataFiles(path));
    else if (st.isFile()) out.push({ path, bytes: readFileSync(path) });
  }
  return out;
}

/** The files in which any of `needles` occurs, as `file: needle label`. */
export function findInFiles(dir: string, needles: Record<string, Uint8Array>): string[] {
  const hits: string[] = [];
  for (const f of dataFiles(dir)) {
    for (const [label, needle] of Object.entries(needles)) {
      if (needle.length > 0 && f.bytes.indexOf(needle) >= 0) hits.push(`${f.path}: ${label}`);
    }
  }
  return hits;
}

/** How a text appears on disk: UTF-8, UTF-16LE, and as Yjs writes a string into an update. */
export function textNeedles(label: string, text: string): Record<string, Uint8Array> {
  const yjsString = encoding.encode((e) => encoding.writeVarString(e, text));
  return {
    [`${label} (utf-8)`]: Buffer.from(text, 'utf8'),
    [`${label} (utf-16le)`]: Buffer.from(text, 'utf16le'),
    [`${label} (yjs varString)`]: yjsString,
    // Half the text: a string split across two items or records still shows.
    [`${label} (first half)`]: Buffer.from(text.slice(0, Math.ceil(text.length / 2)), 'utf8'),
  };
}

/** SHA-256 of every file in the directory: proves that nothing was written. */
export function fingerprint(dir: string): Record<string, string> {
  return Object.fromEntries(
    dataFiles(dir).map((f) => [f.path, createHash('sha256').update(f.bytes).digest('hex')]),
  );
}
