// A separate, minimal Next app for bench/api.ts; it borrows the project's node_modules.
export default { poweredByHeader: false };
