/**
 * A sample value as Prometheus and Loki write it in JSON results: Go's strconv.FormatFloat(v, 'f', -1, 64),
 * i.e. the shortest digits that read back as the same double, never in exponent form (1e21 is
 * "1000000000000000000000", 1e-7 is "0.0000001"), the sign of -0 kept, and NaN, +Inf, -Inf spelled out.
 * JavaScript's shortest round-trip digits are the same as Go's; only the layout differs.
 */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (Object.is(value, -0)) return '-0';
  const text = String(value);
  if (!text.includes('e')) return text;
  // toExponential() without an argument gives the same shortest digits as String(): d[.ddd]e±x.
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const pointAfter = Number(exponentText) + 1;
  let fixed: string;
  if (pointAfter <= 0) fixed = `0.${'0'.repeat(-pointAfter)}${digits}`;
  else if (pointAfter >= digits.length) fixed = digits + '0'.repeat(pointAfter - digits.length);
  else fixed = `${digits.slice(0, pointAfter)}.${digits.slice(pointAfter)}`;
  return negative ? `-${fixed}` : fixed;
}
