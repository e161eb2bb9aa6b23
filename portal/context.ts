/**
 * What every part of the portal is given (app.ts builds it once from the options), the signed-in user on the
 * request, and the one error type the routes throw: an HTTP status with its zh-CN / English message.
 */
import type { Plant } from '../kpi/plant.ts';
import type { RecordsStore } from '../records/port.ts';
import type { PortalSession, PortalUser } from '../records/port-users.ts';
import type { PortalData } from './data.ts';

export interface PortalContext {
  plant: Plant;
  data: PortalData;
  records: RecordsStore;
  /** the clock: sessions, rate limits, closures (epoch ms) */
  now: () => number;
  /** the data directory: evidence files go to DATA/evidence */
  dataDir: string;
  /** session cookies marked Secure (behind HTTPS) */
  secureCookies: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** the signed-in user (requireUser sets it), or null */
    user: PortalUser | null;
    /** the session; its csrfSecret is what @fastify/csrf-protection reads (sessionKey 'csrfSecret') */
    session: PortalSession | null;
  }
}

export class ApiError extends Error {
  constructor(
    readonly statusCode: 400 | 401 | 403 | 404 | 409 | 413 | 429,
    message: string,
    /** extra headers, e.g. Retry-After */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A user as the API shows it: never the hash. */
export function publicUser(u: PortalUser) {
  return { username: u.username, displayName: u.displayName, role: u.role, branch: u.branch };
}

/** Who, in the audit log and the closures: the display name and the sign-in name. */
export function byOf(u: PortalUser): string {
  return `${u.displayName} (${u.username})`;
}
