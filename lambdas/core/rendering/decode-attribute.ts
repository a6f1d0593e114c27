/**
 * An attribute value as a browser reads it: `&#x3D;` is `=`, `&amp;` is `&`. The safety
 * checks read addresses this way, since a browser follows the decoded one.
 * @param value the raw value between the quotes
 */
export function decodeAttribute(value: string): string {
  return value.replace(
    /&(?:#x([0-9a-f]+)|#(\d+)|(amp|quot|apos|lt|gt));?/gi,
    (_, hex, dec, name) => {
      const code = hex ? Number.parseInt(hex, 16) : dec ? Number(dec) : undefined;
      if (code !== undefined) return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
      return { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' }[String(name).toLowerCase()] ?? '';
    },
  );
}
