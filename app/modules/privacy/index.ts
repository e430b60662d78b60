/** Privacy: customer data requests and redactions (Shopify's mandatory compliance topics). */
export { mentionsCustomer, redactCustomer, extractCustomerData, REDACTED, type CustomerRef } from "./domain/personal-data";
export { createDataExport, listDataExports, deleteExportsForCustomer, purgePrivacyData } from "./privacy.repository.server";

export const PRIVACY_TENANT_MODELS = ["DataExport"] as const;
