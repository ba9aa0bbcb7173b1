import type { BaseLogger } from 'pino';

/** The logging the hub's parts need: satisfied by pino and by Fastify's request logger alike. */
export type Log = Pick<BaseLogger, 'debug' | 'info' | 'warn' | 'error'>;
