/**
 * A loopback TCP relay that counts every byte in each direction: what a client and a server
 * really exchange, WebSocket framing included, with the HTTP upgrade handshake counted apart.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { HOST } from './target.ts';

export interface Traffic {
  /** Client → server, after the HTTP upgrade request. */
  up: number;
  /** Server → client, after the HTTP upgrade response. */
  down: number;
  /** The upgrade request and response, both directions. */
  handshake: number;
}

const END_OF_HEADERS = Buffer.from('\r\n\r\n');

/** Counts one direction of one connection, splitting off the leading HTTP head. */
class Meter {
  private head = Buffer.alloc(0);
  private inHead = true;
  headBytes = 0;
  bodyBytes = 0;

  add(chunk: Buffer): void {
    if (!this.inHead) {
      this.bodyBytes += chunk.byteLength;
      return;
    }
    this.head = Buffer.concat([this.head, chunk]);
    const end = this.head.indexOf(END_OF_HEADERS);
    if (end < 0) return;
    this.inHead = false;
    this.headBytes = end + END_OF_HEADERS.byteLength;
    this.bodyBytes += this.head.byteLength - this.headBytes;
    this.head = Buffer.alloc(0);
  }
}

export class CountingProxy {
  private meters: { up: Meter; down: Meter }[] = [];
  private sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<CountingProxy> {
    let proxy: CountingProxy | null = null;
    const server = createServer((client) => proxy!.relay(client, targetPort));
    const port = await new Promise<number>((resolve) =>
      server.listen(0, HOST, () => resolve((server.address() as { port: number }).port)),
    );
    proxy = new CountingProxy(server, port);
    return proxy;
  }

  private relay(client: Socket, targetPort: number): void {
    const upstream = connect(targetPort, HOST);
    const meter = { up: new Meter(), down: new Meter() };
    this.meters.push(meter);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.setNoDelay(true);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (d: Buffer) => {
      meter.up.add(d);
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      meter.down.add(d);
      client.write(d);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  }

  /** Totals over every connection since the last reset. */
  traffic(): Traffic {
    let up = 0;
    let down = 0;
    let handshake = 0;
    for (const m of this.meters) {
      up += m.up.bodyBytes;
      down += m.down.bodyBytes;
      handshake += m.up.headBytes + m.down.headBytes;
    }
    return { up, down, handshake };
  }

  reset(): void {
    this.meters = [];
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
