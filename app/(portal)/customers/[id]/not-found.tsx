import Link from "next/link";

export default function CustomerNotFound() {
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Customer not found</h1>
      <p>Devdraft has no customer with this id. It may have been deleted, or the link may be mistyped.</p>
      <Link href="/customers" className="self-start text-blue-800 underline underline-offset-2 dark:text-blue-300">
        Back to customers
      </Link>
    </div>
  );
}
