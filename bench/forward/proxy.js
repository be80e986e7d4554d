// Without this file Next would take the portal's proxy.ts from the repository root; this one matches nothing.
export function proxy() {}
export const config = { matcher: ["/__forward-has-no-proxy"] };
