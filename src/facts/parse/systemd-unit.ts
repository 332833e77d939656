// `systemctl cat` text and unit files: systemd/unit-file.ts (below facts, so kube/ reads it too).
export * from '../../systemd/unit-file.js';
