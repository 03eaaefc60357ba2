/** A tiny router: `:name` segments match ids; a route names itself for logs and metrics. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from '../context.ts';

export interface Request {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  ctx: Context;
  address: string;
}

export type Handler = (r: Request) => Promise<void>;

export interface Route {
  method: string;
  /** e.g. `/api/plans/:planId/members/:memberId` */
  path: string;
  handler: Handler;
}

interface Compiled extends Route {
  re: RegExp;
  keys: string[];
}

/** Matches a method and path to a route; `:name` segments become `params`. */
export class Router {
  private routes: Compiled[] = [];

  add(method: string, path: string, handler: Handler): void {
    const keys: string[] = [];
    const re = new RegExp(
      '^' +
        path.replace(/:([a-zA-Z]+)/g, (_, k: string) => {
          keys.push(k);
          return '([A-Za-z0-9_-]{1,64})';
        }) +
        '$',
    );
    this.routes.push({ method, path, handler, re, keys });
  }

  /** The route for a path: `found` with params, `method` when only the method is wrong. */
  match(
    method: string,
    pathname: string,
  ): { route: Route; params: Record<string, string> } | 'method' | null {
    let pathMatched = false;
    for (const r of this.routes) {
      const m = r.re.exec(pathname);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== method) continue;
      const params: Record<string, string> = {};
      r.keys.forEach((k, i) => (params[k] = m[i + 1]!));
      return { route: r, params };
    }
    return pathMatched ? 'method' : null;
  }
}
