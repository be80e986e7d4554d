export function Forbidden({ what }: { what: string }) {
  return (
    <section aria-labelledby="forbidden-heading" className="rounded-md border border-slate-300 p-6 dark:border-slate-700">
      <h1 id="forbidden-heading" className="text-lg font-semibold">
        You don&apos;t have access to {what}
      </h1>
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">Your role does not include it. If your work needs it, ask an admin to change your role.</p>
    </section>
  );
}
