/**
 * CRC-32 (IEEE 802.3), as zip and PNG use it. It guards export files against damage in
 * storage or transit — bytes zeroed or changed that still decode as a valid Yjs update —
 * not against tampering: an export is the owner's own copy.
 */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The CRC-32 of `bytes` as 8 lowercase hex digits, zero-padded, as export files store it per doc. */
export function crc32(bytes: Uint8Array): string {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return ((crc ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
}
