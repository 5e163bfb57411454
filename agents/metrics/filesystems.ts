import fs from 'node:fs';
import path from 'node:path';
import type { HostMetricSample } from './metric-sample.js';

/** What the disk samples need of statfs(2); fs.statfsSync gives it. */
export interface FilesystemStats {
  /** Block size the counts below are in. (Linux's f_frsize; equal to f_bsize on every common filesystem.) */
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
}
export type Statfs = (mountpoint: string) => FilesystemStats;

export interface Mount {
  device: string;
  mountpoint: string;
  fstype: string;
}

/**
 * Filesystems that hold no disk space of this host, left out so a "disk over 90 %" rule only sees disks:
 * - kernel interfaces (proc, sysfs, cgroup, …), which have no size;
 * - memory-backed ones (tmpfs, ramfs, devtmpfs): their use is memory use, which node_memory_* reports,
 *   and a full /dev/shm of a few MB would page someone about a "disk";
 * - read-only images (squashfs snaps, ISO, erofs), always 100 % full by construction;
 * - FUSE helpers that mirror other filesystems (lxcfs, gvfs, portal, snapfuse).
 */
const NO_DISK_FSTYPES = new Set([
  'proc', 'sysfs', 'cgroup', 'cgroup2', 'securityfs', 'pstore', 'bpf', 'debugfs', 'tracefs', 'configfs', 'fusectl',
  'mqueue', 'hugetlbfs', 'autofs', 'binfmt_misc', 'nsfs', 'rpc_pipefs', 'selinuxfs', 'efivarfs', 'devpts', 'nfsd',
  'tmpfs', 'ramfs', 'devtmpfs',
  'squashfs', 'iso9660', 'erofs',
  'fuse.lxcfs', 'fuse.gvfsd-fuse', 'fuse.portal', 'fuse.snapfuse',
]);

/**
 * Network filesystems are left out: they are another machine's disks, and statfs on one whose server
 * is gone blocks until the mount times out, which would stall the agent's event loop (statfs here is
 * synchronous) and every file it tails with it.
 */
const NETWORK_FSTYPES = new Set(['nfs', 'nfs4', 'cifs', 'smb3', 'smbfs', 'ceph', 'glusterfs', 'lustre', 'afs', '9p', 'fuse.sshfs', 'fuse.s3fs', 'fuse.rclone']);

/** Kernel and systemd trees: nothing mounted at or below them is a disk. */
const SYSTEM_MOUNT_ROOTS = ['/proc', '/sys', '/dev', '/run/credentials'];

/**
 * Container runtimes mount each container's overlay, volumes and secrets below these: the space of a
 * disk already counted. Only mounts strictly below are skipped: a disk of its own at /var/lib/docker
 * is a real disk, and the classic one to fill up.
 */
const CONTAINER_RUNTIME_DIRS = ['/var/lib/docker', '/var/lib/containers', '/var/lib/kubelet', '/run/containerd', '/run/docker', '/snap'];

/** The filesystems worth a disk sample: see the sets above for what is left out and why. */
export function diskMounts(mounts: Mount[]): Mount[] {
  const byDevice = new Map<string, Mount>();
  for (const mount of mounts) {
    if (NO_DISK_FSTYPES.has(mount.fstype) || NETWORK_FSTYPES.has(mount.fstype)) continue;
    // overlay is a container's root: a disk to the processes in it. Elsewhere it is a container's view of a disk counted already.
    if (mount.fstype === 'overlay' && mount.mountpoint !== '/') continue;
    if (SYSTEM_MOUNT_ROOTS.some((root) => isAtOrBelow(mount.mountpoint, root))) continue;
    if (CONTAINER_RUNTIME_DIRS.some((dir) => mount.mountpoint.startsWith(`${dir}/`))) continue;
    // One device mounted many times (bind mounts, btrfs subvolumes, a container's /etc/hosts) is one
    // disk: report it once, at its shortest mountpoint.
    const seen = byDevice.get(mount.device);
    if (seen === undefined || mount.mountpoint.length < seen.mountpoint.length) byDevice.set(mount.device, mount);
  }
  return [...byDevice.values()];
}

function isAtOrBelow(mountpoint: string, root: string): boolean {
  return mountpoint === root || mountpoint.startsWith(`${root}/`);
}

/** The mount table: procRoot/self/mounts (this process's mount namespace), or procRoot/mounts. */
export function readMounts(procRoot: string): Mount[] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(procRoot, 'self', 'mounts'), 'utf8');
  } catch {
    text = fs.readFileSync(path.join(procRoot, 'mounts'), 'utf8');
  }
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const [device, mountpoint, fstype] = line.split(' ');
    if (device === undefined || mountpoint === undefined || fstype === undefined) continue;
    mounts.push({ device: unescapeMountField(device), mountpoint: unescapeMountField(mountpoint), fstype });
  }
  return mounts;
}

/** The kernel writes space, tab, newline and backslash in mount paths as octal escapes (\040 …). */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/**
 * Size, available space and used percentage of each disk. Used % is df's: used / (used + available),
 * where used = blocks − free. The root-reserved blocks (free but not available) are left out of both,
 * so 100 % means ordinary processes can write no more, which is when things break.
 * A mountpoint statfs cannot read (gone since the table was read, or not permitted) is skipped.
 */
export function filesystemSamples(procRoot: string, statfs: Statfs): HostMetricSample[] {
  const samples: HostMetricSample[] = [];
  for (const mount of diskMounts(readMounts(procRoot))) {
    let stats: FilesystemStats;
    try {
      stats = statfs(mount.mountpoint);
    } catch {
      continue;
    }
    const used = stats.blocks - stats.bfree;
    const usable = used + stats.bavail;
    const labels = { mountpoint: mount.mountpoint, fstype: mount.fstype };
    samples.push({ name: 'node_filesystem_size_bytes', value: stats.blocks * stats.bsize, labels });
    samples.push({ name: 'node_filesystem_avail_bytes', value: stats.bavail * stats.bsize, labels: { ...labels } });
    // A filesystem with no blocks (some FUSE mounts report zeros) has no meaningful percentage.
    if (usable > 0) samples.push({ name: 'node_filesystem_used_percent', value: (used * 100) / usable, labels: { ...labels } });
  }
  return samples;
}
