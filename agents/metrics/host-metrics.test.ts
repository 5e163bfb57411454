import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { createLogger } from '../../server/log/logger.js';
import { tempDir } from '../../test/helpers/temp-dir.js';
import type { FilesystemStats } from './filesystems.js';
import { HostMetricsCollector, type HostMetricSample } from './host-metrics.js';

/** Writes the given files (relative paths) under a fresh fake procRoot, or over an existing one. */
function writeProc(files: Record<string, string>, root = tempDir('sluice-proc-')): string {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

const NET_DEV_HEADER = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
`;

function netDevLine(device: string, rxBytes: number, txBytes: number): string {
  return `${device.padStart(6)}: ${rxBytes} 5448 0 0 0 0 0 0 ${txBytes} 3816 0 0 0 0 0 0\n`;
}

const FIRST_SNAPSHOT = {
  // guest (30) is already inside user (1000): it must not count twice.
  stat: 'cpu  1000 100 500 8000 200 50 50 100 30 0\ncpu0 500 50 250 4000 100 25 25 50 15 0\nintr 12345\nctxt 67890\n',
  meminfo: 'MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    4000000 kB\nBuffers:          200000 kB\nCached:          2500000 kB\n',
  loadavg: '0.52 0.58 0.59 1/467 12345\n',
  'net/dev': NET_DEV_HEADER + netDevLine('lo', 9_000_000, 9_000_000) + netDevLine('eth0', 1_000_000, 500_000) + netDevLine('wlan0', 800_000, 400_000),
  mounts: [
    '/dev/nvme0n1p2 / ext4 rw,relatime 0 0',
    'proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0',
    'sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0',
    'devtmpfs /dev devtmpfs rw,nosuid,size=8000000k 0 0',
    'tmpfs /run tmpfs rw,nosuid,nodev,size=1600000k,mode=755 0 0',
    'cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0',
    '/dev/nvme0n1p1 /boot/efi vfat rw,relatime,fmask=0077,dmask=0077 0 0',
    '/dev/nvme0n1p2 /home ext4 rw,relatime 0 0',
    '/dev/sdb1 /mnt/backup\\040disk xfs rw,relatime 0 0',
    '/dev/loop3 /snap/core22/1122 squashfs ro,nodev,relatime 0 0',
    '/dev/sdc1 /var/lib/docker xfs rw,relatime 0 0',
    'overlay /var/lib/docker/overlay2/4f1c/merged overlay rw,relatime,lowerdir=/var/lib/docker/overlay2/l/A 0 0',
    '/dev/sdc1 /var/lib/docker/volumes/pgdata/_data xfs rw,relatime 0 0',
    'nas.example.com:/export/media /mnt/media nfs4 rw,relatime,vers=4.2 0 0',
    '/dev/sdd1 /media/usb vfat rw,relatime 0 0',
    '',
  ].join('\n'),
};

const SECOND_SNAPSHOT = {
  // +300 user, +100 system, +400 idle, +100 iowait, +100 steal: 1000 ticks, 500 busy.
  stat: 'cpu  1300 100 600 8400 300 50 50 200 60 0\ncpu0 650 50 300 4200 150 25 25 100 30 0\nintr 22345\nctxt 77890\n',
  // eth0 +2 MB in / +100 KB out over 10 s; wlan0's counters went back (re-created); docker0 is new.
  'net/dev': NET_DEV_HEADER + netDevLine('lo', 9_900_000, 9_900_000) + netDevLine('eth0', 3_000_000, 600_000) + netDevLine('wlan0', 1000, 500) + netDevLine('docker0', 50_000, 50_000),
};

/** statfs(2) results for the fixture's mountpoints; /media/usb was unplugged after the table was read. */
const FILESYSTEMS: Record<string, FilesystemStats> = {
  '/': { bsize: 4096, blocks: 1000, bfree: 300, bavail: 100 },
  '/boot/efi': { bsize: 512, blocks: 1000, bfree: 750, bavail: 750 },
  '/mnt/backup disk': { bsize: 4096, blocks: 2000, bfree: 1000, bavail: 1000 },
  '/var/lib/docker': { bsize: 4096, blocks: 100, bfree: 10, bavail: 10 },
};

function fixtureStatfs(mountpoint: string): FilesystemStats {
  const stats = FILESYSTEMS[mountpoint];
  if (stats === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, statfs '${mountpoint}'`), { code: 'ENOENT' });
  return stats;
}

function byName(samples: HostMetricSample[], name: string): HostMetricSample[] {
  return samples.filter((s) => s.name === name);
}

describe('HostMetricsCollector on a fixture /proc', () => {
  function collectTwice() {
    const clock = new ManualClock(1_700_000_000_000);
    const procRoot = writeProc(FIRST_SNAPSHOT);
    const collector = new HostMetricsCollector({ procRoot, statfs: fixtureStatfs, clock });
    const first = collector.collect();
    writeProc(SECOND_SNAPSHOT, procRoot);
    clock.advance(10_000);
    const second = collector.collect();
    return { first, second };
  }

  it('has no CPU percentages or network rates on the first collect, rather than zeros', () => {
    const { first } = collectTwice();
    expect(first.filter((s) => s.name.startsWith('node_cpu_') || s.name.startsWith('node_network_'))).toEqual([]);
    expect(new Set(first.map((s) => s.name))).toEqual(
      new Set(['node_memory_used_percent', 'node_memory_MemTotal_bytes', 'node_memory_MemAvailable_bytes', 'node_load1', 'node_load5', 'node_load15', 'node_filesystem_size_bytes', 'node_filesystem_avail_bytes', 'node_filesystem_used_percent']),
    );
  });

  it('computes busy and per-mode CPU percentages from the ticks between two collects', () => {
    const { second } = collectTwice();
    expect(byName(second, 'node_cpu_percent')).toEqual([{ name: 'node_cpu_percent', value: 50, labels: {} }]);
    expect(Object.fromEntries(byName(second, 'node_cpu_mode_percent').map((s) => [s.labels.mode, s.value]))).toEqual({
      user: 30,
      nice: 0,
      system: 10,
      idle: 40,
      iowait: 10,
      irq: 0,
      softirq: 0,
      steal: 10,
    });
  });

  it('reads memory used from MemAvailable, and load averages', () => {
    const { second } = collectTwice();
    expect(second.filter((s) => s.name.startsWith('node_memory_') || s.name.startsWith('node_load'))).toEqual([
      { name: 'node_memory_used_percent', value: 75, labels: {} },
      { name: 'node_memory_MemTotal_bytes', value: 16_384_000_000, labels: {} },
      { name: 'node_memory_MemAvailable_bytes', value: 4_096_000_000, labels: {} },
      { name: 'node_load1', value: 0.52, labels: {} },
      { name: 'node_load5', value: 0.58, labels: {} },
      { name: 'node_load15', value: 0.59, labels: {} },
    ]);
  });

  it('reports each real disk once, df-style, and skips pseudo, memory, image, network and container mounts', () => {
    const { second } = collectTwice();
    const disks = second.filter((s) => s.name.startsWith('node_filesystem_'));
    const row = (mountpoint: string, fstype: string, size: number, avail: number, used: number) => [
      { name: 'node_filesystem_size_bytes', value: size, labels: { mountpoint, fstype } },
      { name: 'node_filesystem_avail_bytes', value: avail, labels: { mountpoint, fstype } },
      { name: 'node_filesystem_used_percent', value: used, labels: { mountpoint, fstype } },
    ];
    expect(disks).toEqual([
      // used 700 blocks of the 800 not reserved for root: 87.5 %, though 30 % of blocks are free.
      ...row('/', 'ext4', 4_096_000, 409_600, 87.5),
      ...row('/boot/efi', 'vfat', 512_000, 384_000, 25),
      ...row('/mnt/backup disk', 'xfs', 8_192_000, 4_096_000, 50),
      ...row('/var/lib/docker', 'xfs', 409_600, 40_960, 90),
    ]);
  });

  it('computes receive and transmit rates per interface, without lo, new or reset interfaces', () => {
    const { second } = collectTwice();
    expect(second.filter((s) => s.name.startsWith('node_network_'))).toEqual([
      { name: 'node_network_receive_bytes_per_second', value: 200_000, labels: { device: 'eth0' } },
      { name: 'node_network_transmit_bytes_per_second', value: 10_000, labels: { device: 'eth0' } },
    ]);
  });

  it('collects only the kinds asked for', () => {
    const procRoot = writeProc(FIRST_SNAPSHOT);
    const samples = new HostMetricsCollector({ procRoot, statfs: fixtureStatfs, collect: ['load'] }).collect();
    expect(samples.map((s) => s.name)).toEqual(['node_load1', 'node_load5', 'node_load15']);
  });

  it('estimates available memory on kernels without MemAvailable', () => {
    const procRoot = writeProc({ meminfo: 'MemTotal:       16000000 kB\nMemFree:         1000000 kB\nBuffers:          200000 kB\nCached:          2800000 kB\n' });
    const [used] = new HostMetricsCollector({ procRoot, collect: ['memory'] }).collect();
    expect(used).toEqual({ name: 'node_memory_used_percent', value: 75, labels: {} });
  });

  it('leaves out a kind it cannot read, warning once and then only at debug', () => {
    const procRoot = writeProc(FIRST_SNAPSHOT);
    fs.rmSync(path.join(procRoot, 'loadavg'));
    const logged: Array<{ level: string; msg: string }> = [];
    const logger = createLogger({ level: 'debug', write: (line) => logged.push(JSON.parse(line) as { level: string; msg: string }) });
    const collector = new HostMetricsCollector({ procRoot, statfs: fixtureStatfs, collect: ['load', 'memory'], logger });
    expect(collector.collect().map((s) => s.name)).toEqual(['node_memory_used_percent', 'node_memory_MemTotal_bytes', 'node_memory_MemAvailable_bytes']);
    collector.collect();
    expect(logged.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'cannot collect load metrics'],
      ['debug', 'cannot collect load metrics'],
    ]);
  });
});

describe('HostMetricsCollector on this machine', () => {
  it('reads the real /proc and statfs', () => {
    const collector = new HostMetricsCollector();
    const first = collector.collect();
    // Burn a little CPU so ticks pass (USER_HZ is 100: one tick per 10 ms per CPU).
    const until = Date.now() + 120;
    while (Date.now() < until);
    const second = collector.collect();

    expect(byName(first, 'node_cpu_percent')).toEqual([]);
    const [memoryUsed] = byName(second, 'node_memory_used_percent');
    expect(memoryUsed!.value).toBeGreaterThan(0);
    expect(memoryUsed!.value).toBeLessThanOrEqual(100);
    expect(byName(second, 'node_memory_MemTotal_bytes')[0]!.value).toBeGreaterThan(1024 * 1024);
    expect(byName(second, 'node_load1')[0]!.value).toBeGreaterThanOrEqual(0);

    const [cpu] = byName(second, 'node_cpu_percent');
    expect(cpu!.value).toBeGreaterThan(0);
    expect(cpu!.value).toBeLessThanOrEqual(100);
    const modeTotal = byName(second, 'node_cpu_mode_percent').reduce((sum, s) => sum + s.value, 0);
    expect(modeTotal).toBeCloseTo(100, 6);

    for (const disk of byName(second, 'node_filesystem_used_percent')) {
      expect(disk.value).toBeGreaterThanOrEqual(0);
      expect(disk.value).toBeLessThanOrEqual(100);
      expect(['proc', 'sysfs', 'tmpfs']).not.toContain(disk.labels.fstype);
    }
    for (const rate of second.filter((s) => s.name.startsWith('node_network_'))) {
      expect(rate.labels.device).not.toBe('lo');
      expect(rate.value).toBeGreaterThanOrEqual(0);
    }
  });
});
