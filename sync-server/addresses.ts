/**
 * What each client address holds: open sockets and bytes of WebSocket messages in flight
 * (announced, not yet complete). Without a proxy, every TCP connection is counted (HTTP, the
 * WebSocket handshake, and the sync connection it becomes); behind a trusted proxy the TCP
 * peer is the proxy, so sync connections are counted per forwarded address instead
 * (docs/operations.md). IPv6 addresses count per /64, the block one subscriber usually holds.
 */
import { isIPv6 } from 'node:net';

export interface AddressUsage {
  readonly key: string;
  sockets: number;
  inflight: number;
}

export interface AddressLimits {
  maxSocketsPerAddress: number;
  addressInflightBytes: number;
}

/** The counting key of an address: IPv4 as is (also when IPv4-mapped), IPv6 by its /64. */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** Open sockets and in-flight bytes per client address, with the operator's bounds on both. */
export class Addresses {
  private readonly byKey = new Map<string, AddressUsage>();

  constructor(private readonly limits: AddressLimits) {}

  /** Counts one more socket for the address; null when it already has its most. */
  open(address: string): AddressUsage | null {
    const key = addressKey(address);
    let u = this.byKey.get(key);
    if (!u) this.byKey.set(key, (u = { key, sockets: 0, inflight: 0 }));
    if (u.sockets >= this.limits.maxSocketsPerAddress) return null;
    u.sockets++;
    return u;
  }

  close(u: AddressUsage): void {
    u.sockets--;
    this.forgetIfIdle(u);
  }

  /** Reserves bytes of a message in flight; false when the address's budget has no room. */
  reserve(u: AddressUsage, bytes: number): boolean {
    if (u.inflight + bytes > this.limits.addressInflightBytes) return false;
    u.inflight += bytes;
    return true;
  }

  /**
   * Counts bytes a complete message still holds while it waits its turn (Connection): they are
   * in memory already, so there is no refusing them, but the address's next message is.
   */
  hold(u: AddressUsage, bytes: number): void {
    u.inflight += bytes;
  }

  release(u: AddressUsage, bytes: number): void {
    u.inflight = Math.max(0, u.inflight - bytes);
    this.forgetIfIdle(u);
  }

  /** Addresses with anything open (for tests and metrics). */
  get size(): number {
    return this.byKey.size;
  }

  private forgetIfIdle(u: AddressUsage): void {
    if (u.sockets <= 0 && u.inflight <= 0 && this.byKey.get(u.key) === u) this.byKey.delete(u.key);
  }
}
