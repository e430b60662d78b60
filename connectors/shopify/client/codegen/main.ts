/** `npm run codegen:shopify`: regenerate generated/admin.generated.ts (see ./generate.ts). */
import fs from "node:fs";
import path from "node:path";
import { GENERATED_FILE, generateAdminTypes, loadAdminSchema } from "./generate";

const text = await generateAdminTypes(loadAdminSchema());
const before = fs.existsSync(GENERATED_FILE) ? fs.readFileSync(GENERATED_FILE, "utf8") : "";
fs.mkdirSync(path.dirname(GENERATED_FILE), { recursive: true });
fs.writeFileSync(GENERATED_FILE, text);
console.log(`${path.relative(process.cwd(), GENERATED_FILE)}: ${before === text ? "unchanged" : "written"}`);
