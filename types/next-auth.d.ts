import type { Role } from "@/lib/roles";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string; role: Role };
  }
  interface User {
    role?: Role;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    staffId?: string;
    role?: Role;
    /** The session's secret; the store keeps only its hash (lib/auth/session-store.ts). */
    sid?: string;
  }
}
