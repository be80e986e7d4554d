export default function CustomerLoading() {
  return (
    <div className="flex flex-col gap-6" aria-busy="true">
      <p role="status" className="sr-only">Loading customer…</p>
      <span className="h-5 w-40 animate-pulse rounded bg-slate-200 motion-reduce:animate-none dark:bg-slate-800" />
      <span className="h-8 w-64 animate-pulse rounded bg-slate-200 motion-reduce:animate-none dark:bg-slate-800" />
      <div className="flex flex-col gap-4">
        {Array.from({ length: 8 }, (_, i) => (
          <span key={i} className="h-6 w-full animate-pulse rounded bg-slate-100 motion-reduce:animate-none dark:bg-slate-900" />
        ))}
      </div>
    </div>
  );
}
