import { TableSkeleton } from "@/components/customers/table-skeleton";

// Also the boundary where a link prefetch stops: without it a prefetch would render (and audit) a list nobody saw.
export default function CustomersLoading() {
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Customers</h1>
      <TableSkeleton rows={10} />
    </div>
  );
}
