/** What requests whose source address is unknown are counted under, all together. */
export const UNKNOWN_NETWORK = 'unknown';

/**
 * The network a request came from, as sign-ups are counted: an IPv4 address as it is (an
 * IPv4-mapped IPv6 address as its IPv4 address), an IPv6 address by its /64, since one line
 * usually holds a whole /64 and could take a new address for every request. Anything that is
 * no IP address (never the case on AWS or locally) counts as `unknown`.
 * @param address the source address of the connection, never a header's value
 */
export function sourceNetwork(address: string | undefined): string {
  const bare = address?.trim().toLowerCase().replace(/%.*$/, '') ?? '';
  const ipv4 = ipv4Bytes(bare);
  if (ipv4) return ipv4.join('.');
  const groups = ipv6Groups(bare);
  if (!groups) return UNKNOWN_NETWORK;
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    const [high = 0, low = 0] = groups.slice(6);
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/** The four bytes of a dotted IPv4 address, or undefined when it is none. */
function ipv4Bytes(text: string): number[] | undefined {
  const parts = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text)?.slice(1).map(Number);
  return parts?.every((byte) => byte <= 255) ? parts : undefined;
}

/**
 * The eight 16-bit groups of an IPv6 address (`::` expanded, a dotted IPv4 tail as two
 * groups), or undefined when it is none.
 */
function ipv6Groups(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string | undefined): number[] | undefined => {
    if (!half) return [];
    const parts = half.split(':');
    const last = parts.at(-1) ?? '';
    const tail = last.includes('.') ? ipv4Bytes(last) : undefined;
    if (last.includes('.') && !tail) return undefined;
    const hex = tail ? parts.slice(0, -1) : parts;
    if (!hex.every((part) => /^[0-9a-f]{1,4}$/.test(part))) return undefined;
    const groups = hex.map((part) => Number.parseInt(part, 16));
    return tail
      ? [...groups, ((tail[0] ?? 0) << 8) | (tail[1] ?? 0), ((tail[2] ?? 0) << 8) | (tail[3] ?? 0)]
      : groups;
  };
  const head = groupsOf(halves[0]);
  const rest = groupsOf(halves[1]);
  if (!head || !rest) return undefined;
  // A dotted tail may only end the address.
  if (halves.length === 2 && halves[0]?.includes('.')) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - rest.length;
  return missing >= 1 ? [...head, ...Array(missing).fill(0), ...rest] : undefined;
}
