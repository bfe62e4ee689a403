/**
 * Connecting to the queue's Redis: the first connection fails at once with a clear error (a
 * stopped Redis, a wrong port or host); after that, ioredis reconnects, and a connection that stays
 * down longer than `graceSeconds` is reported as lost (QueueLostError) so that callers stop
 * cleanly instead of waiting forever. Messages name the URL's display form, never its password.
 */
import type { RedisOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { QueueLostError, QueueUnreachableError } from './errors.ts';
import { hidePassword, type QueueUrl } from './queue_url.ts';

const reconnectDelay = (times: number) => Math.min(100 * times, 1000);

/** The options of a Redis connection to `url` (BullMQ's workers take these and open their own). */
export function redisOptions(url: QueueUrl): RedisOptions {
  return {
    host: url.host,
    port: url.port,
    db: url.db,
    ...(url.username !== undefined ? { username: url.username } : {}),
    ...(url.password !== undefined ? { password: url.password } : {}),
    ...(url.tls ? { tls: {} } : {}),
    connectTimeout: 5000,
    retryStrategy: reconnectDelay,
  };
}

export interface QueueConnection {
  readonly redis: Redis;
  /** Throws QueueLostError when the connection has been down for longer than the grace period. */
  check(): void;
  close(): Promise<void>;
}

export async function connectToQueue(url: QueueUrl, graceSeconds: number): Promise<QueueConnection> {
  // Commands fail at once while disconnected (no offline queue), so a poll loop sees the outage.
  const redis = new Redis({
    ...redisOptions(url),
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  let lastError = '';
  redis.on('error', (e: Error) => {
    lastError = hidePassword(e.message, url);
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    // The 'error' event carries the cause (ECONNREFUSED, ENOTFOUND, WRONGPASS); the rejection only says the connection closed.
    const why = lastError || hidePassword(e instanceof Error ? e.message : String(e), url);
    throw new QueueUnreachableError(
      `cannot reach the queue at ${url.display} (${why}); is redis-server running there? (redis-server --port ${url.port})`,
    );
  }
  // Connected once: from now on, reconnect in the background.
  redis.options.retryStrategy = reconnectDelay;
  let downSince: number | null = null;
  redis.on('close', () => {
    downSince ??= Date.now();
  });
  redis.on('ready', () => {
    downSince = null;
  });
  return {
    redis,
    check() {
      if (downSince === null) return;
      const seconds = (Date.now() - downSince) / 1000;
      if (seconds > graceSeconds)
        throw new QueueLostError(
          `lost the connection to the queue at ${url.display} for ${Math.round(seconds)} s (${lastError || 'connection closed'})`,
        );
    },
    async close() {
      try {
        await redis.quit();
      } catch {
        redis.disconnect();
      }
    },
  };
}
