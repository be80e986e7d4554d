import type { Key } from "@/lib/i18n/keys";
import { getT } from "@/lib/locale/server";

export async function Forbidden({ what }: { what: Key }) {
  const t = await getT();
  return (
    <section aria-labelledby="forbidden-heading" className="rounded-md border border-edge p-6">
      <h1 id="forbidden-heading" className="text-lg font-semibold">
        {t("shell.forbiddenTitle", { what: t(what) })}
      </h1>
      <p className="mt-2 text-sm text-muted">{t("shell.forbiddenBody")}</p>
    </section>
  );
}
