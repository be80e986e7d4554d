export const DEFAULT_SANDBOX_PORT = 4010;
export const DEFAULT_SANDBOX_CLIENT_KEY = "sandbox-client-key";
export const DEFAULT_SANDBOX_CLIENT_SECRET = "sandbox-client-secret";
