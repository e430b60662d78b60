import { randomUUID } from "node:crypto";
import type { Db, DbTx } from "#app/platform/db/client.server";
import type { CustomerRef } from "./domain/personal-data";

export async function createDataExport(db: Db | DbTx, args: { shop: string; customer: CustomerRef; requestId?: string | null; content: unknown; now: Date }) {
  return db.dataExport.create({
    data: {
      id: randomUUID(),
      shop: args.shop,
      customerRef: JSON.stringify(args.customer),
      requestId: args.requestId ?? null,
      status: "ready",
      content: JSON.stringify(args.content),
      completedAt: args.now,
    },
  });
}

export function listDataExports(db: Db, shop: string) {
  return db.dataExport.findMany({ where: { shop }, orderBy: { createdAt: "desc" } });
}

/** An export holds the customer's personal data: a redaction removes it too. */
export async function deleteExportsForCustomer(db: Db | DbTx, shop: string, customer: CustomerRef) {
  const rows = await db.dataExport.findMany({ where: { shop }, select: { id: true, customerRef: true } });
  const ids = rows
    .filter((r) => {
      const ref = JSON.parse(r.customerRef) as CustomerRef;
      return (customer.id != null && String(ref.id) === String(customer.id)) || (!!customer.email && ref.email === customer.email);
    })
    .map((r) => r.id);
  if (ids.length) await db.dataExport.deleteMany({ where: { shop, id: { in: ids } } });
  return ids.length;
}

export function purgePrivacyData(db: Db | DbTx, shop: string) {
  return db.dataExport.deleteMany({ where: { shop } });
}
