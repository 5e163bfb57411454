import { describe, expect, it } from 'vitest';
import { escapeHtml, headerValue, renderEmail, renderSubject } from './email-message.js';
import { sampleNotification } from './test-notification.js';

describe('renderSubject', () => {
  it("follows Alertmanager's default subject", () => {
    expect(renderSubject(sampleNotification())).toBe('[FIRING:2] Down (prod page)');
    const resolved = sampleNotification({ status: 'resolved', groupLabels: { alertname: 'Down', env: 'prod', severity: 'page' } });
    expect(renderSubject(resolved)).toBe('[RESOLVED] Down prod page');
  });

  it('puts alertname first among the group label values', () => {
    expect(renderSubject(sampleNotification({ groupLabels: { zone: 'z1', alertname: 'Down', cluster: 'c1' }, commonLabels: { zone: 'z1', alertname: 'Down', cluster: 'c1' } }))).toBe(
      '[FIRING:2] Down c1 z1',
    );
  });

  it('strips CR/LF and other control characters, so labels cannot inject headers', () => {
    const n = sampleNotification({ groupLabels: { alertname: 'Down\r\nBcc: victim@example.com' }, commonLabels: { alertname: 'Down\r\nBcc: victim@example.com' } });
    const subject = renderSubject(n);
    expect(subject).toBe('[FIRING:2] Down Bcc: victim@example.com');
    expect(subject).not.toMatch(/[\r\n]/);
    expect(headerValue('a\u0000b\tc\u2028d')).toBe('a b c d');
  });

  it('caps its length', () => {
    expect(renderSubject(sampleNotification({ groupLabels: { alertname: 'x'.repeat(1000) } })).length).toBe(250);
  });
});

describe('renderEmail', () => {
  it('lists firing and resolved alerts with labels and annotations, and links the UI', () => {
    const { text, html } = renderEmail(sampleNotification());
    expect(text).toContain('Firing (2)');
    expect(text).toContain('Resolved (1)');
    expect(text).toContain('* alertname=Down, env=prod, instance=a, severity=page');
    expect(text).toContain('summary: a is down');
    expect(text).toContain('Sluice: http://sluice.example');
    expect(html).toContain('<a href="http://sluice.example">Open Sluice</a>');
    expect(html).toContain('<code>instance</code></th><td><code>b</code>');
  });

  it('escapes everything untrusted in the HTML body and links only http(s) URLs', () => {
    const n = sampleNotification();
    n.alerts[0]!.labels = { alertname: '<script>alert(1)</script>' };
    n.alerts[0]!.annotations = { description: '"><img src=x onerror=alert(1)>' };
    n.alerts[0]!.generatorURL = 'javascript:alert(1)';
    n.receiver = '<b>x</b>';
    const { html } = renderEmail(n);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<b>&lt;b&gt;x&lt;/b&gt;</b>');
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});
