import type { Key } from "@/lib/i18n/keys";
import { getT } from "@/lib/i18n/server";

export async function Forbidden({ what }: { what: Key }) {
  const t = await getT();
  return (
    <section aria-labelledby="forbidden-heading" className="rounded-md border border-slate-300 p-6 dark:border-slate-700">
      <h1 id="forbidden-heading" className="text-lg font-semibold">
        {t("shell.forbiddenTitle", { what: t(what) })}
      </h1>
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">{t("shell.forbiddenBody")}</p>
    </section>
  );
}
