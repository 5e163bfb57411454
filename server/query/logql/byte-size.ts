/**
 * Byte sizes as Loki reads them (go-humanize ParseBytes): `10KB` = 10·1000, `10KiB` = 10·1024, a bare
 * number is bytes, units are case-insensitive and may follow a space.
 */
const MULTIPLIERS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  p: 1e15,
  pb: 1e15,
  e: 1e18,
  eb: 1e18,
  ki: 1024,
  kib: 1024,
  mi: 1024 ** 2,
  mib: 1024 ** 2,
  gi: 1024 ** 3,
  gib: 1024 ** 3,
  ti: 1024 ** 4,
  tib: 1024 ** 4,
  pi: 1024 ** 5,
  pib: 1024 ** 5,
  ei: 1024 ** 6,
  eib: 1024 ** 6,
};

const BYTES = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-zA-Z]*)\s*$/;

export function parseByteSize(text: string): number | undefined {
  const m = BYTES.exec(text);
  if (m === null) return undefined;
  const multiplier = MULTIPLIERS[m[2]!.toLowerCase()];
  return multiplier === undefined ? undefined : Number(m[1]) * multiplier;
}
