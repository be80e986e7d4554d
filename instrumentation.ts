// Runs once when the server starts: a bad setting stops start-up with one line per problem.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkStartupOrExit } = await import("@/lib/startup");
  await checkStartupOrExit();
}
