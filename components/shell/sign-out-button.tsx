"use client";

import { signOut } from "next-auth/react";

export function SignOutButton() {
  return (
    <button type="button" onClick={() => void signOut({ callbackUrl: "/login" })} className="rounded-md border border-slate-300 px-3 py-1 dark:border-slate-700">
      Sign out
    </button>
  );
}
