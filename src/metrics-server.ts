import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** What /healthz reports: healthy only with no problem listed. */
export interface Health {
  problems: string[];
}

export interface MetricsServer {
  /** The port actually bound (METRICS_PORT=0 asks the system for a free one). */
  port: number;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  port: number;
  host?: string;
  registry: Registry;
  health: () => Promise<Health>;
}

/**
 * GET /metrics (Prometheus text format) and GET /healthz (200 `{"status":"ok"}`, or 503 with the
 * problems), nothing else. It listens on 127.0.0.1 unless told otherwise: the numbers name servers'
 * activity, so they are not for the internet.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n');
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => send(200, options.registry.contentType, text),
        (error: unknown) => send(500, 'text/plain', `could not collect metrics: ${error instanceof Error ? error.message : String(error)}\n`),
      );
    } else if (path === '/healthz') {
      options.health().then(
        ({ problems }) => send(problems.length === 0 ? 200 : 503, 'application/json', `${JSON.stringify(problems.length === 0 ? { status: 'ok' } : { status: 'unhealthy', problems })}\n`),
        (error: unknown) => send(503, 'application/json', `${JSON.stringify({ status: 'unhealthy', problems: [`health check failed: ${error instanceof Error ? error.message : String(error)}`] })}\n`),
      );
    } else send(404, 'text/plain', 'not found: try /metrics or /healthz\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closing: Promise<void> | undefined;
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A scraper's keep-alive connection must not hold the shutdown open.
        server.closeAllConnections();
      })),
  };
}
