/**
 * `encodedSize(doc)`: the byte length of `Y.encodeStateAsUpdate(doc)`, without building it.
 *
 * The write guard measures a doc's real encoded size to keep the doc size cap true
 * (write-guard.ts). A full encode of a doc at the cap (2 MB, 100,000 structs) took 20–55 ms,
 * most of it lib0 copying each string into the output a byte at a time; the frame fuzz, with
 * dozens of docs near the cap, put those measures behind stretches of over a second with the
 * event loop never idle (a CPU profile: `_writeVarStringNative` under `measure`, 70 % of it).
 *
 * Yjs writes through its encoder's methods, so this passes Yjs's own `encodeStateAsUpdateV2` an
 * encoder that counts instead: a string adds its UTF-8 length and the length's varint, an id its
 * two varints, and only what Yjs writes past the methods (a few varints per client) is really
 * written. The walk over the structs is Yjs's own, so every content type is sized the way it is
 * encoded (`tests/unit/encoded-size.test.ts` checks equality on fuzzed docs of every type).
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/** Bytes of lib0's unsigned varint for `n` (7 bits a byte, up to 2^53). */
export function varUintSize(n: number): number {
  let size = 1;
  while (n > 127) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Bytes lib0's `writeVarString` writes for `s`: lone surrogates become U+FFFD, 3 bytes each. */
function stringSize(s: string): number {
  const n = Buffer.byteLength(s, 'utf8');
  return varUintSize(n) + n;
}

/** An `UpdateEncoderV1` that counts what its methods would write instead of writing it. */
class SizeEncoder extends Y.UpdateEncoderV1 {
  counted = 0;
  private scratch = encoding.createEncoder();

  override writeDsClock(clock: number): void {
    this.counted += varUintSize(clock);
  }
  override writeDsLen(len: number): void {
    this.counted += varUintSize(len);
  }
  override writeLeftID(id: Y.ID): void {
    this.counted += varUintSize(id.client) + varUintSize(id.clock);
  }
  override writeRightID(id: Y.ID): void {
    this.counted += varUintSize(id.client) + varUintSize(id.clock);
  }
  override writeClient(client: number): void {
    this.counted += varUintSize(client);
  }
  override writeInfo(): void {
    this.counted += 1;
  }
  override writeString(s: string): void {
    this.counted += stringSize(s);
  }
  override writeParentInfo(): void {
    this.counted += 1;
  }
  override writeTypeRef(info: number): void {
    this.counted += varUintSize(info);
  }
  override writeLen(len: number): void {
    this.counted += varUintSize(len);
  }
  override writeAny(any: unknown): void {
    // Any values (map entries, subdoc options) are rare and nested: encode them for real.
    const before = encoding.length(this.scratch);
    encoding.writeAny(this.scratch, any as Parameters<typeof encoding.writeAny>[1]);
    this.counted += encoding.length(this.scratch) - before;
    if (encoding.length(this.scratch) > 1 << 20) this.scratch = encoding.createEncoder();
  }
  override writeBuf(buf: Uint8Array): void {
    this.counted += varUintSize(buf.length) + buf.length;
  }
  override writeJSON(embed: unknown): void {
    this.counted += stringSize(JSON.stringify(embed));
  }
  override writeKey(key: string): void {
    this.counted += stringSize(key);
  }
}

/** `Y.encodeStateAsUpdate(doc).byteLength`, computed without encoding the doc's content. */
export function encodedSize(doc: Y.Doc): number {
  const store = doc.store as unknown as { pendingStructs: unknown; pendingDs: unknown };
  // What Yjs holds back is merged into a real encode; the guard keeps none (dropPending).
  if (store.pendingStructs !== null || store.pendingDs !== null) return Y.encodeStateAsUpdate(doc).byteLength;
  const encoder = new SizeEncoder();
  const written = Y.encodeStateAsUpdateV2(doc, undefined, encoder).byteLength;
  return written + encoder.counted;
}
