import { describe, expect, it } from 'vitest';
import { isResolved, mergeAlerts, overlaps, toAlert, type Alert } from './alert.js';

const NOW = 1_700_000_000_000;
const TIMEOUT = 300_000;

describe('toAlert', () => {
  it('fills in times: a firing alert without end times out after resolve_timeout', () => {
    const a = toAlert({ labels: { alertname: 'X' } }, NOW, TIMEOUT) as Alert;
    expect(a).toMatchObject({ startsAt: NOW, endsAt: NOW + TIMEOUT, timeout: true, generatorURL: '', annotations: {} });
    expect(a.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    const r = toAlert({ labels: { alertname: 'X' }, status: 'resolved', startsAt: NOW - 5 }, NOW, TIMEOUT) as Alert;
    expect(isResolved(r, NOW)).toBe(true);
  });

  it('refuses what Alertmanager refuses', () => {
    expect(toAlert({ labels: {} }, NOW, TIMEOUT)).toMatch(/at least one label/);
    expect(toAlert({ labels: { 'bad-name': 'x' } }, NOW, TIMEOUT)).toMatch(/label name/);
    expect(toAlert({ labels: { a: 1 as unknown as string } }, NOW, TIMEOUT)).toMatch(/string/);
    expect(toAlert({ labels: { a: 'x' }, startsAt: NOW, endsAt: NOW - 1 }, NOW, TIMEOUT)).toMatch(/before startsAt/);
    expect(toAlert({ labels: { a: 'x' }, startsAt: Number.NaN }, NOW, TIMEOUT)).toMatch(/startsAt/);
  });
});

describe('mergeAlerts', () => {
  const make = (startsAt: number, endsAt: number, updatedAt: number, timeout = false): Alert => ({
    ...(toAlert({ labels: { a: 'x' }, startsAt, endsAt }, updatedAt, TIMEOUT) as Alert),
    timeout,
  });

  it('keeps the earliest start and the newer end', () => {
    const older = make(NOW - 100, NOW + 1000, NOW - 50, true);
    const newer = make(NOW - 10, NOW + 2000, NOW, true);
    expect(overlaps(older, newer)).toBe(true);
    expect(mergeAlerts(older, newer, NOW)).toMatchObject({ startsAt: NOW - 100, endsAt: NOW + 2000 });
  });

  it('keeps a later explicit end of the older version over a timeout end', () => {
    const older = make(NOW - 100, NOW + 5000, NOW - 50, false);
    const newer = make(NOW - 100, NOW + 2000, NOW, true);
    expect(mergeAlerts(older, newer, NOW)).toMatchObject({ endsAt: NOW + 5000, timeout: false });
  });
});
