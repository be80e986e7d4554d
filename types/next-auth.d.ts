import type { Role } from "@/lib/auth/roles";

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
    /** This sign-in's id, kept across token renewals: the audit's session id. */
    sid?: string;
  }
}
