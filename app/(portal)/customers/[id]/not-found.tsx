import { NotFoundNotice } from "@/components/shell/not-found-notice";
import { getT } from "@/lib/locale/server";

export default async function CustomerNotFound() {
  const t = await getT();
  return (
    <NotFoundNotice title={t("detail.notFoundTitle")} backHref="/customers" backLabel={t("detail.backLabel")}>
      {t("detail.notFoundBody")}
    </NotFoundNotice>
  );
}
