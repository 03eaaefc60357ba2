// @vitest-environment node
/**
 * The CI-size frame fuzz (`npm run fuzz:frames` runs any size against a child process): 20,000
 * seeded hostile frames through real sockets against a real server, with well-behaved clients
 * editing throughout. See scripts/fuzz-frames.ts for what must hold.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../sync-server/server.ts';
import { DEFAULTS, type ServerOptions } from '../../sync-server/config.ts';
import { createLogger } from '../../sync-server/log.ts';
import { runFrameFuzz, type FuzzTarget } from '../../scripts/fuzz-frames.ts';
import { removeDir, tempDir } from './helpers.ts';

async function inProcessTarget(options: ServerOptions): Promise<FuzzTarget & { dataDir: string }> {
  const dataDir = tempDir();
  const errors: string[] = [];
  const logger = createLogger('error', (line) => errors.push(JSON.parse(line).event));
  const settings: ServerOptions = {
    registerPerMinute: 100_000,
    redeemPerMinute: 100_000,
    apiPerMinute: 1_000_000,
    ...options,
    dataDir,
    logger,
  };
  let server: RunningServer = await startServer({ ...settings, port: 0 });
  let running = true;
  const target: FuzzTarget & { dataDir: string } = {
    url: server.url,
    wsUrl: server.url.replace(/^http/, 'ws') + '/sync',
    dataDir,
    rss: () => process.memoryUsage().rss,
    errors: () => [...errors],
    alive: () => running,
    restart: async () => {
      await server.close();
      server = await startServer({ ...settings, port: server.port });
    },
    stop: async () => {
      running = false;
      await server.close();
    },
    limits: {
      maxFrameBytes: options.maxFrameBytes ?? DEFAULTS.maxFrameBytes,
      maxUpdateStructs: options.maxUpdateStructs ?? DEFAULTS.maxUpdateStructs,
      messageBurst: options.messageBurst ?? DEFAULTS.messageBurst,
    },
  };
  return target;
}

let target: (FuzzTarget & { dataDir: string }) | null = null;
afterAll(async () => {
  if (!target) return;
  await target.stop();
  removeDir(target.dataDir);
});

describe('hostile frames', () => {
  it('20,000 seeded hostile frames crash nothing, corrupt nothing and close only their senders', async () => {
    // A 1 MiB frame limit keeps the oversized frames of a CI run cheap; the limits are otherwise
    // the defaults.
    target = await inProcessTarget({ maxFrameBytes: 1024 * 1024, maxDocBytes: 1024 * 1024 });
    const report = await runFrameFuzz(target, {
      frames: 20_000,
      seed: 20260601,
      concurrency: 12,
      rotateEvery: 10_000,
    });
    expect(report.problems).toEqual([]);
    expect(report.crashed).toBe(false);
    expect(report.framesSent).toBeGreaterThanOrEqual(20_000);
    // Every frame before a closing one was read (those after it may not be). The bound covers
    // most frames (about 70%): only limits (floods above all) end a session at an unknown frame.
    expect(report.framesReceived).toBeGreaterThanOrEqual(report.framesMustBeRead);
    expect(report.framesMustBeRead).toBeGreaterThan(report.framesSent * 0.5);
    // The run exercised closing, refusing and carrying on.
    expect(report.closes['4400']).toBeGreaterThan(0);
    expect(report.closes['4529']).toBeGreaterThan(0);
    expect(report.closes['open']).toBeGreaterThan(0);
    expect(report.deniedAnswers).toBeGreaterThan(0);
  }, 240_000);
});
