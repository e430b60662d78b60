/**
 * The core's reasons name locations by id (ids are stable and unique; names are not); people read
 * names.  Used by the order page and `oms route`.
 */
export function humanize(text: string, names: Record<string, string>): string {
  let out = text;
  for (const [id, name] of Object.entries(names)) if (id && out.includes(id)) out = out.split(id).join(name);
  return out;
}
