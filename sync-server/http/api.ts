/** The HTTP API under /api (docs/protocol.md): CORS, rate limits, routing, error answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../core/access/index.ts';
import type { Context } from '../context.ts';
import { KeyedRateLimiter } from '../ratelimit.ts';
import { errorName } from '../log.ts';
import { rateLimit, type Limiters } from './common.ts';
import { addMemberRoutes } from './members.ts';
import { addPlanRoutes } from './plans.ts';
import { Router, type Request } from './router.ts';
import { clientAddress, cors, sendError } from './util.ts';

/** The request handler of `/api/*`: every route, its rate limits, CORS and error answers. */
export function createApi(ctx: Context) {
  const perMinute = (n: number) => new KeyedRateLimiter(n, n / 60);
  const limiters: Limiters = {
    api: perMinute(ctx.config.apiPerMinute),
    redeem: perMinute(ctx.config.redeemPerMinute),
    register: perMinute(ctx.config.registerPerMinute),
  };
  const router = new Router();
  addPlanRoutes(router, ctx, limiters);
  addMemberRoutes(router, ctx, limiters);

  /** Handles an /api request; returns the route pattern (for logs and metrics). */
  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<string> {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const allowed = cors(req, res, ctx.config);
    if (allowed !== true) return 'cors';
    const match = router.match(req.method ?? 'GET', url.pathname);
    const routeName = match && match !== 'method' ? `${match.route.method} ${match.route.path}` : 'unknown';
    const r: Request = {
      req,
      res,
      params: match && match !== 'method' ? match.params : {},
      query: url.searchParams,
      ctx,
      address: clientAddress(req, ctx.config.trustProxy),
    };
    try {
      rateLimit(limiters.api, r);
      if (match === null) throw new ApiError('notFound', 'no such endpoint');
      if (match === 'method') throw new ApiError('methodNotAllowed', 'method not allowed here');
      await match.route.handler(r);
    } catch (error) {
      if (!(error instanceof ApiError)) {
        ctx.log.error('http.failed', { route: routeName, error: errorName(error) });
      }
      const e = error instanceof ApiError ? error : new ApiError('internal', 'internal error');
      // The rest of an oversized body is not worth reading: answer, then hang up.
      if (e.reason === 'bodyTooLarge' && !res.headersSent) res.setHeader('Connection', 'close');
      if (!res.headersSent) sendError(res, e);
      else res.destroy();
    }
    return routeName;
  }

  return {
    handle,
    stop() {
      for (const l of Object.values(limiters)) l.stop();
    },
  };
}
