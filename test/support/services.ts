// Vitest setup (vitest.config.ts): installs the composition root, as start-up does in the portal, so code below it
// (getDb, recordAudit, getDevdraft…) reads the process's services (lib/service-slot.ts).
import "@/lib/services";
