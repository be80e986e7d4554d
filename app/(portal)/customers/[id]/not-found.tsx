import { NotFoundNotice } from "@/components/shell/not-found-notice";

export default function CustomerNotFound() {
  return (
    <NotFoundNotice title="Customer not found" backHref="/customers" backLabel="Back to customers">
      Devdraft has no customer with this id. It may have been deleted, or the link may be mistyped.
    </NotFoundNotice>
  );
}
