import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { loadUiAssets, uiResponse, UI_CONTENT_SECURITY_POLICY } from './static-ui.js';

describe('security headers of the web UI', () => {
  it('sends a strict CSP, nosniff, no framing and no referrer with the page', () => {
    const dir = path.join(tempDir(), 'dist');
    fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    fs.writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'void 0');
    const assets = loadUiAssets(dir)!;
    const page = uiResponse(assets, '/explore', {})!;
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toBe(UI_CONTENT_SECURITY_POLICY);
    const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|data:.*script/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(uiResponse(assets, '/assets/index-abc.js', {})!.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
