/** One open session as the sessions pages show it (browser-safe: no secret, no hash). */
export type SessionView = {
  id: string;
  staffId: string;
  email: string;
  name: string;
  provider: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  clientAddress: string | null;
  userAgent: string | null;
  current: boolean;
};
